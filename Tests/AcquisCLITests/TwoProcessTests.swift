import AcquisTestSupport
import Foundation
import Testing

/// An académie runs several `acquis serve` processes on one PostgreSQL database: a person
/// moves between them from one request to the next without noticing.
@Suite("Two acquis serve processes on one PostgreSQL database", .enabled(if: PostgresTestDatabase.enabled))
struct TwoProcessTests {
    @Test("a session opened on one is valid on the other; what one records the other shows at once; a guesser slowed on one is slowed on the other")
    func twoProcesses() async throws {
        let acquis = AcquisBinary(database: try PostgresTestDatabase.address())
        let loaded = try acquis("demo", "--exemples", Fixtures.repositoryRoot.path)
        try #require(loaded.status == 0, "\(loaded.errors)")
        let first = try RunningServer(acquis), second = try RunningServer(acquis)
        defer { first.stop(); second.stop() }

        let teacher = PlainHTTP()
        let session = try await teacher.send("POST", "\(first.base)/api/v1/session",
                                             json: #"{"identifiant": "enseignant", "motDePasse": "demo-enseignant"}"#)
        #expect(session.status == 200)
        let csrf = try #require(session.body.firstMatch(of: /"csrf":"([^"]+)"/).map { String($0.1) })
        let grid = try await teacher.get("\(second.base)/api/v1/classes/2CAP-EPC/grille?referentiel=CAP-EPC")
        #expect(grid.status == 200, "the session opened on the first process is valid on the second")
        // A competency a student has no level in yet: the level recorded is the level shown.
        let before = try Self.levels(in: grid.body)
        let codes = try Self.competencies(in: grid.body)
        let pairs = before.keys.sorted().compactMap { id in codes.first { before[id]?[$0] == nil }.map { (id, $0) } }
        let (student, competency) = try #require(pairs.first)

        let recorded = try await teacher.send("POST", "\(first.base)/api/v1/evaluations", json: """
            {"eleve": \(student), "referentiel": "CAP-EPC", "competence": "\(competency)", "niveau": "A"}
            """, headers: ["X-CSRF-Token": csrf])
        #expect(recorded.status == 201 || recorded.status == 200, "\(recorded.body)")
        let after = try await teacher.get("\(second.base)/api/v1/classes/2CAP-EPC/grille?referentiel=CAP-EPC")
        #expect(try Self.levels(in: after.body)[student]?[competency] == "A", "the second process reads the level the first recorded")

        // Five wrong passwords on the first process spend the free attempts of the second too:
        // among the next four on the second, one is told to wait. (Counting alone, the second
        // would allow all four. Each failure past the fifth doubles the wait from 1 s, so that a
        // slow machine between two requests does not hide it.)
        let guesser = PlainHTTP()
        for _ in 1...5 {
            let refused = try await guesser.send("POST", "\(first.base)/api/v1/session",
                                                 json: #"{"identifiant": "direction", "motDePasse": "essai"}"#)
            #expect(refused.status == 401)
        }
        var statuses: [Int] = []
        for _ in 1...4 where !statuses.contains(429) {
            statuses.append(try await guesser.send("POST", "\(second.base)/api/v1/session",
                                                   json: #"{"identifiant": "direction", "motDePasse": "encore"}"#).status)
        }
        #expect(statuses.contains(429), "\(statuses)")
    }
}

extension TwoProcessTests {
    /// Each student's levels in the API's grid, by student id.
    static func levels(in json: String) throws -> [Int: [String: String]] {
        let grid = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        var levels: [Int: [String: String]] = [:]
        for student in grid?["eleves"] as? [[String: Any]] ?? [] {
            if let id = student["id"] as? Int { levels[id] = student["niveaux"] as? [String: String] ?? [:] }
        }
        return levels
    }

    /// The competency codes of the API's grid, in its order.
    static func competencies(in json: String) throws -> [String] {
        let grid = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (grid?["competences"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
}

/// `acquis serve` in a process of its own, on a free loopback port.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(_ acquis: AcquisBinary) throws {
        port = try PostgresServer.unusedPort()
        process.executableURL = AcquisBinary.url
        process.arguments = ["serve", "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(["ACQUIS_DB": acquis.database, "ACQUIS_KEYS": acquis.keys]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // « Acquis est prêt : http://… » once it listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 { line.append(first) }
        guard String(decoding: line, as: UTF8.self).hasPrefix("Acquis est prêt") else {
            stop()
            throw PostgresServer.Failure(command: "acquis serve", output: String(decoding: line, as: UTF8.self))
        }
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Every page each demo account reaches answers without a server error on PostgreSQL: the
/// same store code, but the SQL meets another engine, and each page's queries do too.
@Suite("The web app's pages on PostgreSQL", .enabled(if: PostgresTestDatabase.enabled))
struct PostgresPagesTests {
    static let accounts = [("enseignant", "demo-enseignant"), ("direction", "demo-direction"), ("eleve", "demo-eleve"),
                           ("famille", "demo-famille"), ("inspection", "demo-inspection"), ("professeur-college", "demo-enseignant"),
                           ("academie", "demo-academie")]

    @Test("each demo account's pages, followed link by link (three of each kind), answer without a server error")
    func crawl() async throws {
        let acquis = AcquisBinary(database: try PostgresTestDatabase.address())
        let loaded = try acquis("demo", "--exemples", Fixtures.repositoryRoot.path)
        try #require(loaded.status == 0, "\(loaded.errors)")
        let server = try RunningServer(acquis)
        defer { server.stop() }
        for (login, password) in Self.accounts {
            let browser = try await Self.signIn(login, password, on: server)
            let pages = try await Self.crawl(from: browser.home, with: browser.client, on: server)
            let failures = pages.filter { $0.status >= 500 }.map { "\($0.status) \($0.path)" }
            #expect(failures.isEmpty, "\(login): \(failures)")
            // The académie's team has one page (and its CSV); everyone else many.
            #expect(pages.count > (login == "academie" ? 1 : 5), "\(login) reached \(pages.count) pages")
        }
    }

    @Test("a second school's direction, on the same database, reaches nothing of the demo school through any page or API route")
    func crossSchool() async throws {
        let address = try PostgresTestDatabase.address()
        let acquis = AcquisBinary(database: address)
        let loaded = try acquis("demo", "--exemples", Fixtures.repositoryRoot.path)
        try #require(loaded.status == 0, "\(loaded.errors)")
        let roster = Fixtures.folder.appendingPathComponent("ecole-b-\(UUID().uuidString).csv")
        try "INE;Nom;Prénom;Classe\n9100000009Z;ZÉPHIR;Noé;2NB\n".write(to: roster, atomically: true, encoding: .utf8)
        #expect(try acquis("eleves", "import", roster.path, "--uai", "0881234B").status == 0)
        let created = try acquis(["compte", "creer", "--identifiant", "direction-b", "--role", "direction", "--nom", "Direction B",
                                  "--uai", "0881234B"], input: "mot-de-passe-b-123\n")
        try #require(created.status == 0, "\(created.errors)")
        // The académie sees both schools, in counts.
        let overview = try acquis("academie", "synthese")
        #expect(overview.status == 0, "\(overview.errors)")
        #expect(overview.output.contains("Ensemble;Établissements et élèves de l’année;2;"))
        #expect(!overview.output.contains("ZÉPHIR") && !overview.output.contains("9100000009Z"))
        let server = try RunningServer(acquis)
        defer { server.stop() }

        // What the demo school's own people reach: every kind of page, and the API on its students and classes.
        var paths: Set<String> = []
        for (login, password) in Self.accounts where login != "inspection" {
            let browser = try await Self.signIn(login, password, on: server)
            for page in try await Self.crawl(from: browser.home, with: browser.client, on: server) where page.status == 200 {
                paths.insert(page.path)
            }
        }
        let database = String(address.split(separator: "/").last!)
        let postgres = try #require(PostgresServer.shared)
        let students = try postgres.query("SELECT id || '|' || ine || '|' || lastName FROM student WHERE ine <> '9100000009Z'", database: database)
            .map { $0.split(separator: "|").map(String.init) }
        let classes = try postgres.query("SELECT DISTINCT code FROM division d JOIN school s ON s.id = d.schoolId WHERE s.uai <> '0881234B'",
                                         database: database)
        for student in students {
            paths.formUnion(["/api/v1/eleves/\(student[0])/progression", "/api/v1/eleves/\(student[0])/badges", "/api/v1/eleves/\(student[0])/bilan"])
        }
        for code in classes { paths.formUnion(["/api/v1/classes/\(code)/grille", "/api/v1/classes/\(code)/periode"]) }
        paths.formUnion(["/api/v1/classes", "/api/v1/comptes", "/api/v1/enseignants", "/api/v1/demandes", "/api/v1/etablissement"])
        #expect(paths.count > 40, "\(paths.count) routes to try")

        // And what the second school's direction reaches by its own links.
        let other = try await Self.signIn("direction-b", "mot-de-passe-b-123", on: server)
        let own = try await Self.crawl(from: other.home, with: other.client, on: server).map(\.path)
        var leaks: [String] = [], sawOwn = false
        for path in paths.union(own).sorted() {
            let reply = try await other.client.get(server.base + path)
            #expect(reply.status < 500, "\(reply.status) \(path)")
            if path.hasPrefix("/api/v1/eleves/") { #expect(reply.status == 403, "\(reply.status) \(path)") }
            sawOwn = sawOwn || reply.body.contains("ZÉPHIR")
            for student in students where reply.body.contains(student[1]) || reply.body.contains(student[2]) {
                leaks.append("\(path) shows \(student[2])")
            }
        }
        #expect(leaks.isEmpty, "\(leaks)")
        #expect(sawOwn, "the second school's direction sees its own student somewhere")
    }

    /// A browser signed in as `login`, and the page it lands on.
    static func signIn(_ login: String, _ password: String, on server: RunningServer) async throws -> (client: PlainHTTP, home: String) {
        let browser = PlainHTTP()
        let form = try await browser.get("\(server.base)/connexion")
        let token = try #require(PlainHTTP.field("_csrf", in: form.body))
        let signedIn = try await browser.post("\(server.base)/connexion",
                                              form: ["identifiant": login, "mot_de_passe": password, "_csrf": token])
        #expect(signedIn.status == 302 || signedIn.status == 303, "\(login)")
        return (browser, signedIn.location ?? "/")
    }

    /// Every page reached from `home`, link by link: three pages of each kind (pages of one kind,
    /// a student or a competency, differ by ids).
    static func crawl(from home: String, with browser: PlainHTTP, on server: RunningServer) async throws -> [(path: String, status: Int)] {
        var queue = [home], seen: Set<String> = [home], kinds: [String: Int] = [:], visited: [(String, Int)] = []
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let page = try await browser.get(server.base + path)
            visited.append((path, page.status))
            if let location = page.location, location.hasPrefix("/"), !seen.contains(location) {
                seen.insert(location)
                queue.append(location)
            }
            guard page.headers["Content-Type"]?.hasPrefix("text/html") == true else { continue }
            for match in page.body.matches(of: /href="(\/[^"#]*)"/) {
                let link = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
                guard !seen.contains(link), !skipped(link) else { continue }
                let kind = link.replacing(/\d+/, with: "#").replacing(/\?.*/, with: "")
                guard kinds[kind, default: 0] < 3 else { continue }
                kinds[kind, default: 0] += 1
                seen.insert(link)
                queue.append(link)
            }
        }
        return visited
    }

    /// Signing out, files to download and static assets are not pages to crawl.
    static func skipped(_ link: String) -> Bool {
        ["/deconnexion", "/static", "/assets", "/export", "/openbadges", "/api"].contains { link.hasPrefix($0) }
            || [".css", ".js", ".png", ".svg", ".pdf", ".zip", ".xml", ".csv", ".json", ".woff2"].contains { link.hasSuffix($0) }
    }
}
