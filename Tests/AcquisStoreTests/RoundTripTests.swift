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
