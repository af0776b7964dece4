import AcquisCore
import AcquisStorage

/// Who asks for a use case: every read and write is decided for them.
public enum ActingPerson: Sendable {
    /// Someone signed in to the web app or the API.
    case account(Account)
    /// Whoever runs the command line on the database file: the school's administrator, who
    /// holds every right the file gives. `name` signs what they record.
    case console(name: String?)

    /// The name kept with what they record and change.
    var signature: String? {
        switch self {
        case let .account(account): account.login
        case let .console(name): name
        }
    }
}

/// Why a use case refused the person who asked. Each front end words it for its readers; the
/// same refusal for something that does not exist and something not theirs, so that ids
/// cannot be probed.
public enum AccessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Their role does not do this.
    case role
    /// Not a student they follow (or no such student).
    case student
    /// Not a class or group they teach (or no such class).
    case division
    /// A student writes only in the referentials their class follows.
    case referentialNotFollowed(String)
    /// The school's team manages its own school only.
    case otherSchool(String)
    /// The student left the school: their account opens only the download of their portfolio,
    /// until `until`; nothing after.
    case left(until: CalendarDate, ended: Bool)

    public var description: String {
        switch self {
        case .role: "cette opération n’est pas ouverte à ce compte"
        case .student: "ce compte n’a pas accès au suivi de cet élève"
        case .division: "ce compte n’a pas accès à cette classe"
        case let .referentialNotFollowed(code): "la classe de l’élève ne suit pas le référentiel « \(code) »"
        case let .otherSchool(uai): "ce compte ne gère pas l’établissement \(uai)"
        case let .left(until, ended):
            ended ? "l’élève a quitté l’établissement : l’accès à son portfolio a pris fin le \(until.french)"
                  : "l’élève a quitté l’établissement : seul son portfolio peut encore être téléchargé, jusqu’au \(until.french)"
        }
    }
}

extension App {
    /// The access policy for `person`, deciding in `year` (this school year by default) and on this app's day.
    func access(_ person: ActingPerson, year: SchoolYear? = nil) -> Access {
        Access(person: person, year: year ?? self.year, today: today)
    }
}

/// The access policy, in one place: what each person may read and write.
struct Access {
    let person: ActingPerson
    let year: SchoolYear
    /// The day access is decided on: a student who left keeps only their portfolio's download, for a while.
    let today: CalendarDate

    /// The person is one of these roles (the console holds them all).
    func require(_ roles: Role...) throws {
        guard case let .account(account) = person else { return }
        guard roles.contains(account.role) else { throw AccessRefusal.role }
    }

    /// The person follows this student: a teacher the students of their classes and groups
    /// this year and those they tutor, the school's team its students, a student themselves,
    /// a family their child; an inspector no student, and nobody a student of another school.
    /// A student that does not exist is refused the same way. Once the student left, their own
    /// and their family's accounts open only what `leaverMay` allows (the portfolio's download),
    /// until the end of the period the school chose; then nothing.
    func requireStudent(_ studentID: Int64, in tx: any StorageTransaction, leaverMay: Bool = false) throws {
        guard let schoolID = try tx.schools.schoolID(studentID: studentID) else { throw AccessRefusal.student }
        try requireStudent(studentID, of: schoolID, in: tx, leaverMay: leaverMay)
    }

    /// ``requireStudent(_:in:leaverMay:)`` for a student already read: one query fewer.
    func requireStudent(_ student: StoredStudent, in tx: any StorageTransaction, leaverMay: Bool = false) throws {
        try requireStudent(student.id, of: student.schoolID, in: tx, leaverMay: leaverMay)
    }

    private func requireStudent(_ studentID: Int64, of schoolID: Int64, in tx: any StorageTransaction, leaverMay: Bool) throws {
        guard case let .account(account) = person else { return }
        let follows = switch account.role {
        case .student: account.studentID == studentID
        case .family: try Self.children(of: account, in: tx).contains(studentID)
        case .inspector, .academy: false
        case .admin: account.schoolID == schoolID
        case .teacher: try account.teacherID.map {
            try tx.accounts.teacherFollows(teacherID: $0, studentID: studentID, year: year)
        } ?? false
        }
        guard follows else { throw AccessRefusal.student }
        if account.role == .student || account.role == .family {
            switch try tx.schools.leaverAccess(studentID: studentID, today: today) {
            case .enrolled: break
            case let .downloadOnly(_, until): guard leaverMay else { throw AccessRefusal.left(until: until, ended: false) }
            case let .ended(_, until): throw AccessRefusal.left(until: until, ended: true)
            }
        }
    }

