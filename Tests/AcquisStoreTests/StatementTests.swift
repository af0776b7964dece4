import AcquisCore
@testable import AcquisPostgres
import AcquisStorageTestSupport
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import Dispatch
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

/// What a statement sends arrives as sent, the first time and every time after: on
/// PostgreSQL a statement is prepared on its connection at its first use, then run by name
/// with its values written into the `EXECUTE` (custom plans for its first five runs, then
/// perhaps a generic one), except values too long for that, which travel beside it.
@Suite("Statements run again and again")
struct StatementTests {
    static let hostile = [
        "O'Brien", "l’élève « Zoé »", #"C:\dossier\n"#, #"\'; DROP TABLE student; --"#, "''", #"\"#, "E'x'", "$$ $1 $tag$",
        "é\u{301}🙂", " ", "",
    ]

    @Test("a text value with quotes, backslashes and dollars comes back as sent, on every run", arguments: Engine.all)
    func hostileText(engine: Engine) throws {
        let database = try TestDatabase(engine)
        try database.write { db in
            for run in 0..<8 {
                for text in Self.hostile {
                    let back = try db.value(String.self, sql: "SELECT CAST(? AS TEXT) || ''", arguments: [text])
                    #expect(back == text, "run \(run)")
                }
            }
        }
    }

    @Test("a value too long to be written into the statement, and NULL, still arrive", arguments: Engine.all)
    func longAndNull(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let long = String(repeating: "l’atelier ' \\ ", count: 2_000)
        try database.write { db in
            for _ in 0..<3 {
                let back = try db.value(String.self, sql: "SELECT CAST(? AS TEXT)", arguments: [long])
                let null = try db.value(String.self, sql: "SELECT CAST(? AS TEXT)", arguments: [nil as String?])
                let sum = try db.value(Int64.self, sql: "SELECT CAST(? AS BIGINT) + 1", arguments: [41])
                #expect(back == long && null == nil && sum == 42)
            }
        }
    }

    @Test("rows changed are counted on every run; rows written are read in the next transaction", arguments: Engine.all)
    func changedRows(engine: Engine) throws {
        let database = try TestDatabase(engine)
        try database.write { db in
            try SchoolStore().importRoster(StudentRoster(students: (0..<3).map { n in
                Student(ine: String(format: "93%08dX", n), localID: nil, lastName: "O'NEIL", firstName: "Prénom\(n)", division: "2CAP")
            }), uai: "0579999Z", year: SchoolYear(startYear: 2026), in: db)
        }
        for run in 0..<7 {
            try database.write { db in
                try db.run(sql: "UPDATE student SET firstName = ? WHERE lastName = ?", arguments: ["Run \(run) l'un", "O'NEIL"])
                #expect(db.changedRows == 3)
            }
            let names = try database.read { db in
                try db.values(String.self, sql: "SELECT firstName FROM student WHERE lastName = ?", arguments: ["O'NEIL"])
            }
            #expect(names == Array(repeating: "Run \(run) l'un", count: 3))
        }
    }

