import AcquisCore
import AcquisGrading
import AcquisStorage
import AcquisStorageTestSupport
import GRDB
import AcquisStore
import Foundation
import Testing

@Suite("Bulk import, recomputation, progress and requests")
struct ImportAndProgressTests {
    typealias F = SchoolFixture

    private func importing(_ entries: [EvaluationEntry], into school: F) throws -> (EvaluationImport.Summary, [EvaluationImport.Problem]) {
        var problems: [EvaluationImport.Problem] = []
        let summary = try school.database.write { db -> EvaluationImport.Summary in
            let importer = try EvaluationImport(recordedBy: "mdupont", in: db)
            for entry in entries {
                do { try importer.add(entry) } catch let found as EvaluationImport.Problems { problems += found.all }
            }
            return try importer.finish()
        }
        return (summary, problems)
    }

    @Test("a bulk import records the rows, skips exact duplicates and computes the masteries touched", arguments: Engine.all)
    func bulk(engine: Engine) throws {
        let school = try F(engine)
        let rows = [F.entry("EC", on: F.day(10, 9)), F.entry("A", on: F.day(12, 9)), F.entry("A", on: F.day(12, 9), student: F.yanis)]
        let (first, _) = try importing(rows, into: school)
        #expect(first.recorded == 3 && first.duplicates == 0 && first.masteries == 2)
        let (again, _) = try importing(rows, into: school)
        #expect(again.recorded == 0 && again.duplicates == 3)
        #expect(try school.mastery()?.levelCode == "A")
        #expect(try school.mastery(F.yanis)?.levelCode == "A")
    }

    @Test("levels computed 2,000 at a time on another core: each of 12,000 students × competencies has the level of its own evidence, after an import and after recomputing all",
          arguments: Engine.all)
    func levelsInChunks(engine: Engine) throws {
        let school = try F(engine)
        let competencies = try school.database.read { db in
            try ReferentialStore().target(code: "CAP-EPC", in: db).nodes.filter(\.value.isEvaluable).keys.sorted()
        }
        let students = (0..<(12_000 / competencies.count + 1)).map { n in
            Student(ine: String(format: "96%08dX", n), localID: nil, lastName: "ÉLÈVE\(n)", firstName: "Prénom", division: "2CAP")
        }
        try school.database.write { db in
            try SchoolStore().importRoster(StudentRoster(students: students), uai: "0579999Z", year: F.year, in: db)
        }
        let levels = ["PE", "EC", "A", "M"]
        var expected: [String: String] = [:]
        var entries: [EvaluationEntry] = []
        for (s, student) in students.enumerated() {
            for (c, competency) in competencies.enumerated() {
                let first = (s + c) % 4, second = (s * 7 + c * 3) % 4
                // The default method keeps the best of the last three observations.
                expected["\(student.ine!) \(competency)"] = levels[max(first, second)]
                entries.append(F.entry(levels[first], on: F.day(1, 10), student: .ine(student.ine!), competency: competency))
                entries.append(F.entry(levels[second], on: F.day(8, 10), student: .ine(student.ine!), competency: competency))
            }
        }
        let (summary, problems) = try importing(entries, into: school)
        #expect(problems.isEmpty && summary.recorded == entries.count && summary.masteries == expected.count)
        func stored() throws -> [String: String] {
            try school.database.read { db in
                var levels: [String: String] = [:]
                try db.forEachRow(sql: """
                    SELECT s.ine, n.code, m.levelCode FROM mastery m JOIN student s ON s.id = m.studentId
                    JOIN referentialNode n ON n.id = m.nodeId WHERE s.ine LIKE ?
                    """, arguments: ["96%"]) { row in levels["\(row[0] as String) \(row[1] as String)"] = row[2] }
                return levels
            }
        }
        #expect(try stored() == expected)
        try school.database.write { db in try db.run(sql: "UPDATE mastery SET levelCode = NULL, explanation = ''") }
        try school.database.write { db in _ = try MasteryStore().recomputeAll(in: db) }
        #expect(try stored() == expected)
    }