    /// The children a family account follows: every child of its guardian, or its one child.
    static func children(of account: Account, in tx: any StorageTransaction) throws -> [Int64] {
        let ofGuardian = try account.guardianID.map { try tx.guardians.childIDs(guardianID: $0) } ?? []
        return ofGuardian + (account.studentID.map { ofGuardian.contains($0) ? [] : [$0] } ?? [])
    }

    /// The classes and groups the person may open: all of their school's for its team, those
    /// taught for a teacher, none for the others.
    func divisions(in tx: any StorageTransaction) throws -> [TaughtDivision] {
        guard case let .account(account) = person else { return [] }
        switch account.role {
        case .admin: return try account.schoolID.map { try tx.accounts.divisions(schoolID: $0, year: year, asOf: today) } ?? []
        case .teacher: return try account.teacherID.map { try tx.accounts.divisions(teacherID: $0, year: year, asOf: today) } ?? []
        case .student, .family, .inspector, .academy: return []
        }
    }

    /// The students whose records the person may read, for queues and lists.
    func visibleStudentIDs(in tx: any StorageTransaction) throws -> [Int64] {
        guard case let .account(account) = person else { return [] }
        switch account.role {
        case .student: return account.studentID.map { [$0] } ?? []
        case .family: return try Self.children(of: account, in: tx)
        case .inspector, .academy: return []
        case .admin: return try account.schoolID.map { try tx.accounts.studentIDs(schoolID: $0) } ?? []
        case .teacher: return try account.teacherID.map { try tx.accounts.followedStudentIDs(teacherID: $0, year: year) } ?? []
        }
    }

    /// The class or group `code` of the person's school this year, with its students still
    /// there today counted, if they teach it (any of their school's for its team): one read.
    func requireTaughtClass(_ code: String, in tx: any StorageTransaction) throws -> TaughtClass {
        guard case let .account(account) = person, let schoolID = account.schoolID else { throw AccessRefusal.division }
        let teacherID: Int64?
        switch account.role {
        case .admin: teacherID = nil
        case .teacher:
            guard let id = account.teacherID else { throw AccessRefusal.division }
            teacherID = id
        case .student, .family, .inspector, .academy: throw AccessRefusal.division
        }
        guard let taught = try tx.accounts.division(code: code, schoolID: schoolID, taughtBy: teacherID, year: year, asOf: today)
        else { throw AccessRefusal.division }
        return taught
    }

    /// The class or group, if the person teaches it (any of their school's for its team). At
    /// the console, in the school `uai` names, or the database's only school.
    func requireDivision(_ code: String, uai: String?, in tx: any StorageTransaction) throws -> DivisionRef {
        if case .account = person { return try requireTaughtClass(code, in: tx).ref }
        return try tx.schools.division(code: code, schoolID: schoolID(uai: uai, in: tx), year: year)
    }

    /// Whether the person is a student who sponsors this one this year.
    func sponsors(_ studentID: Int64, in tx: any StorageTransaction) throws -> Bool {
        guard case let .account(account) = person, account.role == .student, let sponsor = account.studentID else { return false }
        return try tx.tutoring.sponsored(by: sponsor, year: year).contains(studentID)
    }

    /// The person's school; at the console, the school `uai` names or the database's only one.
    func schoolID(uai: String?, in tx: any StorageTransaction) throws -> Int64 {
        if case let .account(account) = person {
            guard let schoolID = account.schoolID else { throw AccessRefusal.role }
            return schoolID
        }
        return try tx.schools.schoolID(uai: uai ?? tx.schools.soleSchoolUAI())
    }

    /// The school `uai` names, which must be the person's own (the console manages any).
    func requireOwnSchool(uai: String, in tx: any StorageTransaction) throws -> Int64 {
        guard case let .account(account) = person else { return try tx.schools.schoolID(uai: uai) }
        guard let own = account.schoolID, try tx.schools.uai(schoolID: own) == uai else { throw AccessRefusal.otherSchool(uai) }
        return own
    }

    /// What a student may write: only in a referential their class follows, about themselves.
    func requireOwnWriting(studentID: Int64, referential: String, in tx: any StorageTransaction) throws {
        guard case let .account(account) = person, account.role == .student else { return }
        guard account.studentID == studentID else { throw AccessRefusal.student }
        guard try tx.schools.referentialsFollowed(studentID: studentID, year: year).contains(referential) else {
            throw AccessRefusal.referentialNotFollowed(referential)
        }
    }
}