    @Test("a statement the server refuses is refused the same way each time, and spoils nothing after it", arguments: Engine.all)
    func refusedStatement(engine: Engine) throws {
        let database = try TestDatabase(engine)
        var refusals: [String] = []
        for _ in 0..<3 {
            let refusal = #expect(throws: (any Error).self) {
                try database.read { db in try db.rows(sql: "SELECT nosuchcolumn FROM student WHERE id = ?", arguments: [1]) }
            }
            refusals.append(refusal.map { String(describing: $0) } ?? "")
            let count = try database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM student WHERE id = ?", arguments: [1]) }
            #expect(count == 0)
        }
        #expect(Set(refusals).count == 1, "\(refusals)")
        #expect(refusals[0].contains("nosuchcolumn"))
        // Read row by row (a cursor on PostgreSQL, its DECLARE sent without waiting): the same refusal.
        let cursorRefusal = #expect(throws: (any Error).self) {
            try database.read { db in try db.forEachRow(sql: "SELECT nosuchcolumn FROM student WHERE id > ?", arguments: [0]) { _ in } }
        }
        #expect(String(describing: cursorRefusal).contains("nosuchcolumn"), "\(String(describing: cursorRefusal))")
        #expect(try database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM student WHERE id > ?", arguments: [0]) } == 0)
    }

    @Test("rows read one by one come once each and in order, across a cursor's batches, with statements run between them; a batch refused fails the read",
          arguments: Engine.all)
    func rowByRow(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let count = 12_345
        let numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))"
        var read: [Int] = [], answers: [Int] = []
        try database.read { db in
            try db.forEachRow(sql: "\(numbers) SELECT i FROM n ORDER BY i", arguments: []) { row in
                let number: Int = row[0]
                read.append(number)
                if number.isMultiple(of: 1_000) { answers.append(try db.value(Int.self, sql: "SELECT ? + 1", arguments: [number]) ?? 0) }
            }
        }
        #expect(read == Array(1...count))
        #expect(answers == (1...12).map { $0 * 1_000 + 1 })
        guard engine == .postgres else { return }   // SQLite divides by zero without complaint.
        // The server finds the division by zero only when it reaches that row, batches after
        // the first: the read fails there, after handing out the rows before it.
        var before = 0
        let refusal = #expect(throws: (any Error).self) {
            try database.read { db in
                try db.forEachRow(sql: "\(numbers) SELECT 1 / (\(count) - i) FROM n", arguments: []) { _ in before += 1 }
            }
        }
        #expect(String(describing: refusal).contains("22012"), "\(String(describing: refusal))")
        #expect(before >= 10_000 && before < count, "\(before) rows before the refusal")
    }

    @Test("rows copied ahead are read by the next statement; refused, they fail the transaction at the latest there, and nothing of it is kept",
          arguments: Engine.all)
    func copiedAhead(engine: Engine) throws {
        let database = try TestDatabase(engine)
        try database.write { db in try db.run(sql: "CREATE TABLE aheadScratch (a BIGINT PRIMARY KEY, b TEXT)") }
        func rows(_ keys: some Sequence<Int>) -> [[DatabaseValue]] { keys.map { [Int64($0).databaseValue, "l’élève \($0)".databaseValue] } }
        let counted = try database.write { db in
            try db.copyAhead(into: "aheadScratch", columns: ["a", "b"], rows: rows(0..<40), onConflict: nil)
            try db.copyAhead(into: "aheadScratch", columns: ["a", "b"], rows: rows(40..<80), onConflict: nil)
            return try db.value(Int.self, sql: "SELECT COUNT(*) FROM aheadScratch WHERE b LIKE ?", arguments: ["l’élève %"])
        }
        #expect(counted == 80)

        let refusal = #expect(throws: (any Error).self) {
            try database.write { db in
                try db.copyAhead(into: "aheadScratch", columns: ["a", "b"], rows: rows(100..<140), onConflict: nil)
                try db.copyAhead(into: "aheadScratch", columns: ["a", "b"], rows: rows(140..<179) + rows([5]), onConflict: nil)
                _ = try db.value(Int.self, sql: "SELECT COUNT(*) FROM aheadScratch")
            }
        }
        let isUniqueness = try database.read { db in refusal.map(db.violatesUniqueness) ?? false }
        #expect(isUniqueness, "\(String(describing: refusal))")
        #expect(try database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM aheadScratch") } == 80)
    }

    @Test("a few rows copied ahead into a table that does not exist are refused; once it exists, the same rows go in",
          arguments: Engine.all)
    func copiedAheadBeforeItsTable(engine: Engine) throws {
        let database = try TestDatabase(engine)
        for _ in 0..<2 {
            #expect(throws: (any Error).self) {
                try database.write { db in
                    try db.copyAhead(into: "laterScratch", columns: ["a"], rows: [[Int64(1).databaseValue]], onConflict: nil)
                    _ = try db.value(Int.self, sql: "SELECT 1")
                }
            }
        }
        try database.write { db in try db.run(sql: "CREATE TABLE laterScratch (a BIGINT)") }
        let counted = try database.write { db in
            try db.copyAhead(into: "laterScratch", columns: ["a"], rows: [[Int64(1).databaseValue]], onConflict: nil)
            return try db.value(Int.self, sql: "SELECT COUNT(*) FROM laterScratch")
        }
        #expect(counted == 1)
    }

    @Test("of two transactions waiting for each other, the one the server stops is refused as « try again »",
          arguments: Engine.all.filter { $0 == .postgres })
    func deadlock(engine: Engine) async throws {
        let database = try TestDatabase(engine)
        // Writes of students' evaluations run side by side. Each takes one lock, waits until
        // the other holds its own (both are running: a busy machine may start one late), then
        // takes the other's: PostgreSQL ends one of them after a second.
        let held = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        @Sendable func crossing(_ first: Int, _ second: Int) async -> Result<Void, any Error> {
            do {
                try await database.storage.write(.students) { tx in
                    let db = try #require(tx as? SQLTransaction).db
                    try db.run(sql: "SELECT pg_advisory_xact_lock(7, \(first))")
                    held[first - 1].signal()
                    _ = held[second - 1].wait(timeout: .now() + 60)
                    try db.run(sql: "SELECT pg_advisory_xact_lock(7, \(second))")
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        // On threads of their own: the shared pool may be busy with other tests for minutes.
        let outcomes = await withTaskExecutorPreference(OwnThreads()) {
            async let one = crossing(1, 2)
            async let other = crossing(2, 1)
            return await [one, other]
        }
        let failures = outcomes.compactMap { if case let .failure(error) = $0 { error } else { nil } }
        #expect(failures.count == 1)
        #expect(failures.allSatisfy { $0 is any TransientStorageError }, "\(failures)")
    }

    @Test("queries read together give each its own rows, in order; one refused fails the read with its own refusal",
          arguments: Engine.all)
    func readTogether(engine: Engine) throws {
        let database = try TestDatabase(engine)
        try database.write { db in
            try db.run(sql: "CREATE TABLE togetherScratch (a BIGINT PRIMARY KEY, b TEXT)")
            try db.copy(into: "togetherScratch", columns: ["a", "b"], rows: (1...30).map { [Int64($0).databaseValue, "n° \($0)".databaseValue] })
        }
        let answers = try database.read { db in
            try db.rows(of: [
                SQLQuery("SELECT a FROM togetherScratch WHERE a <= ? ORDER BY a", arguments: [3]),
                SQLQuery("SELECT b FROM togetherScratch WHERE a > ? ORDER BY a DESC", arguments: [28]),
                SQLQuery("SELECT a FROM togetherScratch WHERE b = ?", arguments: ["personne"]),
                SQLQuery("SELECT COUNT(*) AS n FROM togetherScratch"),
            ])
        }
        #expect(answers.map { $0.count } == [3, 2, 0, 1])
        #expect(answers[0].map { $0["a"] as Int64 } == [1, 2, 3])
        #expect(answers[1].map { $0["b"] as String } == ["n° 30", "n° 29"])
        #expect(answers[3].first?["n"] == 30)
        let refusal = #expect(throws: (any Error).self) {
            try database.read { db in
                try db.rows(of: [SQLQuery("SELECT a FROM togetherScratch"), SQLQuery("SELECT nosuchcolumn FROM togetherScratch"),
                                 SQLQuery("SELECT b FROM togetherScratch")])
            }
        }
        #expect(String(describing: refusal).contains("nosuchcolumn"), "\(String(describing: refusal))")
        #expect(try database.read { db in try db.rows(of: [SQLQuery("SELECT a FROM togetherScratch")]) }.first?.count == 30,
                "the connection reads again after the refusal")
    }

    @Test("a column is found by its name written in any case of its ASCII letters, and only so", arguments: Engine.all)
    func columnNames(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let row = try database.read { db in
            try db.row(sql: #"SELECT 1 AS studentId, 2 AS "Élève", 3 AS nodeIdentifier"#, arguments: [])
        }
        let found = try #require(row)
        #expect(found.index(of: "studentId") == 0 && found.index(of: "STUDENTID") == 0 && found.index(of: "studentid") == 0)
        #expect(found.index(of: "Élève") == 1)
        // Only ASCII letters are folded, as SQLite folds them: É is not é.
        #expect(found.index(of: "élève") == nil)
        #expect(found.index(of: "nodeId") == nil && found.index(of: "studentIds") == nil && found.index(of: "") == nil)
    }
}

extension StatementTests {
    @Test("a table changed by another process (a migration) is read with its new columns, at the latest on the second try", arguments: Engine.all)
    func tableChangedUnderneath(engine: Engine) throws {
        let database = try TestDatabase(engine)
        try database.write { db in
            try db.run(sql: "CREATE TABLE planScratch (a BIGINT)")
            try db.run(sql: "INSERT INTO planScratch (a) VALUES (?)", arguments: [1])
        }
        for _ in 0..<3 {
            let columns = try database.read { db in try db.rows(sql: "SELECT * FROM planScratch WHERE a = ?", arguments: [1]).first?.columns }
            #expect(columns?.count == 1)
        }
        try database.write { db in try db.run(sql: "ALTER TABLE planScratch ADD COLUMN b TEXT") }
        // PostgreSQL refuses a prepared `SELECT *` whose columns changed; it is then prepared again.
        _ = try? database.read { db in try db.rows(sql: "SELECT * FROM planScratch WHERE a = ?", arguments: [1]) }
        let columns = try database.read { db in try db.rows(sql: "SELECT * FROM planScratch WHERE a = ?", arguments: [1]).first?.columns }
        #expect(columns?.count == 2)
    }
}

@Suite("PostgreSQL connections: statements prepared once, UTF-8, statistics after an import", .enabled(if: PostgresTestDatabase.enabled))
struct PreparedStatementTests {
    @Test("a statement run ten times is prepared once; a cursor's is not prepared")
    func preparedOnce() throws {
        let database = try TestDatabase(.postgres)
        let prepared = try database.write { db in
            for n in 0..<10 {
                _ = try db.value(String.self, sql: "SELECT CAST(? AS TEXT) AS preparedOnceMarker", arguments: ["\(n)"])
            }
            try db.forEachRow(sql: "SELECT id AS cursorMarker FROM student WHERE id > ?", arguments: [0]) { _ in }
            return try db.values(String.self, sql: "SELECT statement FROM pg_prepared_statements WHERE statement ILIKE ?",
                                 arguments: ["%Marker%"])
        }
        #expect(prepared.count == 1 && prepared.allSatisfy { $0.contains("preparedOnceMarker") }, "\(prepared)")
    }

    @Test("a level written ahead (a few rows copied ahead) is a statement prepared once on its connection, not a new statement at every click")
    func levelWrittenAheadPreparedOnce() throws {
        let database = try TestDatabase(.postgres)
        try database.write { db in try db.run(sql: "CREATE TABLE aheadMarker (a BIGINT PRIMARY KEY, b TEXT)") }
        let prepared = try database.write { db in
            for n in 0..<10 {
                try db.copyAhead(into: "aheadMarker", columns: ["a", "b"], rows: [[Int64(n % 3).databaseValue, "\(n)".databaseValue]],
                                 onConflict: "ON CONFLICT (a) DO UPDATE SET b = excluded.b")
            }
            return try db.values(String.self, sql: "SELECT statement FROM pg_prepared_statements WHERE statement ILIKE ?",
                                 arguments: ["%INSERT INTO aheadMarker%"])
        }
        #expect(prepared.count == 1, "\(prepared)")
        let rows = try database.read { db in try db.rows(sql: "SELECT a, b FROM aheadMarker ORDER BY a").map { [$0[0] as Int, $0[1] as String] as [AnyHashable] } }
        #expect(rows == [[0, "9"], [1, "7"], [2, "8"]])
    }

    @Test("the badge rules of any competency are read by the same two statements, prepared once, whichever badges the competency counts for")
    func badgeRulesPreparedOnce() throws {
        let school = try BadgeSchool(.postgres).school
        let prepared = try school.database.write { db in
            for competency in ["B1.1", "B1.2", "B2.1", "B2.2", "B1.1"] {
                _ = try EvaluationStore().record(SchoolFixture.entry("A", on: SchoolFixture.day(12, 9), competency: competency),
                                                 recordedBy: "mdupont", in: db)
            }
            return try db.values(String.self, sql: "SELECT statement FROM pg_prepared_statements WHERE statement ILIKE ? OR statement ILIKE ?",
                                 arguments: ["%FROM badgeRequirement r JOIN referentialNode%", "%FROM badgeAward%WHERE studentId%badgeClassId%"])
        }
        #expect(prepared.count == 2, "\(prepared.count) statements: \(prepared.map { $0.prefix(60) })")
    }

    @Test("after an import, the planner knows at once how many rows the tables it filled hold; a small write leaves that to autovacuum")
    func statisticsAfterImport() throws {
        let database = try TestDatabase(.postgres)
        func roster(_ count: Int, from first: Int) -> StudentRoster {
            StudentRoster(students: (first..<first + count).map { n in
                Student(ine: String(format: "94%08dX", n), localID: nil, lastName: "ÉLÈVE\(n)", firstName: "Prénom", division: "2CAP")
            })
        }
        func plannedStudents() throws -> Double? {
            try database.read { db in
                try db.value(Double.self, sql: "SELECT reltuples FROM pg_class WHERE oid = CAST('student' AS regclass)")
            }
        }
        try database.write { db in try SchoolStore().importRoster(roster(1_200, from: 0), uai: "0579999Z", year: SchoolYear(startYear: 2026), in: db) }
        #expect(try plannedStudents() == 1_200)
        try database.write { db in try SchoolStore().importRoster(roster(3, from: 5_000), uai: "0579999Z", year: SchoolYear(startYear: 2026), in: db) }
        #expect(try plannedStudents() == 1_200, "three students more: no ANALYZE within the transaction")
    }

    @Test("recording one evaluation waits for the server three times: the student, the competency and its scale read together; the insert with the evidence it adds to; the badge rules; the level is written ahead")
    func clickRoundTrips() throws {
        let school = try SchoolFixture(.postgres)
        for code in ["EC", "A"] {
            let (waits, recorded) = try school.database.write { db in
                let adapter = try #require(db as? PostgresSQLConnection)
                let before = adapter.roundTrips
                let recorded = try EvaluationStore().record(SchoolFixture.entry(code, on: SchoolFixture.day(12, 9)), recordedBy: "mdupont", in: db)
                return (adapter.roundTrips - before, recorded)
            }
            #expect(waits == 3, "\(waits) round trips")
            #expect(recorded.mastery.levelCode == code)
        }
        #expect(try school.mastery()?.levelCode == "A", "the level written ahead was committed")
    }

    @Test("a connection lost in the middle of a unit of work fails it at once as « try again », without waiting on the dead connection; the next one works",
          .timeLimit(.minutes(1)))
    func lostMidTransaction() throws {
        let database = try TestDatabase(.postgres)
        // The server ends this very connection, as a restart or a failover would.
        #expect {
            try database.write { db in
                do {
                    _ = try db.rows(sql: "SELECT pg_terminate_backend(pg_backend_pid())")
                } catch {
                    // By the time the unit of work ends, the connection is long closed.
                    usleep(300_000)
                    throw error
                }
            }
        } throws: { $0 is any TransientStorageError }
        // A statement the unit of work sends after the loss fails too, and as quickly.
        #expect {
            try database.write { db in
                _ = try? db.rows(sql: "SELECT pg_terminate_backend(pg_backend_pid())")
                usleep(300_000)
                _ = try db.rows(sql: "SELECT 1")
            }
        } throws: { $0 is any TransientStorageError }
        #expect(try database.read { db in try db.value(Int.self, sql: "SELECT 1") } == 1)
    }

    @Test("a statement written on a connection that closed just before is lost « try again », never waited for forever")
    func writtenOnClosed() throws {
        let database = try TestDatabase(.postgres)
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // On a thread of its own: were the regression back, the test fails instead of hanging.
        Thread.detachNewThread {
            let result = Result {
                try database.write { db in
                    let adapter = try #require(db as? PostgresSQLConnection)
                    try adapter.connection.close().wait()
                    // What a write racing the close does: postgres-nio takes it and never answers.
                    _ = try adapter.awaitAnswer(adapter.connection.query("SELECT 1", logger: Logger(label: "test")))
                }
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        #expect(finished.wait(timeout: .now() + 20) == .success, "the statement was waited for forever")
        let failure = outcome.withLock { result -> (any Error)? in
            if case let .failure(error) = result { error } else { nil }
        }
        #expect(failure is any TransientStorageError, "\(String(describing: failure))")
        #expect(try database.read { db in try db.value(Int.self, sql: "SELECT 1") } == 1)
    }

    @Test("the connection speaks UTF-8, whatever the database's encoding")
    func utf8() throws {
        let database = try TestDatabase(.postgres)
        let encoding = try database.read { db in try db.value(String.self, sql: "SELECT current_setting('client_encoding')") }
        #expect(encoding == "UTF8")
    }
}