    @Test("rows repeated within one file are recorded once, for a competency without evidence before as for one with; a row differing in any field is not a repeat", arguments: Engine.all)
    func repeatsWithinAFile(engine: Engine) throws {
        let school = try F(engine)
        _ = try importing([F.entry("EC", on: F.day(3, 9))], into: school)
        var other = F.entry("A", on: F.day(12, 9), student: F.yanis)
        other.evaluator = "M. Weber"
        let rows = [
            F.entry("A", on: F.day(12, 9)), F.entry("A", on: F.day(12, 9)),                       // Léa had evidence
            F.entry("A", on: F.day(12, 9), student: F.yanis), F.entry("A", on: F.day(12, 9), student: F.yanis),  // Yanis had none
            F.entry("EC", on: F.day(12, 9), student: F.yanis), other, other,
        ]
        let (summary, problems) = try importing(rows, into: school)
        #expect(problems.isEmpty)
        #expect(summary.recorded == 4 && summary.duplicates == 3)
        let stored = try school.database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM evaluation") }
        #expect(stored == 5)
    }

    @Test("an import leaves every level as recomputing from all the evidence would, whatever the file's order: students in runs and back again, ties on a day, overrides, PFMP, repeats, evidence from before",
          arguments: Engine.all, [false, true])
    func levelsAsRecomputed(engine: Engine, sortedByStudent: Bool) throws {
        let school = try F(engine)
        let students = (0..<5).map { n in
            Student(ine: String(format: "95%08dY", n), localID: nil, lastName: "ÉLÈVE\(n)", firstName: "Prénom", division: "2CAP")
        }
        let competencies = try school.database.write { db in
            try SchoolStore().importRoster(StudentRoster(students: students), uai: "0579999Z", year: F.year, in: db)
            return try ReferentialStore().target(code: "CAP-EPC", in: db).nodes.filter(\.value.isEvaluable).keys.sorted().prefix(4)
        }
        let ines = students.map { StudentReference.ine($0.ine!) }
        // The first student had evidence in the first competency before the import.
        _ = try importing([F.entry("M", on: F.day(2, 9), student: ines[0], competency: competencies.first!)], into: school)
        var rows = (0..<300).map { n in
            // Runs of ten rows per student, each student coming back every fifty rows, days
            // going back and forth; the rows of a run share their day, so that levels on one
            // day follow the file's order. Some levels spelled in lower case, as typed in a
            // spreadsheet.
            F.entry(n % 13 == 0 ? ["pe", "ec", "a", "m"][n / 4 % 4] : ["PE", "EC", "A", "M"][n / 4 % 4],
                    on: F.day(1 + (29 - n / 10) % 25, 10), student: ines[n / 10 % 5],
                    competency: competencies[competencies.startIndex + n % 4],
                    context: n % 5 == 0 ? .pfmp(company: "Boutique \(n % 3)", tutor: "M. Tuteur") : n % 3 == 0 ? .atelier : .classe,
                    by: "E\(n)", override: n % 17 == 0)
        }
        rows.insert(rows[5], at: 7)
        rows.append(rows[250])
        if sortedByStudent {
            rows = rows.enumerated().sorted { ($0.element.student.description, $0.offset) < ($1.element.student.description, $1.offset) }
                .map(\.element)
        }
        let (summary, problems) = try importing(rows, into: school)
        let pairs = Set(rows.map { "\($0.student) \($0.competencyCode)" })
        #expect(problems.isEmpty && summary.recorded == 300 && summary.duplicates == 2)
        #expect(summary.masteries == pairs.count)
        func stored() throws -> [String] {
            try school.database.read { db in
                try db.rows(sql: """
                    SELECT studentId, nodeId, rank, levelCode, score, isAcquired, explanation, observationCount, lastObservedOn
                    FROM mastery ORDER BY studentId, nodeId
                    """).map { row in (0..<9).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|") }
            }
        }
        let imported = try stored()
        #expect(imported.count == pairs.count)
        try school.database.write { db in _ = try MasteryStore().recomputeAll(in: db) }
        #expect(try stored() == imported)
    }

    @Test("a file longer than a batch of a server engine finds its repeats across batches as within one", arguments: Engine.all)
    func repeatsAcrossBatches(engine: Engine) throws {
        let school = try F(engine)
        func row(_ evaluator: String, student: StudentReference = F.lea) -> EvaluationEntry {
            var entry = F.entry("A", on: F.day(12, 9), student: student)
            entry.evaluator = evaluator
            return entry
        }
        var rows = (0..<20_500).map { row("E\($0)") }
        rows.insert(row("E0", student: F.yanis), at: 100)                     // Yanis had no evidence before
        rows += [rows[10], rows[20_100], row("E0", student: F.yanis), row("E1", student: F.yanis)]
        let (summary, problems) = try importing(rows, into: school)
        #expect(problems.isEmpty)
        #expect(summary.recorded == 20_502 && summary.duplicates == 3)
        #expect(try school.database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM evaluation") } == 20_502)
        let (again, _) = try importing(Array(rows.suffix(4)), into: school)
        #expect(again.recorded == 0 && again.duplicates == 4)
    }

    @Test("rows are stored in the file's order with every field as given, across inserts of many rows, their remainder and repeats", arguments: Engine.all)
    func fileOrder(engine: Engine) throws {
        let school = try F(engine)
        _ = try importing([F.entry("EC", on: F.day(3, 9), competency: "B1.2")], into: school)   // Léa had evidence in B1.2
        func row(_ n: Int) -> EvaluationEntry {
            var entry = F.entry(["PE", "EC", "A", "M"][n % 4], on: F.day(1 + n % 28, 9), student: n % 3 == 0 ? F.yanis : F.lea,
                                competency: n % 5 == 0 ? "B1.2" : "B1.1", context: n % 7 == 0 ? .pfmp(company: "Magasin \(n)", tutor: nil) : .classe)
            entry.evaluator = "E\(n)"
            entry.comment = n % 2 == 0 ? "Commentaire « \(n) »" : nil
            return entry
        }
        var rows = (0..<150).map(row)
        // Repeats of a row still waiting, of one written in an earlier insert, and of the last.
        rows.insert(rows[60], at: 62)
        rows.insert(rows[3], at: 100)
        rows.append(rows[149])
        let (summary, problems) = try importing(rows, into: school)
        #expect(problems.isEmpty && summary.recorded == 150 && summary.duplicates == 3)
        let stored = try school.database.read { db in
            try db.rows(sql: """
                SELECT s.ine, n.code AS competency, e.code, e.observedOn, e.context, e.company, e.evaluator, e.comment
                FROM evaluation e JOIN student s ON s.id = e.studentId JOIN referentialNode n ON n.id = e.nodeId
                WHERE e.evaluator LIKE 'E%' ORDER BY e.id
                """).map { row -> String in
                    [row["ine"], row["competency"], row["code"], row["observedOn"], row["context"], row["company"] ?? "-",
                     row["evaluator"], row["comment"] ?? "-"].joined(separator: "|")
                }
        }
        let expected = (0..<150).map(row).map { entry in
            guard case let .ine(ine) = entry.student else { return "" }
            return [ine, entry.competencyCode, entry.code, entry.observedOn.iso, entry.context.kindName, entry.context.company ?? "-",
                    entry.evaluator ?? "", entry.comment ?? "-"].joined(separator: "|")
        }
        #expect(stored == expected)
    }

    @Test("each bad row names the field at fault", arguments: Engine.all)
    func problems(engine: Engine) throws {
        let school = try F(engine)
        let (_, problems) = try importing([
            F.entry("A", on: F.day(10, 9), student: .ine("9999999999Z")),
            F.entry("A", on: F.day(10, 9), competency: "B9"),
            F.entry("Z", on: F.day(10, 9)),
            EvaluationEntry(student: F.lea, referentialCode: "INCONNU", competencyCode: "B1.1", code: "A", observedOn: F.day(10, 9)),
        ], into: school)
        #expect(problems.map(\.field) == [.student, .competency, .level, .referential])
    }

    @Test("every problem of a row is reported, not only the first", arguments: Engine.all)
    func everyProblemOfARow(engine: Engine) throws {
        let school = try F(engine)
        let (_, problems) = try importing([
            F.entry("Z", on: F.day(10, 9, 1999), student: .ine("9999999999Z"), competency: "B9"),
        ], into: school)
        #expect(problems.map(\.field) == [.date, .student, .competency, .level])
    }

    @Test("a file with one error stores nothing: the transaction is rolled back", arguments: Engine.all)
    func atomic(engine: Engine) throws {
        let school = try F(engine)
        #expect(throws: EvaluationImport.Problems.self) {
            try school.database.write { db in
                let importer = try EvaluationImport(recordedBy: nil, in: db)
                try importer.add(F.entry("A", on: F.day(10, 9)))
                try importer.add(F.entry("Z", on: F.day(10, 9)))
                _ = try importer.finish()
            }
        }
        #expect(try school.count("evaluation") == 0)
        #expect(try school.count("mastery") == 0)
    }

