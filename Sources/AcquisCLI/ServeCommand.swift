import AcquisApp
import AcquisCore
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import AcquisWeb
import ArgumentParser
import Foundation
import Hummingbird

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Lance l’application web (enseignants, élèves, familles, inspection).",
        discussion: """
            Avec --demo, une base neuve est remplie avec l’établissement fictif de Samples/ (référentiels, \
            élèves, une année d’évaluations, badges) et un compte de démonstration par rôle ; elle est \
            recréée à chaque lancement.
            """,
        aliases: ["serveur"])

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeyOptions

    @Option(name: .customLong("hote"), help: "Adresse d’écoute (127.0.0.1 : seulement cette machine).")
    var host = "127.0.0.1"

    @Option(help: "Port d’écoute.")
    var port = 8080

    @Flag(help: "Charge l’établissement de démonstration de Samples/ dans une base neuve.")
    var demo = false

    @Option(name: .customLong("exemples"), help: "Dossier racine qui contient Samples/ et Referentiels/ (démonstration).")
    var root = "."

    @Flag(name: .customLong("https"), help: "Cookie de session « Secure » : à utiliser derrière un proxy HTTPS.")
    var secure = false

    @Option(name: .customLong("url-publique"),
            help: "Démonstration : adresse publique inscrite dans les badges (par défaut http://ADRESSE:PORT de ce serveur).")
    var publicURL: String?

    @Flag(name: .customLong("derriere-proxy"),
          help: "Lit l’adresse du client dans X-Forwarded-For (seulement derrière un proxy qui l’écrit lui-même).")
    var behindProxy = false

    @Option(name: .customLong("cas"), help: ArgumentHelp(
        "Ouvre la connexion par l’ENT avec ce serveur CAS (par exemple le serveur de test de Tests/SSO).",
        discussion: "Même effet que « acquis sso cas --url », avant de démarrer."))
    var casURL: String?

    @Option(name: .customLong("educonnect"), help: "Ouvre la connexion par ÉduConnect avec ce fichier de métadonnées (XML) du fournisseur d’identité.")
    var educonnectMetadata: String?

    func run() async throws {
        try await reportingFailures {
            var database = database
            if demo {
                let path = database.path ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("acquis-demo/acquis.sqlite")
                database.path = path
                try await DemoSchoolLoader(root: root, database: database, keys: keys,
                               publicURL: publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)").load()
            }
            let db = try database.open()
            // A blank database opens to its school through a one-time link, shown only here.
            let app = App(storage: db)
            let setupToken = try await app.setup.openLink()
            try await app.school.forgetExpiredUploads()
            if let casURL {
                try await app.singleSignOn.configureENT(address: casURL, attribute: nil, open: true, uai: nil, by: .console(name: nil))
            }
            if let educonnectMetadata {
                guard let bytes = FileManager.default.contents(atPath: educonnectMetadata) else {
                    throw Failure("\(educonnectMetadata) : fichier introuvable ou illisible")
                }
                try await app.singleSignOn.configureEduConnect(metadata: Array(bytes), open: true, uai: nil, by: .console(name: nil))
            }
            let configuration = WebConfiguration(host: host, port: port, keys: keys.directory(database: database),
                                                 secureCookies: secure, behindProxy: behindProxy)
            let shownHost = host == "0.0.0.0" ? "ADRESSE-DU-SERVEUR" : host
            let server = try await WebApp.application(storage: db, configuration: configuration) { port in
                var lines = "Acquis est prêt : http://\(shownHost):\(port)/  (Ctrl-C pour arrêter)\n"
                if let setupToken {
                    lines += """

                        Base vide : pour créer l’établissement et le premier compte de direction, ouvrez ce lien \
                        (valable 24 heures, une seule fois) :
                          http://\(shownHost):\(port)/installation/\(setupToken)

                        """
                }
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
            try await server.runService()
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Remplit une base neuve avec l’établissement fictif de Samples/ et les comptes de démonstration.",
        discussion: "La base indiquée est effacée puis recréée ; ses clés de signature aussi.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeyOptions

    @Option(name: .customLong("exemples"), help: "Dossier racine qui contient Samples/ et Referentiels/.")
    var root = "."

    @Option(name: .customLong("url-publique"), help: "Adresse publique de l’application, pour les liens des badges.")
    var publicURL = "http://127.0.0.1:8080"

    func run() async throws {
        try await reportingFailures {
            try await DemoSchoolLoader(root: root, database: database, keys: keys, publicURL: publicURL).load()
        }
    }
}

/// The demonstration on the command line: a fresh database and key folder, then the
/// fictional school loaded by the application core.
struct DemoSchoolLoader {
    var root: String
    var database: DatabaseOptions
    var keys: KeyOptions
    var publicURL: String

    func load() async throws {
        if database.isPostgres {
            // An académie's database is never erased: the demonstration goes into a blank one.
            guard try await database.app().setup.isNeeded() else {
                throw Failure("la base \(try database.location) n’est pas vide : la démonstration se charge dans une base PostgreSQL neuve")
            }
        } else {
            let path = database.resolvedPath
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try? FileManager.default.removeItem(atPath: keys.directory(database: database).path)
        }
        let school = DemoSchool(root: root, keys: keys.directory(database: database), publicURL: publicURL)
        try await school.load(into: database.app(), hash: { Passwords.hash($0) })
        print("Comptes de démonstration : " + DemoSchool.accounts.map { "\($0.login) / \($0.password)" }.joined(separator: ", "))
    }
}
