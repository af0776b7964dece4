import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Foundation

/// A database holding the shipped referentials and a class of three students.
struct SchoolFixture {
    let database: TestDatabase
    static let year = SchoolYear(startYear: 2025)
    static let lea = StudentReference.ine("9000000001A")
    static let yanis = StudentReference.ine("9000000002B")

    init(_ engine: Engine) throws {
        database = try TestDatabase(engine)
        let referentials = try Fixtures.shippedReferentials.map { try AcquisReferentialReader.read(path: $0) }
        let roster = StudentRoster(students: [
            Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP"),
            Student(ine: "9000000002B", localID: "102", lastName: "BENALI", firstName: "Yanis", division: "2CAP"),
            Student(localID: "103", lastName: "DIALLO", firstName: "Aya", division: "2CAP"),
        ])
        try database.write { db in
            for referential in referentials { try ReferentialStore().save(referential, format: "acquis", in: db) }
            try SchoolStore().importRoster(roster, uai: "0579999Z", year: Self.year, in: db)
        }
    }

    static func day(_ day: Int, _ month: Int, _ year: Int = 2026) -> CalendarDate {
        CalendarDate(year: year, month: month, day: day)!
    }

    static func entry(_ code: String, on date: CalendarDate, student: StudentReference = lea, competency: String = "B1.1",
                      context: EvaluationContext = .classe, by evaluator: String? = "mdupont",
                      override: Bool = false) -> EvaluationEntry {
        EvaluationEntry(student: student, referentialCode: "CAP-EPC", competencyCode: competency, code: code,
                        observedOn: date, context: context, evaluator: evaluator, isOverride: override)
    }

    @discardableResult
    func record(_ entries: EvaluationEntry...) throws -> [Int64] {
        try database.write { db in try entries.map { try EvaluationStore().record($0, recordedBy: "mdupont", in: db).id } }
    }

    func mastery(_ student: StudentReference = lea, _ competency: String = "B1.1") throws -> StoredMastery? {
        try database.read { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            let id = try SchoolStore().student(student, in: db).id
            return try MasteryStore().masteries(studentID: id, referentialID: target.id, in: db)[competency]
        }
    }

    func count(_ table: String) throws -> Int {
        try database.read { try $0.value(Int.self, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}
