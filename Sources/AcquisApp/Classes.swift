import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation

/// What a teacher reads of their classes, each read for a person allowed to read it.
public struct Classes: Sendable {
    let app: App

    /// The classes and groups the person teaches this year (all of their school's for its team).
    public func divisions(by person: ActingPerson) async throws -> [TaughtDivision] {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        return try await app.read { tx in try access.divisions(in: tx) }
    }

    /// A class or group the person teaches; refused otherwise. At the console, in the school
    /// `uai` names (or the database's only school).
    public func division(_ code: String, uai: String? = nil, by person: ActingPerson) async throws -> TaughtClass {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in try Self.taught(code, uai: uai, access: access, today: today, in: tx) }
    }

    /// ``division(_:uai:by:)`` inside the caller's transaction.
    private static func taught(_ code: String, uai: String?, access: Access, today: CalendarDate,
                               in tx: any StorageTransaction) throws -> TaughtClass {
        guard case .account = access.person else {
            let ref = try access.requireDivision(code, uai: uai, in: tx)
            let students = try tx.schools.studentIDs(divisionID: ref.id, asOf: today).count
            return TaughtClass(division: TaughtDivision(code: code, kind: ref.kind, students: students), ref: ref,
                               uai: try tx.schools.uai(schoolID: ref.schoolID) ?? "")
        }
        return try access.requireTaughtClass(code, in: tx)
    }

    /// The grid of a class in one referential (the one `referential` names, else the first
    /// `search` finds, else the first offered), in the version the class works with, with the
    /// referentials it may switch to: one read, as it is the page a teacher opens most.
    public func grid(_ code: String, referential: String?, search: String? = nil, group: String?,
                     by person: ActingPerson) async throws -> (grid: ClassGrid, offer: ReferentialOffer) {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let taught = try Self.taught(code, uai: nil, access: access, today: today, in: tx)
            return try ClassGrid.load(taught.ref, today: today, referential: referential, search: search, group: group, in: tx)
        }
    }

    /// The referentials offered to a class or group (``ReferentialOffer``, with what `search`
    /// finds), with their versions and the one it follows (nil when it follows none of them):
    /// what direction chooses from.
    public func followedReferentials(_ code: String, search: String? = nil,
                                     by person: ActingPerson) async throws -> FollowedReferentials {
        let access = app.access(person), today = app.today
        try access.require(.admin)
        return try await app.read { tx in
            let division = try access.requireDivision(code, uai: nil, in: tx)
            let offer = try ReferentialOffer.load(division, students: tx.schools.studentIDs(divisionID: division.id, asOf: today),
                                                  search: search, in: tx)
            let referentials = Dictionary(grouping: offer.versions, by: \.code).values.map { versions in
                let chosen = offer.followed[versions[0].code].flatMap { id in versions.first { $0.id == id } }
                return FollowedReferential(code: versions[0].code, title: versions.last!.title, versions: versions.map(\.version),
                                           followed: chosen?.version)
            }.sorted { $0.code < $1.code }
            return FollowedReferentials(referentials: referentials, searchable: offer.searchable, found: offer.found)
        }
    }

    /// Says which referentials a class or group follows, each in a version: the grid offers
    /// them first, and its students self-evaluate and ask to be evaluated in them. A
    /// referential left out is no longer followed; its evidence stays and still counts. A
    /// referential or version not stored is refused, and nothing changes.
    public func setFollowedReferentials(_ code: String, versions: [String: String], by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let division = try access.requireDivision(code, uai: nil, in: tx)
            let stored = Set(try tx.referentials.summaries(codes: Array(versions.keys)).map { "\($0.code) \($0.version)" })
            for (referential, version) in versions.sorted(by: { $0.key < $1.key }) where !stored.contains("\(referential) \(version)") {
                throw ReferentialStoreError.notFound(code: referential, version: version)
            }
            for old in try tx.referentials.followed(divisionID: division.id).keys where versions[old] == nil {
                try tx.referentials.unfollow(code: old, divisionID: division.id)
            }
            for (referential, version) in versions.sorted(by: { $0.key < $1.key }) {
                try tx.referentials.chooseVersion(code: referential, version: version, divisionID: division.id)
            }
        }
    }

    /// The teachers of a class, and whether each is its main teacher (who closes its periods).
    public func teachers(_ code: String, by person: ActingPerson) async throws -> [(teacher: Teacher, leads: Bool)] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.staff.teachers(divisionID: access.requireDivision(code, uai: nil, in: tx).id) }
    }

    /// Direction names a class's main teacher by hand (STS-web's export does it otherwise):
    /// one of its teachers, or nobody.
    public func setMainTeacher(_ code: String, login: String?, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let division = try access.requireDivision(code, uai: nil, in: tx)
            let teachers = try tx.staff.teachers(divisionID: division.id)
            guard let login else { return try tx.staff.setMainTeachers([], divisionID: division.id) }
            guard let chosen = teachers.first(where: { $0.teacher.login == login }) else { throw AccountStoreError.notATeacher(login) }
            try tx.staff.setMainTeachers([chosen.teacher.id], divisionID: division.id)
        }
    }

    /// The class report of a period in one referential, in the version the class works with.
    public func report(_ code: String, referential: String, period: Period, by person: ActingPerson) async throws -> ClassReport {
        let taught = try await division(code, by: person)
        let today = app.today
        return try await app.read { tx in
            var context = ReportContext(today: today)
            let target = try tx.referentials.target(code: referential, version: nil, divisionID: taught.ref.id)
            return try tx.reports.classReport(division: code, uai: taught.uai, target: target, period: period, columns: nil,
                                              quietDays: 30, context: &context)
        }
    }

    /// What waits for a teacher: open evaluation requests of their students, and badges of
    /// their school whose evidence changed.
    public func pending(by person: ActingPerson) async throws -> (openRequests: Int, toReview: Int) {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        guard case let .account(account) = person else { return (0, 0) }
        return try await app.read { tx in
            let ids = try access.visibleStudentIDs(in: tx)
            let review = try tx.badges.awardsToReview(schoolID: account.schoolID ?? 0).filter { ids.contains($0.studentID) }
            return (try tx.requests.openRequests(studentIDs: ids).count, review.count)
        }
    }
}

