import AcquisApp
import AcquisCore
import AcquisEngines
import AcquisPostgres
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import Foundation
import Testing

/// What every engine behind ``Storage`` must do, run against SQLite and a real PostgreSQL
/// server (always in CI; elsewhere when PostgreSQL is installed).
@Suite("Any storage engine keeps a unit of work whole")
struct StorageContractTests {
    typealias Opener = @Sendable () throws -> any Storage
    static let sqlite: Opener = {
        try StorageLocation(FileManager.default.temporaryDirectory.appendingPathComponent("acquis-contract-\(UUID().uuidString).sqlite").path).open()
    }
    static let postgres: Opener = { try StorageLocation(try PostgresTestDatabase.address()).open() }
    static let engines: [(name: String, open: Opener)] = [("SQLite", sqlite)] + (PostgresTestDatabase.enabled ? [("PostgreSQL", postgres)] : [])
    static let year = SchoolYear(startYear: 2026)
    static let roster = StudentRoster(students: [
        Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP"),
    ])

    @Test("what a unit of work writes is read by the next one", arguments: engines.map(\.name))
    func committed(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let imported = try await storage.write { tx in try tx.schools.importRoster(Self.roster, uai: "0579999Z", year: Self.year) }
        #expect(imported.inserted == 1)
        let names = try await storage.read { tx in
            try tx.schools.students(inDivision: "2CAP", uai: "0579999Z", year: Self.year, asOf: CalendarDate(year: 2026, month: 12, day: 2)!)
                .map(\.student.firstName)
        }
        #expect(names == ["Léa"])
    }

