import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import AcquisXML
import ArgumentParser
import Foundation

struct BadgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "badge",
        abstract: "Badges : lister, décerner, révoquer, délivrer (Open Badges 2.0 et 3.0), vérifier.",
        subcommands: [List.self, Define.self, Award.self, Revoke.self, Keep.self, Issue.self, Bake.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Liste les badges d’un élève, les badges à revoir, ou les badges que l’établissement délivre.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("eleve"), help: "INE ou identifiant de l’élève.")
        var student: StudentReference?

        @Flag(name: .customLong("classes"), help: "Les badges que l’établissement délivre, avec leur règle.")
        var classes = false

        @Flag(name: .customLong("a-revoir"), help: "Les badges dont les preuves ont changé, en attente d’une décision.")
        var toReview = false

        func run() async throws {
            try await reportingFailures {
                let app = try database.app(), console = ActingPerson.console(name: nil)
                if classes {
                    for stored in try await app.badges.classes(uai: school.uai, by: console) {
                        print("\(stored.badgeClass.code)\t\(stored.badgeClass.name)\t\(stored.badgeClass.rule)")
                    }
                    return
                }
                let awards: [StoredAward]
                if let student {
                    awards = try await app.students.awards(of: student, by: console)
                } else if toReview {
                    awards = try await app.badges.awardsToReview(uai: school.uai, by: console)
                } else {
                    throw Failure("indiquez --eleve, --a-revoir ou --classes")
                }
                if awards.isEmpty { print("Aucun badge.") }
                for award in awards { print(Self.line(award)) }
            }
        }

        static func line(_ award: StoredAward) -> String {
            var line = "\(award.uuid)  \(award.awardedOn.french)  \(award.badge.badgeClass.name)"
            line += award.awardedBy == StoredAward.ruleAwarder ? "" : " (décerné par \(award.awardedBy))"
            if let revocation = award.revocation { line += "\n    RÉVOQUÉ le \(BadgeVerdict.day(revocation.at)) : \(revocation.reason)" }
            if let reason = award.reviewReason { line += "\n    À REVOIR : \(reason)" }
            return line
        }
    }

    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ajoute ou met à jour les badges d’un fichier de définition (badges transversaux, règles propres à l’établissement).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Fichier XML de définition des badges.")
        var file: String

        func run() async throws {
            try await reportingFailures {
                let definitions = try BadgeDefinitionReader.read(path: file)
                let (saved, awarded) = try await database.app().badges.define(definitions, uai: school.uai, by: .console(name: nil))
                print("\(saved) badges définis ; \(awarded) badges mérités délivrés.")
            }
        }
    }

    struct Award: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Décerne un badge à un élève (badges transversaux : savoir-être, engagement, PFMP).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Code du badge.")
        var code: String

        @Option(name: .customLong("eleve"), help: "INE ou identifiant de l’élève.")
        var student: StudentReference

        @Option(name: .customLong("par"), help: "Identifiant de l’enseignant qui décerne le badge.")
        var teacher: String

        @Option(name: .customLong("preuve"), help: "Ce que l’élève a fait (sans donnée personnelle) ; répétable.")
        var evidence: [String] = []

        @Option(name: .customLong("le"), help: "Date (par défaut aujourd’hui).")
        var day: CalendarDate = .today

        func run() async throws {
            try await reportingFailures {
                let award = try await database.app().badges.award(code: code, to: student, evidence: evidence, on: day,
                                                                  uai: school.uai, by: .console(name: teacher))
                print("Badge « \(award.badge.badgeClass.name) » décerné : \(award.uuid)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Révoque un badge délivré ; le motif est publié dans les listes de révocation.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Identifiant du badge délivré (UUID).")
        var id: String

        @Option(name: .customLong("motif"), help: "Motif de la révocation.")
        var reason: String

        @Option(name: .customLong("par"), help: "Identifiant de l’enseignant.")
        var teacher: String

        func run() async throws {
            try await reportingFailures {
                _ = try await database.app().badges.revoke(uuid: id, reason: reason, by: .console(name: teacher))
                print("Badge \(id) révoqué.")
            }
        }
    }

    struct Keep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Maintient un badge à revoir : les preuves ont changé, le badge reste acquis.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Identifiant du badge délivré (UUID).")
        var id: String

        func run() async throws {
            try await reportingFailures {
                try await database.app().badges.keep(uuid: id, by: .console(name: nil))
                print("Badge \(id) maintenu.")
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Délivre un badge signé : image PNG ou SVG cuite, jeton JWS, ou JSON du contenu signé.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions

        @Argument(help: "Identifiant du badge délivré (UUID).")
        var id: String

        @Option(name: .customLong("ob"), help: "Version d’Open Badges : 2 ou 3.")
        var version: Int = 3

        @Option(name: .customLong("algorithme"), help: "Clé à utiliser pour Open Badges 3.0 : RS256 ou ES256.")
        var algorithm: IssuerKey.Algorithm = .rs256

        @Option(name: .customLong("courriel"), help: "Adresse électronique de l’élève, enregistrée seulement sous forme hachée dans le badge (par défaut : son INE).")
        var email: String?

        @Option(name: .customLong("format"), help: "png, svg, jws ou json.")
        var format: SignedBadge.Format = .png

        @Option(name: .shortAndLong, help: "Fichier à écrire.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                guard let version = OpenBadgesVersion(rawValue: version) else { throw Failure("--ob : 2 ou 3") }
                let signed = try await database.app().publishing.signed(
                    uuid: id, version: version, algorithm: algorithm, recipient: email, as: format,
                    keys: keys.directory(database: database), by: .console(name: nil))
                try Data(signed.bytes).write(to: URL(fileURLWithPath: output))
                print("\(version) « \(signed.award.badge.badgeClass.name) » écrit dans \(output) (clé \(signed.keyID)).")
            }
        }
    }

    struct Bake: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cuit un jeton JWS signé dans une image PNG ou SVG.")

        @Argument(help: "Fichier du jeton JWS.")
        var token: String

        @Option(name: .customLong("image"), help: "Image PNG ou SVG d’origine.")
        var image: String

        @Option(name: .customLong("ob"), help: "Version d’Open Badges du jeton : 2 ou 3.")
        var version: Int = 3

        @Option(name: .shortAndLong, help: "Image à écrire.")
        var output: String

        func run() throws {
            try reportingFailures {
                guard let version = OpenBadgesVersion(rawValue: version) else { throw Failure("--ob : 2 ou 3") }
                let jws = try String(contentsOfFile: token, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: image)))
                let baked: [UInt8] = PNGBaker.isPNG(original)
                    ? try PNGBaker.bake(jws, into: original, version: version)
                    : Array(try SVGBaker.bake(jws, into: String(decoding: original, as: UTF8.self), version: version).utf8)
                try Data(baked).write(to: URL(fileURLWithPath: output))
                print("Badge cuit dans \(output).")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vérifie un badge (PNG, SVG, JWS ou JSON) hors ligne : signature, clé de l’émetteur, révocation, expiration.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Fichier du badge.")
        var file: String

        @Option(name: .customLong("courriel"), help: "Vérifier aussi que le badge a été délivré à cette adresse (ou à cet INE).")
        var recipient: String?

        func run() async throws {
            try await reportingFailures {
                guard let content = FileManager.default.contents(atPath: file) else { throw Failure("fichier \(file) introuvable") }
                let trusted = try await database.app().publishing.trustedIssuers()
                let verdict = await BadgeVerifier(trusted: trusted).verify([UInt8](content), recipient: recipient)
                print("\(file) : \(verdict.explanation)")
                if !verdict.isValid { throw ExitCode.failure }
            }
        }
    }
}

extension SignedBadge.Format: ExpressibleByArgument {}
