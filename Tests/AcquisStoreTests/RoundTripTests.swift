import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import Foundation
import Testing

/// On an académie's server each statement is a round trip: a page or a click must cost the
/// same number of statements for a class of three as for a school of thirty, never one more
/// per student (statements counted on SQLite, which runs the same store code).
@Suite("Statements that do not grow with the school")
struct RoundTripTests {
    /// A school of `count` students in one class, each with one evaluation.
    static func school(of count: Int) throws -> TestDatabase {
        let fixture = try SchoolFixture(.sqlite)
        let roster = StudentRoster(students: (0..<count).map { n in
            Student(ine: String(format: "91%08dX", n), localID: "L\(n)", lastName: "ÉLÈVE\(n)", firstName: "Prénom", division: "2CAP",
                    groups: ["G-PFMP"])
        })
        try fixture.database.write { db in
            try SchoolStore().importRoster(roster, uai: "0579999Z", year: SchoolFixture.year, in: db)
            for n in 0..<count {
                try EvaluationStore().record(SchoolFixture.entry("A", on: SchoolFixture.day(2, 10, 2025), student: .ine(String(format: "91%08dX", n))),
                                             recordedBy: "prof", today: SchoolFixture.day(2, 12, 2025), in: db)
            }
        }
        return fixture.database
    }

    @Test("the school's list of students to follow: as many statements for 33 students as for 4")
    func vigilanceLists() throws {
        func statements(_ database: TestDatabase) throws -> (Int, Int) {
            let (lists, count) = try database.countingStatements { db in
                let school = try SchoolStore().schoolID(uai: "0579999Z", in: db)
                return try VigilanceStore().lists(schoolID: school, year: SchoolFixture.year, asOf: SchoolFixture.day(2, 12, 2025), in: db)
            }
            return (lists.map(\.entries.count).reduce(0, +), count)
        }
        let (few, fewStatements) = try statements(try Self.school(of: 1))
        let (many, manyStatements) = try statements(try Self.school(of: 30))
        #expect(few == 4 && many == 33)
        #expect(manyStatements == fewStatements, "\(fewStatements) statements for 4 students, \(manyStatements) for 33")
    }

    @Test("the school's lists: as many statements for twelve classes as for one, each class in code order with its students present in name order")
    func vigilanceListsOfClasses() throws {
        let today = SchoolFixture.day(2, 12, 2025)
        func school(classes: Int) throws -> TestDatabase {
            let fixture = try SchoolFixture(.sqlite)
            // Names out of order, one student who left before `today`, one in no class.
            let roster = StudentRoster(students: (0..<classes * 3).map { n in
                Student(ine: String(format: "92%08dX", n), localID: nil, lastName: ["ZOLA", "Émery", "ADAM"][n % 3] + "\(n / 3)",
                        firstName: "Prénom", division: String(format: "C%02d", (classes - 1) - n / 3))
            } + [Student(ine: "9299999999Y", localID: nil, lastName: "SANS", firstName: "Classe", division: nil)])
            try fixture.database.write { db in
                try SchoolStore().importRoster(roster, uai: "0579999Z", year: SchoolFixture.year, in: db)
                try db.run(sql: "UPDATE student SET leftOn = ? WHERE ine = ?", arguments: [SchoolFixture.day(1, 11, 2025).iso, "9200000001X"])
            }
            return fixture.database
        }
        func read(_ database: TestDatabase) throws -> (lists: [String], expected: [String], statements: Int) {
            let (lists, statements) = try database.countingStatements { db in
                let school = try SchoolStore().schoolID(uai: "0579999Z", in: db)
                return try VigilanceStore().lists(schoolID: school, year: SchoolFixture.year, asOf: today, in: db)
            }
            let expected = try database.read { db in
                try db.rows(sql: "SELECT id, code FROM division WHERE kind = 'classe' ORDER BY code").map { row in
                    "\(row[1] as String): " + (try SchoolStore().studentIDs(divisionID: row[0], asOf: today, in: db)).map(String.init).joined(separator: " ")
                }
            }
            let found = lists.map { "\($0.division): " + $0.entries.map { String($0.student.id) }.joined(separator: " ") }
            return (found, expected, statements)
        }
        let one = try read(try school(classes: 1)), twelve = try read(try school(classes: 12))
        #expect(one.lists == one.expected && twelve.lists == twelve.expected)
        #expect(twelve.lists.count == 13 && twelve.lists.first?.hasPrefix("2CAP") == true, "\(twelve.lists)")
        #expect(twelve.statements == one.statements, "\(one.statements) statements for one class, \(twelve.statements) for twelve")
    }

    @Test("a group's list, each member measured against their own class: as many statements for 30 members as for 1")
    func groupList() throws {
        func statements(_ database: TestDatabase) throws -> (Int, Int) {
            let (entries, count) = try database.countingStatements { db in
                let school = try SchoolStore().schoolID(uai: "0579999Z", in: db)
                let group = try SchoolStore().division(code: "G-PFMP", schoolID: school, year: SchoolFixture.year, in: db)
                return try VigilanceStore().list(for: group, asOf: SchoolFixture.day(2, 12, 2025), in: db)
            }
            return (entries.count, count)
        }
        let (few, fewStatements) = try statements(try Self.school(of: 1))
        let (many, manyStatements) = try statements(try Self.school(of: 30))
        #expect(few == 1 && many == 30)
        #expect(manyStatements == fewStatements, "\(fewStatements) statements for 1 member, \(manyStatements) for 30")
    }

    @Test("recording one evaluation: the same statements for the first as for the hundredth")
    func click() throws {
        let database = try Self.school(of: 100)
        let (_, statements) = try database.countingStatements { db in
            try EvaluationStore().record(SchoolFixture.entry("M", on: SchoolFixture.day(3, 10, 2025)), recordedBy: "prof",
                                         today: SchoolFixture.day(2, 12, 2025), in: db)
        }
        let fresh = try SchoolFixture(.sqlite).database
        let (_, first) = try fresh.countingStatements { db in
            try EvaluationStore().record(SchoolFixture.entry("M", on: SchoolFixture.day(3, 10, 2025)), recordedBy: "prof",
                                         today: SchoolFixture.day(2, 12, 2025), in: db)
        }
        #expect(statements == first)
    }
}