    @Test("a unit of work that throws leaves nothing behind", arguments: engines.map(\.name))
    func rolledBack(engine: String) async throws {
        struct Interrupted: Error {}
        let storage = try Self.engines.first { $0.name == engine }!.open()
        await #expect(throws: Interrupted.self) {
            try await storage.write { tx in
                _ = try tx.schools.importRoster(Self.roster, uai: "0579999Z", year: Self.year)
                throw Interrupted()
            }
        }
        let ids = try await storage.read { tx in try tx.schools.studentIDs() }
        #expect(ids.isEmpty)
    }

    @Test("a session key is taken once; its value is read back until removed", arguments: engines.map(\.name))
    func sessions(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let now = Date()
        let first = try await storage.write { tx in try tx.sessions.create(key: "k", value: Data([1]), accountID: nil, expiresAt: nil, ssoTicket: nil, now: now) }
        let second = try await storage.write { tx in try tx.sessions.create(key: "k", value: Data([2]), accountID: nil, expiresAt: nil, ssoTicket: nil, now: now) }
        #expect(first && !second)
        #expect(try await storage.read { tx in try tx.sessions.peek(key: "k")?.value } == Data([1]))
        try await storage.write { tx in try tx.sessions.remove(key: "k") }
        #expect(try await storage.read { tx in try tx.sessions.peek(key: "k") } == nil)
    }

    @Test("a session is read with the account it names, in one statement; signed out, it names none", arguments: engines.map(\.name))
    func sessionWithItsAccount(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let now = Date()
        let account = try await storage.write { tx in
            try tx.accounts.create(NewAccount(login: "inspection", passwordHash: "x", role: .inspector, displayName: "Inspection"), at: now)
        }
        _ = try await storage.write { tx in try tx.sessions.create(key: "signed", value: Data([1]), accountID: account.id, expiresAt: nil, ssoTicket: nil, now: now) }
        _ = try await storage.write { tx in try tx.sessions.create(key: "anonymous", value: Data([2]), accountID: nil, expiresAt: nil, ssoTicket: nil, now: now) }
        let signed = try await storage.readStatement { tx in try tx.sessions.peek(key: "signed") }
        let anonymous = try await storage.readStatement { tx in try tx.sessions.peek(key: "anonymous") }
        #expect(signed?.account == account && signed?.value == Data([1]) && signed?.accountID == account.id)
        #expect(anonymous != nil && anonymous?.account == nil && anonymous?.value == Data([2]))
        // Signing out rewrites the session without its account.
        try await storage.write { tx in try tx.sessions.set(key: "signed", value: Data([3]), accountID: nil, expiresAt: nil, ssoTicket: nil, now: now) }
        let signedOut = try await storage.readStatement { tx in try tx.sessions.peek(key: "signed") }
        #expect(signedOut?.value == Data([3]) && signedOut?.account == nil && signedOut?.accountID == nil)
        #expect(try await storage.readStatement { tx in try tx.sessions.peek(key: "none") } == nil)
    }

    @Test("on PostgreSQL, a read of one statement opens no transaction (no BEGIN, no COMMIT), unless confined to a school; a second statement in it is refused",
          .enabled(if: PostgresTestDatabase.enabled))
    func oneStatementRead() async throws {
        let storage = try Self.postgres()
        let isolation = "SELECT current_setting('transaction_isolation')"
        let alone = try await storage.readStatement { tx in try (tx as! SQLTransaction).db.value(String.self, sql: isolation) }
        let inTransaction = try await storage.read { tx in try (tx as! SQLTransaction).db.value(String.self, sql: isolation) }
        #expect(alone == "read committed", "the server's default: no BEGIN was sent")
        #expect(inTransaction == "repeatable read")
        // The wall of a school is set for the transaction: a confined read opens one.
        let confined = try await SchoolConfinement.$schoolID.withValue(1) {
            try await storage.readStatement { tx in try (tx as! SQLTransaction).db.value(String.self, sql: "SELECT current_setting('acquis.school', true)") }
        }
        #expect(confined == "1")
        await #expect(throws: PostgresStorageError.oneStatementOnly) {
            try await storage.readStatement { tx in
                _ = try tx.sessions.peek(key: "a")
                return try tx.sessions.peek(key: "b")
            }
        }
        // The connection serves the next unit of work as usual.
        #expect(try await storage.readStatement { tx in try tx.sessions.peek(key: "a") } == nil)
    }

    @Test("single logout ends exactly the sessions opened with that CAS ticket", arguments: engines.map(\.name))
    func sessionsByTicket(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let now = Date()
        _ = try await storage.write { tx in try tx.sessions.create(key: "a", value: Data([1]), accountID: nil, expiresAt: nil, ssoTicket: "t1", now: now) }
        try await storage.write { tx in try tx.sessions.set(key: "b", value: Data([2]), accountID: nil, expiresAt: nil, ssoTicket: "t2", now: now) }
        // Rewriting a session without a ticket keeps the one it has.
        try await storage.write { tx in try tx.sessions.set(key: "b", value: Data([3]), accountID: nil, expiresAt: nil, ssoTicket: nil, now: now) }
        #expect(try await storage.write { tx in try tx.signInMethods.endSessions(ssoTicket: "t2") } == 1)
        #expect(try await storage.read { tx in try tx.sessions.peek(key: "b") } == nil)
        #expect(try await storage.read { tx in try tx.sessions.peek(key: "a") } != nil)
    }

    @Test("a SAML request is answered once and not after it expires; an assertion id is accepted once until it expires", arguments: engines.map(\.name))
    func samlRequestsAndReplays(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let now = Date()
        let school = try await storage.write { tx in
            try tx.schools.importRoster(StudentRoster(students: []), uai: "0999999X", year: SchoolYear(containing: .today))
            return try tx.schools.schoolID(uai: "0999999X")
        }
        try await storage.write { tx in
            try tx.signInMethods.saveRequest(id: "_r1", schoolID: school, expiresAt: now.addingTimeInterval(600))
            try tx.signInMethods.saveRequest(id: "_r2", schoolID: school, expiresAt: now.addingTimeInterval(600))
        }
        #expect(try await storage.write { tx in try tx.signInMethods.consumeRequest(id: "_r1", now: now) } == school)
        #expect(try await storage.write { tx in try tx.signInMethods.consumeRequest(id: "_r1", now: now) } == nil)
        #expect(try await storage.write { tx in try tx.signInMethods.consumeRequest(id: "_r2", now: now.addingTimeInterval(601)) } == nil)

        let expires = now.addingTimeInterval(300)
        #expect(try await storage.write { tx in try tx.signInMethods.recordAssertion(id: "_a", expiresAt: expires, now: now) })
        #expect(try await storage.write { tx in try tx.signInMethods.recordAssertion(id: "_a", expiresAt: expires, now: now.addingTimeInterval(200)) } == false)
    }

    @Test("a file sent for a preview is kept a day, then forgotten with the codes of letters", arguments: engines.map(\.name))
    func uploadsExpire(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        _ = try await storage.write { tx in try tx.setup.createSchool(uai: "0579999Z", name: "Lycée") }
        let sent = Date().addingTimeInterval(-2 * 24 * 3600)
        let id = try await storage.write { tx in
            try tx.uploads.save(.letters, schoolID: tx.schools.schoolID(uai: "0579999Z"), fileName: "lettres", content: [1, 2, 3],
                                uploadedBy: "direction", at: sent)
        }
        #expect(try await storage.read { tx in try tx.uploads.upload(id: id, now: sent.addingTimeInterval(60)) }?.content == [1, 2, 3])
        #expect(try await storage.read { tx in try tx.uploads.upload(id: id, now: Date()) } == nil, "older than a day: not served")
        try await App(storage: storage).school.forgetExpiredUploads()
        #expect(try await storage.read { tx in try tx.uploads.upload(id: id, now: sent.addingTimeInterval(60)) } == nil, "and gone")
    }

    @Test("a setup link is used once, and never after its expiry", arguments: engines.map(\.name))
    func setupLink(engine: String) async throws {
        let storage = try Self.engines.first { $0.name == engine }!.open()
        let now = Date()
        try await storage.write { tx in try tx.setup.saveToken(hash: "h1", expiresAt: now.addingTimeInterval(60)) }
        #expect(try await storage.read { tx in try tx.setup.tokenIsLive(hash: "h1", now: now.addingTimeInterval(61)) } == false)
        #expect(try await storage.write { tx in try tx.setup.consumeToken(hash: "h1", now: now) })
        #expect(try await storage.write { tx in try tx.setup.consumeToken(hash: "h1", now: now) } == false)
    }
}