/// Evaluation requests: a student asks, their teachers answer.
public struct Requests: Sendable {
    let app: App

    /// The requests the person reads: a student's or family's own, a teacher's students' open ones.
    public func visible(by person: ActingPerson) async throws -> [EvaluationRequest] {
        let access = app.access(person)
        guard case let .account(account) = person else { throw AccessRefusal.role }
        return try await app.read { tx in
            switch account.role {
            case .student, .family: return try tx.requests.requests(studentID: account.studentID ?? 0)
            case .teacher, .admin:
                return try tx.requests.openRequests(studentIDs: access.visibleStudentIDs(in: tx))
            case .inspector, .academy: throw AccessRefusal.role
            }
        }
    }

    /// A student asks to be evaluated on a competency of a referential their class follows.
    public func ask(referential: String, competency: String, message: String?, for student: StudentReference,
                    by person: ActingPerson) async throws -> Int64 {
        let access = app.access(person)
        try access.require(.student)
        return try await app.write { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            try access.requireOwnWriting(studentID: studentID, referential: referential, in: tx)
            let target = try tx.referentials.target(code: referential, version: nil, studentID: studentID)
            return try tx.requests.request(studentID: studentID, target: target, competency: competency, message: message, at: Date())
        }
    }

    /// A teacher answers a request of a student they follow; an unknown request and another's
    /// are refused alike (``EvaluationError/unknownRequest(_:)``).
    public func answer(_ id: Int64, status: EvaluationRequest.Status, answer: String?, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        try await app.write { tx in
            guard let studentID = try tx.requests.studentID(ofRequest: id) else { throw EvaluationError.unknownRequest(id) }
            do {
                try access.requireStudent(studentID, in: tx)
            } catch is AccessRefusal {
                throw EvaluationError.unknownRequest(id)
            }
            try tx.requests.answer(id, status: status, answer: answer, by: person.signature ?? "", at: Date())
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
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let division = try access.requireDivision(code, uai: uai, in: tx)
            return (try tx.schools.students(in: division, asOf: today),
                    try tx.referentials.target(code: referential, version: version, divisionID: division.id))
        }
    }
}

/// A published referential as a class may follow it.
/// The referentials direction chooses from for a class (``Classes/followedReferentials(_:search:by:)``).
public struct FollowedReferentials: Sendable {
    /// Those offered, by code.
    public var referentials: [FollowedReferential]
    /// Whether stored referentials are left out: the page offers a search.
    public var searchable: Bool
    /// What a search found, by code (empty when nothing); nil without a search.
    public var found: [String]?
}

public struct FollowedReferential: Hashable, Sendable {
    public var code: String
    public var title: String
    /// Its versions, oldest first.
    public var versions: [String]
    /// The version the class follows; nil when it follows none.
    public var followed: String?
}