    @Test("recomputing everything gives the masteries kept up to date one evaluation at a time", arguments: Engine.all)
    func recomputeMatchesIncremental(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("PE", on: F.day(10, 9)), F.entry("A", on: F.day(1, 9)), F.entry("EC", on: F.day(5, 10)),
                          F.entry("ABS", on: F.day(6, 10), competency: "B1.2"), F.entry("M", on: F.day(6, 10), student: F.yanis))
        let incremental = try school.database.read { try $0.rows(sql: "SELECT * FROM mastery ORDER BY studentId, nodeId") }
        let count = try school.database.write { try MasteryStore().recomputeAll(in: $0) }
        let rebuilt = try school.database.read { try $0.rows(sql: "SELECT * FROM mastery ORDER BY studentId, nodeId") }
        #expect(count.masteries == 3)
        #expect(rebuilt == incremental)
    }

    @Test("no index repeats the start of another index or of a primary key: each one costs every insert (read in SQLite's catalogue; PostgreSQL has the same indexes)")
    func noRedundantIndex() throws {
        let school = try F(.sqlite)
        let redundant = try school.database.read { connection -> [String] in
            let db = connection as! Database
            var found: [String] = []
            for table in try db.values(String.self, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'") {
                let primaryKey = try db.primaryKey(table).columns
                let indexes = try db.indexes(on: table)
                for index in indexes {
                    let others = indexes.filter { $0.name != index.name }.map(\.columns) + [primaryKey]
                    if others.contains(where: { $0.count > index.columns.count && Array($0.prefix(index.columns.count)) == index.columns }) {
                        found.append(index.name)
                    }
                }
            }
            return found
        }
        #expect(redundant.isEmpty, "\(redundant)")
    }

    @Test("recomputing what did not change writes no mastery; a mastery left without evidence goes", arguments: Engine.all)
    func recomputeWritesOnlyChanges(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("A", on: F.day(1, 9)), F.entry("EC", on: F.day(5, 10), competency: "B1.2"))
        let before = try school.database.read { try $0.rows(sql: "SELECT * FROM mastery ORDER BY studentId, nodeId") }
        let changes = try school.database.write { db -> Int in
            let start = try TestDatabase.rowsWritten(in: db)
            try MasteryStore().recomputeAll(in: db)
            return try TestDatabase.rowsWritten(in: db) - start
        }
        #expect(changes == 0)
        #expect(try school.database.read { try $0.rows(sql: "SELECT * FROM mastery ORDER BY studentId, nodeId") } == before)

        // Evidence withdrawn behind the store's back (as a repair would): the recomputation
        // removes the mastery it no longer supports, and touches nothing else.
        let removed = try school.database.write { db -> Int in
            try db.run(sql: "DELETE FROM evaluation WHERE nodeId IN (SELECT id FROM referentialNode WHERE code = 'B1.2')")
            let start = try TestDatabase.rowsWritten(in: db)
            try MasteryStore().recomputeAll(in: db)
            return try TestDatabase.rowsWritten(in: db) - start
        }
        #expect(removed == 1)
        #expect(try school.count("mastery") == 1)
    }

    @Test("changing a referential's method recomputes its masteries with the new method", arguments: Engine.all)
    func policyChange(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("M", on: F.day(1, 9)), F.entry("PE", on: F.day(10, 9)))
        #expect(try school.mastery()?.levelCode == "M")
        try school.database.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            try ReferentialStore().setPolicy(method: .mostRecent, rollUp: .allAcquired, referentialID: target.id, in: db)
            try MasteryStore().recompute(referentialID: target.id, in: db)
        }
        #expect(try school.mastery()?.levelCode == "PE")
    }

    @Test("the level at a past date counts only what was observed by then; a period's changes are told", arguments: Engine.all)
    func progressOverTime(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("PE", on: F.day(10, 9)), F.entry("A", on: F.day(5, 11)),
                          F.entry("EC", on: F.day(6, 11), competency: "B1.2"), F.entry("EC", on: F.day(12, 9), competency: "B1.3"),
                          F.entry("EC", on: F.day(7, 11), competency: "B1.3"))
        let (past, changes) = try school.database.read { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            let id = try SchoolStore().student(F.lea, in: db).id
            return (try ProgressStore().masteries(studentID: id, target: target, asOf: F.day(1, 10), in: db),
                    try ProgressStore().progress(studentID: id, target: target, from: F.day(1, 11), to: F.day(30, 11), in: db))
        }
        #expect(past["B1.1"]?.level?.code == "PE")
        #expect(past["B1.2"] == nil)
        #expect(changes.map { "\($0.code) \($0.change)" } == ["B1.1 progressed", "B1.2 firstLevel", "B1.3 confirmed"])
    }

    @Test("students whose evidence has stopped are listed, the never-observed first", arguments: Engine.all)
    func quietStudents(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("A", on: F.day(1, 9)), F.entry("A", on: F.day(1, 11), student: F.yanis),
                          F.entry("A", on: F.day(2, 11), context: .autoEvaluation, by: "Léa"))
        let quiet = try school.database.read { db in
            let students = try SchoolStore().students(inDivision: "2CAP", uai: "0579999Z", year: F.year, in: db)
            return try ProgressStore().quietStudents(students, since: F.day(1, 10), in: db)
        }
        #expect(quiet.map(\.student.student.firstName) == ["Aya", "Léa"])
        #expect(quiet[1].lastObservedOn == F.day(1, 9), "a self-evaluation is not a teacher's observation")
    }

    @Test("a student's request waits in the class queue until a teacher answers it", arguments: Engine.all)
    func requests(engine: Engine) throws {
        let school = try F(engine)
        let store = RequestStore()
        let (queue, answered, mine) = try school.database.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            let lea = try SchoolStore().student(F.lea, in: db).id
            let students = try SchoolStore().students(inDivision: "2CAP", uai: "0579999Z", year: F.year, in: db).map(\.id)
            let id = try store.request(studentID: lea, target: target, competency: "B1.2", message: "Je suis prête", in: db)
            let queue = try store.openRequests(studentIDs: students, in: db)
            try store.answer(id, status: .accepted, answer: "Jeudi en atelier", by: "mdupont", in: db)
            return (queue, try store.openRequests(studentIDs: students, in: db), try store.requests(studentID: lea, in: db))
        }
        #expect(queue.map { "\($0.studentName) \($0.competencyCode) \($0.message ?? "")" } == ["MARTIN Léa B1.2 Je suis prête"])
        #expect(answered.isEmpty)
        #expect(mine.first?.status == .accepted && mine.first?.answer == "Jeudi en atelier")
    }
}
