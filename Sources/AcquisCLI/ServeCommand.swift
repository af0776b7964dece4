import AcquisCore
import AcquisOpenBadges
import AcquisReports
import AcquisStore
import AcquisWeb
import ArgumentParser
import Foundation
import GRDB
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

    func run() async throws {
        try await reportingFailures {
            var database = database
            if demo {
                let path = database.path ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("acquis-demo/acquis.sqlite")
                database.path = path
                try await DemoSchool(root: root, database: database, keys: keys,
                               publicURL: publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)").load()
            }
            let db = try database.open()
            let configuration = WebConfiguration(host: host, port: port, keys: keys.directory(database: database),
                                                 secureCookies: secure, behindProxy: behindProxy)
            let app = try await WebApp.application(database: db, configuration: configuration) { port in
                FileHandle.standardOutput.write(Data("Acquis est prêt : http://\(host):\(port)/  (Ctrl-C pour arrêter)\n".utf8))
            }
            try await app.runService()
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
            try await DemoSchool(root: root, database: database, keys: keys, publicURL: publicURL).load()
        }
    }
}

/// The fictional school of `Samples/`, loaded through the same commands a school runs, plus
/// one demonstration account per role. Passwords are public: for demonstration only.
struct DemoSchool {
    static let accounts: [(login: String, password: String, role: Role, name: String, student: String?, divisions: [String])] = [
        ("direction", "demo-direction", .admin, "Mme Durand", nil, []),
        ("enseignant", "demo-enseignant", .teacher, "M. Martin", nil, ["2CAP-EPC", "1MCV", "G-PFMP-A"]),
        ("professeur-college", "demo-enseignant", .teacher, "Mme Petit", nil, ["3A", "3SEGPA"]),
        ("eleve", "demo-eleve", .student, "Léa", "9000000001A", []),
        ("famille", "demo-famille", .family, "Famille de Léa", "9000000001A", []),
        ("inspection", "demo-inspection", .inspector, "M. Roux (IEN)", nil, []),
    ]

    var root: String
    var database: DatabaseOptions
    var keys: KeyOptions
    var publicURL: String

    func load() async throws {
        let path = database.resolvedPath
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try? FileManager.default.removeItem(atPath: keys.directory(database: database).path)
        let samples = (root as NSString).appendingPathComponent("Samples")
        let referentials = (root as NSString).appendingPathComponent("Referentiels")
        let files = try FileManager.default.contentsOfDirectory(atPath: referentials).filter { $0.hasSuffix(".xml") }.sorted()
        guard !files.isEmpty else { throw Failure("aucun référentiel dans \(referentials) : lancez la démonstration depuis le dépôt (--exemples)") }
        let db = ["--db", path]
        let keyFolder = ["--cles", keys.directory(database: database).path]
        let steps: [[String]] = [
            ["referentiel", "import"] + files.map { (referentials as NSString).appendingPathComponent($0) } + db,
            ["eleves", "import", "\(samples)/ElevesSansAdresses.xml"] + db,
            ["eval", "import", "\(samples)/evaluations.csv"] + db,
            ["eval", "import", "\(samples)/evaluations-college.csv"] + db,
            ["issuer", "init", "--nom", "Cité scolaire des Tilleuls (fictive)", "--site", "https://tilleuls.example.fr",
             "--courriel", "ce.0579999z@example.fr", "--url-publique", publicURL] + db + keyFolder,
            ["badge", "define", "\(samples)/badges.xml"] + db,
            ["badge", "award", "SAVOIR-ETRE-EQUIPE", "--eleve", "9000000001A", "--par", "enseignant",
             "--preuve", "Animation de l’équipe lors de l’inventaire de novembre"] + db,
            ["demande", "deposer", "--eleve", "9000000001A", "--referentiel", "CAP-EPC", "--competence", "B3.2",
             "--message", "J’ai tenu la caisse seule samedi pendant ma PFMP."] + db,
        ]
        for step in steps {
            var command = try Acquis.parseAsRoot(step)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        }
        let store = try database.open()
        try await store.writer.write { db in
            let year = SchoolYear(containing: .today)
            for account in Self.accounts {
                try AccountStore().create(NewAccount(login: account.login, passwordHash: Passwords.hash(account.password),
                                                     role: account.role, displayName: account.name,
                                                     student: account.student.map(StudentReference.ine)), in: db)
                if !account.divisions.isEmpty {
                    try AccountStore().assign(login: account.login, divisions: account.divisions, year: year, in: db)
                }
            }
            try Self.accompaniment(year: year, in: db)
        }
        print("Comptes de démonstration : " + Self.accounts.map { "\($0.login) / \($0.password)" }.joined(separator: ", "))
    }

    /// Early warning already at work: 3e A's silent student has a tutor and a follow-up from
    /// March, a SEGPA student has a lycée sponsor, 3e A has need groups for the first term.
    static func accompaniment(year: SchoolYear, in db: Database) throws {
        let hugo = try SchoolStore().student(.ine("9100000005E"), in: db).id
        try TutoringStore().assignTutor(studentID: hugo, teacherLogin: "professeur-college", year: year,
                                        since: CalendarDate(year: year.startYear, month: 9, day: 7)!, in: db)
        try FollowUpStore().record(studentID: hugo, action: "Entretien avec l’élève",
                                   decidedOn: CalendarDate(year: 2026, month: 3, day: 2)!,
                                   note: "Ne rend plus de travail depuis février ; rendez-vous avec la famille proposé.",
                                   author: "professeur-college", in: db)
        let segpa = try SchoolStore().student(.ine("9100000025Y"), in: db).id
        try TutoringStore().assignSponsor(studentID: segpa, sponsorID: SchoolStore().student(.ine("9000000001A"), in: db).id,
                                          year: year, since: CalendarDate(year: year.startYear, month: 10, day: 1)!, in: db)
        let schoolID = try SchoolStore().schoolID(studentID: hugo, in: db) ?? 0
        let division = try SchoolStore().division(code: "3A", schoolID: schoolID, year: year, in: db)
        let target = try ReferentialStore().target(code: "SOCLE-2015", in: db)
        guard let term = Period.named("T1", in: year) else { return }
        let groups = try NeedGroupStore().suggest(division: division, target: target, competencies: ["D2.1", "D2.2", "D3.1"],
                                                  period: term, asOf: min(CalendarDate.today, term.end), in: db)
        try NeedGroupStore().save(groups, division: division, by: "professeur-college", in: db)
    }
}
