import AcquisApp
import AcquisCore
import AcquisBadges
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import ArgumentParser
import Foundation

/// Where the issuer's private keys are kept: never in the database, never in an export.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("cles"), help: ArgumentHelp(
        "Dossier des clés privées de signature.",
        discussion: """
            Par défaut : $ACQUIS_KEYS, sinon le dossier « cles » à côté de la base SQLite. Avec PostgreSQL, donnez \
            un dossier que chaque serveur lit (sinon ~/.local/share/acquis/cles).
            """))
    var path: String?

    func directory(database: DatabaseOptions) -> KeyDirectory {
        if let path { return KeyDirectory(path: path) }
        if let path = ProcessInfo.processInfo.environment["ACQUIS_KEYS"], !path.isEmpty { return KeyDirectory(path: path) }
        let base = database.isPostgres ? DatabaseOptions.defaultSQLitePath : database.resolvedPath
        let folder = (base as NSString).deletingLastPathComponent
        return KeyDirectory(path: ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent("cles"))
    }
}

extension IssuerKey.Algorithm: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

struct IssuerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuer",
        abstract: "L’établissement émetteur de badges : profil, clés de signature, documents publics.",
        subcommands: [Init.self, Modify.self, RotateKey.self, Export.self],
        aliases: ["emetteur"])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fait de l’établissement un émetteur : profil, première clé RS256, badges standard des référentiels.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("nom"), help: "Nom de l’établissement tel qu’il apparaît sur les badges.")
        var name: String

        @Option(name: .customLong("site"), help: "Site web de l’établissement.")
        var website: String

        @Option(name: .customLong("courriel"), help: "Adresse de contact de l’établissement.")
        var email: String

        @Option(name: .customLong("url-publique"), help: "Adresse publique d’Acquis, sous laquelle les vérificateurs trouvent les documents des badges.")
        var publicBaseURL: String

        func run() async throws {
            try await reportingFailures {
                let folder = keys.directory(database: database)
                let (uai, classes, awarded, key) = try await database.app().badges.becomeIssuer(
                    name: name, website: website, email: email, publicBaseURL: publicBaseURL, storingIn: folder, uai: school.uai,
                    by: .console(name: nil))
                print("Émetteur \(name) (\(uai)) créé.")
                print("Clé \(key.id) (RS256) : \(folder.file(for: key.id))")
                print("\(classes) badges standard installés ; \(awarded) badges déjà mérités délivrés.")
            }
        }
    }

    struct Modify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "modifier",
            abstract: "Change le nom, le site, le courriel ou l’adresse publique de l’émetteur.",
            discussion: """
                Les badges déjà délivrés gardent l’adresse publique qu’ils portent : si elle change, gardez                 l’ancienne accessible (ou redirigée vers la nouvelle) pour qu’ils restent vérifiables.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("nom"), help: "Nom de l’établissement tel qu’il apparaît sur les badges.")
        var name: String?

        @Option(name: .customLong("site"), help: "Site web de l’établissement.")
        var website: String?

        @Option(name: .customLong("courriel"), help: "Adresse de contact de l’établissement.")
        var email: String?

        @Option(name: .customLong("url-publique"), help: "Nouvelle adresse publique d’Acquis.")
        var publicBaseURL: String?

        func run() async throws {
            try await reportingFailures {
                guard name != nil || website != nil || email != nil || publicBaseURL != nil else {
                    throw Failure("indiquez ce qui change : --nom, --site, --courriel ou --url-publique")
                }
                let (before, after, delivered) = try await database.app().badges.updateIssuer(
                    name: name, website: website, email: email, publicBaseURL: publicBaseURL, uai: school.uai, by: .console(name: nil))
                print("Émetteur \(after.name) (\(after.uai)) modifié.")
                if before.publicBaseURL != after.publicBaseURL && delivered > 0 {
                    print("Attention : \(French.counted(delivered, "badge", "délivré")) \(delivered > 1 ? "renvoient" : "renvoie") à \(before.publicBaseURL) ; "
                          + "gardez cette adresse accessible ou redirigée vers \(after.publicBaseURL) pour qu’ils restent vérifiables.")
                }
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Crée une nouvelle clé de signature ; l’ancienne reste publiée pour vérifier les badges déjà délivrés.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("algorithme"), help: "RS256 (Open Badges 2.0 et 3.0) ou ES256 (Open Badges 3.0 seulement).")
        var algorithm: IssuerKey.Algorithm = .rs256

        func run() async throws {
            try await reportingFailures {
                let key = try await database.app().badges.newKey(algorithm, storingIn: keys.directory(database: database), uai: school.uai,
                                                                 by: .console(name: nil))
                print("Nouvelle clé \(key.id) (\(algorithm.rawValue)) ; les badges signés par les clés précédentes restent vérifiables.")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Écrit les documents publics des badges (profil, clés publiques, badges, images, révocations) dans un dossier, à publier sous l’adresse publique.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Dossier de destination.")
        var folder: String

        func run() async throws {
            try await reportingFailures {
                let documents = try await database.app().publishing.hostedDocuments(uai: school.uai, by: .console(name: nil))
                for document in documents {
                    let path = (folder as NSString).appendingPathComponent(document.path)
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    try Data(document.content).write(to: URL(fileURLWithPath: path))
                }
                print("\(documents.count) documents écrits dans \(folder).")
            }
        }
    }
}