@Suite("A database location names its engine")
struct StorageLocationTests {
    @Test("a plain path and sqlite:PATH both name an SQLite file")
    func sqlite() throws {
        #expect(try StorageLocation("/var/lib/acquis/acquis.sqlite").engine == .sqlite(path: "/var/lib/acquis/acquis.sqlite"))
        #expect(try StorageLocation("sqlite:ecole.sqlite").engine == .sqlite(path: "ecole.sqlite"))
    }

    @Test("a postgres:// address names a PostgreSQL database; its password never shows")
    func postgres() throws {
        let location = try StorageLocation("postgres://acquis:secret@db.ac-nancy-metz.fr:5433/academie")
        #expect(location.engine == .postgres(PostgresLocation(host: "db.ac-nancy-metz.fr", port: 5433, user: "acquis",
                                                               password: "secret", database: "academie")))
        #expect(location.description == "postgres://acquis@db.ac-nancy-metz.fr:5433/academie")
        #expect(try StorageLocation("postgresql://acquis@localhost/academie").description == "postgres://acquis@localhost:5432/academie")
        let fromEnvironment = try PostgresLocation("postgres://acquis@localhost/academie", environment: ["PGPASSWORD": "pw"])
        #expect(fromEnvironment.password == "pw")
    }

    @Test("an address without user or database is refused, in French, without its password",
          arguments: ["postgres://localhost/academie", "postgres://acquis:secret@localhost", "postgres://acquis@/academie",
                      "postgres://acquis:secret@localhost/a/b"])
    func invalidPostgres(address: String) {
        #expect {
            _ = try StorageLocation(address)
        } throws: { error in
            let text = "\(error)"
            return text.contains("adresse PostgreSQL") && !text.contains("secret") && text.contains("postgres://UTILISATEUR@HÔTE:PORT/BASE")
        }
    }
}

/// The layers of the README's « Architecture », checked on the sources: a module that crosses
/// a layer it should not fails here, before it grows into a habit.
@Suite("Each layer imports only the one below it")
struct LayerTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    static func imports(of module: String) throws -> Set<String> {
        let folder = sources.appendingPathComponent(module)
        var found = Set<String>()
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                found.insert(String(line.split(separator: " ").last!))
            }
        }
        return found
    }

    @Test("front ends, the application core and publishing name no database engine",
          arguments: ["AcquisWeb", "AcquisCLI", "AcquisApp", "AcquisPublishing"])
    func noEngine(module: String) throws {
        let engines: Set = ["GRDB", "GRDBSQLite", "SQLite3", "AcquisStore", "AcquisPostgres", "PostgresNIO"]
        #expect(try Self.imports(of: module).isDisjoint(with: engines))
    }

    @Test("the domain modules and the storage protocols import no I/O library",
          arguments: ["AcquisCore", "AcquisGrading", "AcquisBadges", "AcquisVigilance", "AcquisReports", "AcquisStorage"])
    func pureDomain(module: String) throws {
        let allowed: Set = ["AcquisCore", "AcquisGrading", "AcquisBadges", "AcquisVigilance", "AcquisReports", "Foundation"]
        #expect(try Self.imports(of: module).subtracting(allowed).isEmpty)
    }
}

/// A PostgreSQL server that restarts or goes away: nothing half-written, and the request can be
/// tried again.
@Suite("PostgreSQL going away and coming back", .enabled(if: PostgresTestDatabase.enabled))
struct PostgresOutageTests {
    static let roster = StorageContractTests.roster

    @Test("after a restart the next unit of work runs on a new connection; while the server is down each one fails as « try again », then works again")
    func outage() async throws {
        let server = try PostgresServer.startPrivate()
        let storage = try StorageLocation(try server.newDatabase()).open()
        let year = StorageContractTests.year
        _ = try await storage.write { tx in try tx.schools.importRoster(Self.roster, uai: "0579999Z", year: year) }

        try server.stop(restarting: true)
        let afterRestart = try await storage.read { tx in try tx.schools.studentIDs().count }
        #expect(afterRestart == 2, "the pooled connection the restart closed was replaced without the caller seeing it")

        try server.stop(restarting: false)
        await #expect { try await storage.read { tx in try tx.schools.studentIDs() } } throws: { $0 is any TransientStorageError }
        await #expect { try await storage.write { tx in try tx.setup.saveToken(hash: "h", expiresAt: Date()) } } throws: {
            $0 is any TransientStorageError
        }

        try server.start()
        #expect(try await storage.read { tx in try tx.schools.studentIDs().count } == 2)
        #expect(try await storage.read { tx in try tx.setup.tokenIsLive(hash: "h", now: Date.distantPast) } == false,
                "nothing of the failed unit of work was kept")
    }
}
