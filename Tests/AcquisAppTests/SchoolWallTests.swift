import AcquisApp
import AcquisCore
import AcquisPostgres
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import Foundation
import Testing

/// One académie database, two schools: the fixture's lycée (0579999Z) and a second school
/// with one student. The application's access checks are the first wall between them; on
/// PostgreSQL, row-level security is the second, for a query that forgets its school.
@Suite("The wall between schools of one database")
struct SchoolWallTests {
    static let otherUAI = "0881234B"
    static let noe = StudentReference.ine("9100000009Z")

    /// The fixture's school and the second one, each with an evaluation; the second school's
    /// direction account.
    static func twoSchools(_ engine: Engine) async throws -> (AppFixture, other: Account) {
        let fixture = try await AppFixture(engine)
        let other = try fixture.database.write { db in
            try SchoolStore().importRoster(StudentRoster(students: [
                Student(ine: "9100000009Z", localID: "9", lastName: "ZÉPHIR", firstName: "Noé", division: "2NB"),
            ]), uai: otherUAI, year: AppFixture.year, in: db)
            return try AccountStore().create(NewAccount(login: "direction-b", passwordHash: "x", role: .admin, displayName: "Direction B",
                                                        schoolUAI: otherUAI), in: db)
        }
        _ = try await fixture.app.evaluations.record(AppFixture.entry("A", on: 5), by: AppFixture.console)
        _ = try await fixture.app.evaluations.record(AppFixture.entry("A", on: 6, student: noe), by: AppFixture.console)
        return (fixture, other)
    }

    @Test("a query without its school filter, run for a school's account, returns that school's rows only", .enabled(if: PostgresTestDatabase.enabled))
    func unfilteredQueryIsConfined() async throws {
        let (fixture, other) = try await Self.twoSchools(.postgres)
        let lea = try #require(fixture.accounts["lea"])
        // `studentIDs()` reads every student of the database: the console's list.
        let everyone = try await fixture.app.storage.read { tx in try tx.schools.studentIDs() }
        let seenByOther = try await fixture.app.confining(to: .account(other)) {
            try await fixture.app.storage.read { tx in try tx.schools.studentIDs() }
        }
        let seenByLea = try await fixture.app.confining(to: .account(lea)) {
            try await fixture.app.storage.read { tx in try tx.schools.studentIDs() }
        }
        // Each student is there by INE and by local id.
        #expect(Set(everyone.values).count == 4)
        #expect(Set(seenByOther.values).count == 1)
        #expect(Set(seenByLea.values).count == 3)
        #expect(Set(seenByOther.values).isDisjoint(with: seenByLea.values))
    }

    @Test("every walled table splits between the two schools; confined to one, nothing of the other is seen", .enabled(if: PostgresTestDatabase.enabled))
    func everyTableSplits() async throws {
        let (fixture, other) = try await Self.twoSchools(.postgres)
        let tables = try fixture.database.read { db in
            try db.values(String.self, sql: "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND rowsecurity ORDER BY 1")
        }
        let schoolA = try #require(fixture.accounts["direction"]?.schoolID), schoolB = try #require(other.schoolID)
        func counts(confinedTo school: Int64?) throws -> [String: Int] {
            try SchoolConfinement.$schoolID.withValue(school) {
                try fixture.database.read { db in
                    try Dictionary(uniqueKeysWithValues: tables.map { ($0, try db.value(Int.self, sql: "SELECT COUNT(*) FROM \($0)") ?? 0) })
                }
            }
        }
        let all = try counts(confinedTo: nil), inA = try counts(confinedTo: schoolA), inB = try counts(confinedTo: schoolB)
        for table in tables {
            #expect(inA[table]! + inB[table]! <= all[table]!, "\(table): a row seen from both schools")
        }
        #expect(inB["student"] == 1 && inB["evaluation"] == 1 && inB["school"] == 1 && inB["enrollment"] == 1 && inB["account"] == 1)
        #expect(inA["student"] == 3 && inA["evaluation"] == 1 && inA["school"] == 1)
        #expect(inB["mastery"]! >= 1 && inA["mastery"]! >= 1)
        #expect(try counts(confinedTo: 0).values.allSatisfy { $0 == 0 }, "a school account without a school sees nothing")
    }

