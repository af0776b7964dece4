import AcquisApp
import AcquisCore
import AcquisDemoSupport
import AcquisExport
import AcquisReports
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import Foundation
import GRDB
import Testing

/// `acquis base copier`: a school's SQLite file moving into an académie's database. The
/// destination runs on each engine (an académie's PostgreSQL; a SQLite file gathering schools).
@Suite("Copying a school's database into an académie's")
struct SchoolCopyTests {
    static let demoUAI = "0579999Z", secondUAI = "0540001A"
    static let today = CalendarDate(year: 2026, month: 12, day: 2)!

    /// Copies every school of `source` into `destination`, in one write transaction per school.
    @discardableResult
    static func copy(_ source: DemoCopy, into destination: TestDatabase) throws -> [SchoolCopyReport] {
        let schools = try source.database.writer.read { try SchoolCopy.schools(in: $0) }
        return try schools.map { school in
            try destination.write { academy in
                try source.database.writer.read { try SchoolCopy(from: $0, into: academy).copy(schoolID: school.id) }
            }
        }
    }

    /// The demo school under another UAI, with other logins, INE, keys and badge ids: a
    /// second school of the académie, using the same referentials.
    static func secondSchool() async throws -> DemoCopy {
        let school = try await DemoDatabase.copy()
        try await school.database.writer.write { db in
            try db.execute(sql: """
                UPDATE school SET uai = '\(secondUAI)', name = 'Lycée de la Moselle';
                UPDATE account SET login = login || '-b';
                UPDATE teacher SET login = login || '-b';
                UPDATE student SET ine = '8' || substr(ine, 2);
                UPDATE badgeAward SET uuid = lower(hex(randomblob(16)));
                UPDATE issuerKey SET id = id || '-b';
                """)
        }
        return school
    }

    /// A school's data named by what people know it by (INE, codes, logins), never by ids:
    /// equal in two databases when the copy kept everything.
    static func fingerprint(of uai: String, in database: TestDatabase) throws -> [String: [String]] {
        let student = "JOIN student s ON s.id = x.studentId JOIN school sc ON sc.id = s.schoolId"
        let node = "JOIN referentialNode n ON n.id = x.nodeId JOIN referential r ON r.id = n.referentialId"
        let queries = [
            "students": "SELECT s.ine, s.localId, s.lastName, s.firstName, s.birthDate, s.leftOn FROM student s JOIN school sc ON sc.id = s.schoolId WHERE sc.uai = ?",
            "enrolments": "SELECT s.ine, d.code, d.schoolYear, d.kind FROM enrollment x \(student) JOIN division d ON d.id = x.divisionId WHERE sc.uai = ?",
            "evaluations": """
                SELECT s.ine, r.code, r.version, n.code, x.code, x.observedOn, x.context, x.evaluator, x.comment, x.isOverride,
                       x.recordedAt, x.recordedBy, x.withdrawnAt FROM evaluation x \(student) \(node) WHERE sc.uai = ?
                """,
            "masteries": """
                SELECT s.ine, r.code, n.code, x.rank, x.levelCode, x.score, x.isAcquired, x.explanation, x.observationCount,
                       x.lastObservedOn FROM mastery x \(student) \(node) WHERE sc.uai = ?
                """,
            "awards": """
                SELECT s.ine, b.code, x.awardedOn, x.awardedBy, x.evidence, x.achievedLevel, x.revokedAt
                FROM badgeAward x \(student) JOIN badgeClass b ON b.id = x.badgeClassId WHERE sc.uai = ?
                """,
            "badges": """
                SELECT b.code, b.name, b.rule, (SELECT COUNT(*) FROM badgeRequirement q WHERE q.badgeClassId = b.id),
                       (SELECT COUNT(*) FROM badgeAlignment q WHERE q.badgeClassId = b.id)
                FROM badgeClass b JOIN school sc ON sc.id = b.schoolId WHERE sc.uai = ?
                """,
            "accounts": """
                SELECT a.login, a.role, a.displayName, a.passwordHash, s.ine, t.name FROM account a JOIN school sc ON sc.id = a.schoolId
                LEFT JOIN student s ON s.id = a.studentId LEFT JOIN teacher t ON t.id = a.teacherId WHERE sc.uai = ?
                """,
            "teaching": """
                SELECT t.name, d.code FROM teaching x JOIN teacher t ON t.id = x.teacherId JOIN division d ON d.id = x.divisionId
                JOIN school sc ON sc.id = d.schoolId WHERE sc.uai = ?
                """,
            "follow-up": "SELECT s.ine, x.action, x.decidedOn, x.note FROM followUp x \(student) WHERE sc.uai = ?",
            "requests": "SELECT s.ine, n.code, x.message, x.status FROM evaluationRequest x \(student) \(node) WHERE sc.uai = ?",
            "syntheses": "SELECT s.ine, x.period, x.text, x.goals FROM synthesis x \(student) WHERE sc.uai = ?",
            "tutoring": "SELECT s.ine, x.kind, x.since, x.teacherId IS NULL, x.sponsorId IS NULL FROM tutoring x \(student) WHERE sc.uai = ?",
            "need groups": "SELECT s.ine, x.groupName, x.reason FROM needGroupMember x \(student) WHERE sc.uai = ?",
            "issuer": "SELECT i.name, i.url, i.publicBaseURL FROM issuer i JOIN school sc ON sc.id = i.schoolId WHERE sc.uai = ?",
        ]
        return try database.read { db in
            try queries.mapValues { sql in
                try db.rows(sql: sql, arguments: [uai]).map { $0.values.map(\.description).joined(separator: " | ") }.sorted()
            }
        }
    }

