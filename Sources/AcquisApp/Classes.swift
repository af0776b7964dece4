import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisStore
import Foundation
import GRDB

/// A class or group a person teaches, as their pages name it.
public struct TaughtClass: Sendable {
    public var division: TaughtDivision
    public var ref: DivisionRef
    /// The school's UAI.
    public var uai: String
}

/// What a teacher reads of their classes, each read for a person allowed to read it.
public struct Classes: Sendable {
    let app: App

    /// The classes and groups the person teaches this year (all of their school's for its team).
    public func divisions(by person: ActingPerson) async throws -> [TaughtDivision] {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        return try await app.read { try access.divisions(in: $0) }
    }

    /// A class or group the person teaches; refused otherwise. At the console, in the school
    /// `uai` names (or the database's only school).
    public func division(_ code: String, uai: String? = nil, by person: ActingPerson) async throws -> TaughtClass {
        let access = Access(person: person, year: app.year), year = app.year
        try access.require(.teacher, .admin)
        guard case let .account(account) = person else {
            return try await app.read { db in
                let ref = try access.requireDivision(code, uai: uai, in: db)
                let students = try SchoolStore().studentIDs(divisionID: ref.id, in: db).count
                return TaughtClass(division: TaughtDivision(code: code, kind: ref.kind, students: students), ref: ref,
                                   uai: try SchoolStore().uai(schoolID: ref.schoolID, in: db) ?? "")
            }
        }
        return try await app.read { db in
            guard let taught = try access.divisions(in: db).first(where: { $0.code == code }),
                  let schoolID = account.schoolID, let uai = try SchoolStore().uai(schoolID: schoolID, in: db)
            else { throw AccessRefusal.division }
            return TaughtClass(division: taught, ref: try SchoolStore().division(code: code, schoolID: schoolID, year: year, in: db),
                               uai: uai)
        }
    }

    /// The grid of a class in one referential (the one most used by default), in the version
    /// the class works with, with the referentials it may switch to.
    public func grid(_ code: String, referential: String?, group: String?,
                     by person: ActingPerson) async throws -> (grid: ClassGrid, choices: [ReferentialSummary]) {
        let taught = try await division(code, by: person)
        let (year, today) = (app.year, app.today)
        return try await app.read { db in
            let grid = try ClassGrid.load(division: code, uai: taught.uai, year: year, today: today, referential: referential,
                                          group: group, in: db)
            return (grid, try ClassGrid.referentials(of: grid.rows.map(\.student.id), in: db))
        }
    }

    /// The referentials a class is evaluated in, most used first, then the others.
    public func referentials(of code: String, by person: ActingPerson) async throws -> [ReferentialSummary] {
        let taught = try await division(code, by: person)
        return try await app.read { db in
            try ClassGrid.referentials(of: SchoolStore().studentIDs(divisionID: taught.ref.id, in: db), in: db)
        }
    }

    /// The class report of a period in one referential, in the version the class works with.
    public func report(_ code: String, referential: String, period: Period, by person: ActingPerson) async throws -> ClassReport {
        let taught = try await division(code, by: person)
        let today = app.today
        return try await app.read { db in
            var builder = ExportBuilder(today: today)
            let target = try ReferentialStore().target(code: referential, version: nil, divisionID: taught.ref.id, in: db)
            return try builder.classReport(division: code, uai: taught.uai, target: target, period: period, in: db)
        }
    }

    /// What waits for a teacher: open evaluation requests of their students, and badges of
    /// their school whose evidence changed.
    public func pending(by person: ActingPerson) async throws -> (openRequests: Int, toReview: Int) {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        guard case let .account(account) = person else { return (0, 0) }
        return try await app.read { db in
            let ids = try access.visibleStudentIDs(in: db)
            let review = try BadgeStore().awardsToReview(schoolID: account.schoolID ?? 0, in: db).filter { ids.contains($0.studentID) }
            return (try RequestStore().openRequests(studentIDs: ids, in: db).count, review.count)
        }
    }
}

/// Evaluation requests: a student asks, their teachers answer.
public struct Requests: Sendable {
    let app: App

    /// The requests the person reads: a student's or family's own, a teacher's students' open ones.
    public func visible(by person: ActingPerson) async throws -> [EvaluationRequest] {
        let access = Access(person: person, year: app.year)
        guard case let .account(account) = person else { throw AccessRefusal.role }
        return try await app.read { db in
            switch account.role {
            case .student, .family: return try RequestStore().requests(studentID: account.studentID ?? 0, in: db)
            case .teacher, .admin:
                return try RequestStore().openRequests(studentIDs: access.visibleStudentIDs(in: db), in: db)
            case .inspector: throw AccessRefusal.role
            }
        }
    }

    /// A student asks to be evaluated on a competency of a referential their class follows.
    public func ask(referential: String, competency: String, message: String?, for student: StudentReference,
                    by person: ActingPerson) async throws -> Int64 {
        let access = Access(person: person, year: app.year)
        try access.require(.student)
        return try await app.write { db in
            let studentID = try SchoolStore().student(student, in: db).id
            try access.requireStudent(studentID, in: db)
            try access.requireOwnWriting(studentID: studentID, referential: referential, in: db)
            let target = try ReferentialStore().target(code: referential, version: nil, studentID: studentID, in: db)
            return try RequestStore().request(studentID: studentID, target: target, competency: competency, message: message, in: db)
        }
    }

    /// A teacher answers a request of a student they follow; an unknown request and another's
    /// are refused alike (``EvaluationError/unknownRequest(_:)``).
    public func answer(_ id: Int64, status: EvaluationRequest.Status, answer: String?, by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        try await app.write { db in
            guard let studentID = try RequestStore().studentID(ofRequest: id, in: db) else { throw EvaluationError.unknownRequest(id) }
            do {
                try access.requireStudent(studentID, in: db)
            } catch is AccessRefusal {
                throw EvaluationError.unknownRequest(id)
            }
            try RequestStore().answer(id, status: status, answer: answer, by: person.signature ?? "", in: db)
        }
    }
}

extension App {
    /// A teacher's classes: grids, reports, what waits.
    public var classes: Classes { Classes(app: self) }

    /// Evaluation requests.
    public var requests: Requests { Requests(app: self) }
}

extension Classes {
    /// What a grid to fill offline needs: the students of the class and the referential
    /// version it works with (or the one named).
    public func gridTemplate(_ code: String, referential: String, version: String? = nil, uai: String? = nil,
                             by person: ActingPerson) async throws -> (students: [StoredStudent], target: ReferentialTarget) {
        let access = Access(person: person, year: app.year), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { db in
            let division = try access.requireDivision(code, uai: uai, in: db)
            return (try SchoolStore().students(in: division, asOf: today, in: db),
                    try ReferentialStore().target(code: referential, version: version, divisionID: division.id, in: db))
        }
    }
}