    @Test("confined to one school, another school's rows can be neither changed nor added", .enabled(if: PostgresTestDatabase.enabled))
    func writesAreConfined() async throws {
        let (fixture, other) = try await Self.twoSchools(.postgres)
        let leaID = try #require(fixture.accounts["lea"]?.studentID)
        let changed = try SchoolConfinement.$schoolID.withValue(other.schoolID) {
            try fixture.database.write { db in
                try db.run(sql: "UPDATE student SET lastName = 'EFFACÉ' WHERE id = ?", arguments: [leaID])
                return db.changedRows
            }
        }
        #expect(changed == 0)
        #expect(try fixture.database.read { try $0.value(String.self, sql: "SELECT lastName FROM student WHERE id = ?", arguments: [leaID]) } == "MARTIN")
        #expect {
            try SchoolConfinement.$schoolID.withValue(other.schoolID) {
                try fixture.database.write { db in
                    try db.run(sql: """
                        INSERT INTO evaluation (studentId, nodeId, code, observedOn, context, recordedAt)
                        SELECT ?, nodeId, code, observedOn, context, recordedAt FROM evaluation LIMIT 1
                        """, arguments: [leaID])
                }
            }
        } throws: { error in
            guard case let .statementFailed(state, _) = error as? PostgresStorageError else { return false }
            return state == "42501"
        }
    }

    @Test("every table whose rows name a school, a student, a class, a badge or an evaluation is walled; the others are shared", .enabled(if: PostgresTestDatabase.enabled))
    func wallCoversSchoolTables() async throws {
        let database = try TestDatabase(.postgres)
        let unwalled = Set(try database.read { db in
            try db.values(String.self, sql: """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                """)
        })
        #expect(unwalled == ["acquismigration", "referential", "referentialnode", "externalcode", "scalelevel", "scalespecialcode",
                             "competencylink", "referentialpolicy", "referentialdraft", "setuptoken", "samlassertion",
                             "signinfailure", "signinknownaddress", "websession", "websecret"])
    }

    @Test("a superuser role is refused: the wall would not hold for it", .enabled(if: PostgresTestDatabase.enabled))
    func superuserIsRefused() throws {
        let server = try #require(PostgresServer.shared)
        let address = try PostgresTestDatabase.address()
        let database = String(address.split(separator: "/").last!)
        #expect {
            try PostgresStorage(try PostgresLocation(server.address(database: database, user: PostgresServer.administrator)))
        } throws: { error in
            guard case .passesThroughSchoolWall(role: PostgresServer.administrator) = error as? PostgresStorageError else { return false }
            return "\(error)".contains("superutilisateur")
        }
    }

    @Test("a login made for a school's student steps around another school's, out of sight behind the wall", arguments: Engine.all)
    func loginsAcrossSchools(engine: Engine) async throws {
        let (fixture, other) = try await Self.twoSchools(engine)
        try fixture.database.write { db in
            _ = try AccountStore().create(NewAccount(login: "noe.zephir", passwordHash: "x", role: .teacher, displayName: "Noé Zéphir",
                                                     schoolUAI: "0579999Z"), in: db)
        }
        let batch = try await fixture.app.confining(to: .account(other)) {
            try await fixture.app.accounts.createStudentAccounts(divisions: ["2NB"], by: .account(other))
        }
        #expect(batch.letters.map(\.login) == ["noe.zephir2"])
        await #expect(throws: AccountStoreError.loginTaken("prof")) {
            try await fixture.app.confining(to: .account(other)) {
                try await fixture.app.school.createAccount(NewAccount(login: "prof", passwordHash: "x", role: .teacher, displayName: "Prof B"),
                                                           divisions: [], by: .account(other))
            }
        }
    }

    @Test("a school's roster never takes another school's student", arguments: Engine.all)
    func rosterKeepsOtherSchoolsStudents(engine: Engine) async throws {
        let (fixture, other) = try await Self.twoSchools(engine)
        let roster = StudentRoster(students: [Student(ine: "9000000001A", localID: "77", lastName: "MARTIN", firstName: "Léa", division: "2NB")])
        await #expect(throws: SchoolStoreError.ineTakenInAnotherSchool(ine: "9000000001A")) {
            try await fixture.app.school.importRoster(roster, uai: Self.otherUAI, year: AppFixture.year, by: AppFixture.console)
        }
        await #expect(throws: SchoolStoreError.ineTakenInAnotherSchool(ine: "9000000001A")) {
            try await fixture.app.confining(to: .account(other)) {
                try await fixture.app.school.importRoster(roster, uai: Self.otherUAI, year: AppFixture.year, by: .account(other))
            }
        }
        let schoolOfLea = try fixture.database.read { db in
            try db.value(String.self, sql: "SELECT s.uai FROM student e JOIN school s ON s.id = e.schoolId WHERE e.ine = '9000000001A'")
        }
        #expect(schoolOfLea == "0579999Z")
    }
}