    /// A progress file's JSON without the second it was made at.
    static func withoutTime(_ file: ProgressFile) -> String {
        String(decoding: ProgressFileJSON.encoded(file), as: UTF8.self)
            .replacingOccurrences(of: #""generatedAt" : "[^"]*""#, with: "", options: .regularExpression)
    }

    /// The source as a test database, to read it with the same queries.
    static func sourceDatabase(_ copy: DemoCopy) throws -> TestDatabase {
        try TestDatabase(sqliteAt: copy.path)
    }

    @Test("the demo school arrives whole: every student's evaluations, levels, badges, accounts and the files families read", arguments: Engine.all)
    func demoArrivesWhole(engine: Engine) async throws {
        let demo = try await DemoDatabase.copy()
        let academy = try TestDatabase(engine)
        let reports = try Self.copy(demo, into: academy)
        let report = try #require(reports.first)
        #expect(reports.count == 1 && report.uai == Self.demoUAI && !report.mergedIntoExistingSchool)
        #expect(report.referentialsAdded.count == 5 && report.referentialsShared.isEmpty)
        #expect(report.accountsLeft.sorted() == ["academie", "inspection"])
        #expect(report.signingKeys.count == 1)

        let before = try Self.fingerprint(of: Self.demoUAI, in: try Self.sourceDatabase(demo))
        let after = try Self.fingerprint(of: Self.demoUAI, in: academy)
        #expect(before["evaluations"]!.count > 2_000 && before["masteries"]!.count > 1_000 && before["awards"]!.count > 100)
        for (part, rows) in before {
            #expect(after[part] == rows, "\(part): \(rows.count) rows before, \(after[part]?.count ?? 0) after")
        }

        // What a family reads is the same file, but for the second it was made at.
        let console = ActingPerson.console(name: "test")
        let period = Period.between(CalendarDate(year: 2026, month: 9, day: 1)!, Self.today)
        let school = App(storage: demo.database, today: Self.today), copied = App(storage: academy.storage, today: Self.today)
        for ine in ["9000000001A", "9000000002B"] {
            let here = try await school.students.progressFile(studentID: try await school.students.student(of: .ine(ine), by: console).id,
                                                              period: period, by: console)
            let there = try await copied.students.progressFile(studentID: try await copied.students.student(of: .ine(ine), by: console).id,
                                                               period: period, by: console)
            #expect(Self.withoutTime(here) == Self.withoutTime(there), "\(ine)")
        }
        // Léa signs in with her password: the same hash, found by her login.
        let credentials = try #require(try await copied.signIn.credentials(login: "eleve"))
        #expect(try await school.signIn.credentials(login: "eleve")?.passwordHash == credentials.passwordHash)
    }

    @Test("a student's productions arrive with their files, thumbnails, competencies and reflection", arguments: Engine.all)
    func productionsTravel(engine: Engine) async throws {
        let demo = try await DemoDatabase.copy()
        let console = ActingPerson.console(name: "test")
        let school = App(storage: demo.database, today: Self.today)
        let draft = ProductionDraft(student: .ine("9000000001A"), title: "Vitrine de Noël", day: CalendarDate(year: 2026, month: 11, day: 20)!,
                                    context: .atelier, competencies: [("CAP-EPC", ["B1.1", "B2.2"])])
        let added = try await school.portfolio.add(draft, file: try Fixtures.production("photo-gps.jpg"), by: console)
        try await demo.database.writer.write { db in
            try db.execute(sql: "UPDATE production SET reflection = 'J’ai appris à mettre en valeur.' WHERE id = ?", arguments: [added.id])
        }
        try await school.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B2.2", "A")], evaluator: "M. Martin", comment: nil, by: console)
        let academy = try TestDatabase(engine)
        try Self.copy(demo, into: academy)
        let copied = App(storage: academy.storage, today: Self.today)
        let arrived = try #require(try await copied.portfolio.productions(of: .ine("9000000001A"), by: console).first)
        #expect(arrived.title == added.title && arrived.day == added.day && arrived.context == .atelier)
        #expect(arrived.competencies == added.competencies)
        #expect(arrived.reflection == "J’ai appris à mettre en valeur.")
        let leaThere = try await copied.students.student(of: .ine("9000000001A"), by: console).id
        let cited = try await copied.students.evidence(studentID: leaThere, limit: 400, by: console).evidence.filter { $0.evaluation.productionID != nil }
        #expect(cited.map(\.evaluation.productionID) == [arrived.id], "the observation cites the production under its new id")
        for thumbnail in [false, true] {
            let here = try await school.portfolio.file(added.id, thumbnail: thumbnail, by: console)
            let there = try await copied.portfolio.file(arrived.id, thumbnail: thumbnail, by: console)
            #expect(here.content == there.content && here.mediaType == there.mediaType)
        }
    }

    @Test("a second school shares the académie's referentials and keeps its own rows apart", arguments: Engine.all)
    func secondSchoolSharesReferentials(engine: Engine) async throws {
        let academy = try TestDatabase(engine)
        try Self.copy(try await DemoDatabase.copy(), into: academy)
        let referentials = try academy.count("referential"), nodes = try academy.count("referentialNode")
        let second = try await Self.secondSchool()
        let report = try #require(try Self.copy(second, into: academy).first)
        #expect(report.referentialsShared.count == 5 && report.referentialsAdded.isEmpty)
        #expect(try academy.count("referential") == referentials && academy.count("referentialNode") == nodes)
        #expect(try academy.count("school") == 2)

        let before = try Self.fingerprint(of: Self.secondUAI, in: try Self.sourceDatabase(second))
        #expect(try Self.fingerprint(of: Self.secondUAI, in: academy) == before)
        let first = try Self.fingerprint(of: Self.demoUAI, in: academy)
        #expect(first["students"]!.count == before["students"]!.count && first["students"] != before["students"])

        if engine == .postgres {
            // Behind the wall, the second school sees its own students only.
            let id = try #require(try academy.read { try $0.value(Int64.self, sql: "SELECT id FROM school WHERE uai = ?", arguments: [Self.secondUAI]) })
            let seen = try SchoolConfinement.$schoolID.withValue(id) {
                try academy.read { try $0.values(String.self, sql: "SELECT ine FROM student") }
            }
            #expect(seen.count == before["students"]!.count && seen.allSatisfy { $0.hasPrefix("8") })
        }
    }

    @Test("a school that waited in the académie without data receives the copy and keeps its accounts", arguments: Engine.all)
    func waitingSchool(engine: Engine) async throws {
        let academy = try TestDatabase(engine)
        try academy.write { db in
            try db.run(sql: "INSERT INTO school (uai) VALUES (?)", arguments: [Self.demoUAI])
            _ = try AccountStore().create(NewAccount(login: "chef-etablissement", passwordHash: "x", role: .admin, displayName: "Proviseur",
                                                     schoolUAI: Self.demoUAI), in: db)
        }
        let report = try #require(try Self.copy(try await DemoDatabase.copy(), into: academy).first)
        #expect(report.mergedIntoExistingSchool)
        #expect(try academy.count("school") == 1)
        let accounts = try Self.fingerprint(of: Self.demoUAI, in: academy)["accounts"]!
        #expect(accounts.contains { $0.contains("\"chef-etablissement\"") } && accounts.contains { $0.contains("\"eleve\"") })
        let name = try academy.read { try $0.value(String.self, sql: "SELECT name FROM school") }
        #expect(name != nil)
    }

    @Test("a conflict is refused whole, naming what to fix: the school copied already, a login, an INE, a referential that differs",
          arguments: Engine.all)
    func conflictsAreRefused(engine: Engine) async throws {
        let demo = try await DemoDatabase.copy()

        let twice = try TestDatabase(engine)
        try Self.copy(demo, into: twice)
        let rows = try twice.count("evaluation")
        #expect(throws: SchoolCopyError.schoolHoldsData(uai: Self.demoUAI)) { try Self.copy(demo, into: twice) }
        #expect(try twice.count("evaluation") == rows && twice.count("school") == 1)

        let loginTaken = try TestDatabase(engine)
        try loginTaken.write { db in
            _ = try AccountStore().create(NewAccount(login: "Eleve", passwordHash: "x", role: .inspector, displayName: "IEN"), in: db)
        }
        #expect(throws: SchoolCopyError.loginsTaken(["eleve"])) { try Self.copy(demo, into: loginTaken) }
        #expect(try loginTaken.count("school") == 0 && loginTaken.count("referential") == 0)

        // The second school with the demo's INE: a student cannot be in two schools.
        let sameStudents = try await Self.secondSchool()
        try await sameStudents.database.writer.write { try $0.execute(sql: "UPDATE student SET ine = '9' || substr(ine, 2)") }
        let ineTaken = try TestDatabase(engine)
        try Self.copy(demo, into: ineTaken)
        let refusal = #expect(throws: SchoolCopyError.self) { try Self.copy(sameStudents, into: ineTaken) }
        guard case let .inesTaken(ines)? = refusal else { Issue.record("\(String(describing: refusal))"); return }
        #expect(ines.count == 72 && ines.contains("9000000001A"))
        #expect(try ineTaken.count("school") == 1)
        #expect(refusal?.description.contains("9000000001A, ") == true && refusal?.description.contains("et 62 autres") == true)

        // The académie renamed a competency of a referential the second school evaluates in.
        let differs = try TestDatabase(engine)
        try Self.copy(demo, into: differs)
        try differs.write { db in
            try db.run(sql: """
                UPDATE referentialNode SET code = 'B1.9' WHERE code = 'B1.1'
                    AND referentialId = (SELECT id FROM referential WHERE code = 'CAP-EPC')
                """)
        }
        let evaluations = try differs.count("evaluation"), second = try await Self.secondSchool()
        #expect(throws: SchoolCopyError.referentialDiffers(code: "CAP-EPC", version: "2019", what: "la compétence B1.1 y manque")) {
            try Self.copy(second, into: differs)
        }
        #expect(try differs.count("evaluation") == evaluations && differs.count("school") == 1)
    }

    @Test("a table the copy cannot place stops it before anything is written")
    func unknownTable() async throws {
        let demo = try await DemoDatabase.copy()
        try await demo.database.writer.write { try $0.execute(sql: "CREATE TABLE stray (note TEXT)") }
        try await demo.database.writer.read { db in
            #expect(throws: SchoolCopyError.unknownTable("stray")) { try SchoolCopy(from: db, into: db) }
        }
    }
}
