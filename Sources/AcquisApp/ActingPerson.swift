import AcquisCore
import AcquisStore
import GRDB

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

    public var description: String {
        switch self {
        case .role: "cette opération n’est pas ouverte à ce compte"
        case .student: "ce compte n’a pas accès au suivi de cet élève"
        case .division: "ce compte n’a pas accès à cette classe"
        case let .referentialNotFollowed(code): "la classe de l’élève ne suit pas le référentiel « \(code) »"
        }
    }
}

/// The access policy, in one place: what each person may read and write.
struct Access {
    let person: ActingPerson
    let year: SchoolYear

    /// The person is one of these roles (the console holds them all).
    func require(_ roles: Role...) throws {
        guard case let .account(account) = person else { return }
        guard roles.contains(account.role) else { throw AccessRefusal.role }
    }

    /// The person follows this student: their teacher, their school's team, themselves or
    /// their family. A student that does not exist is refused the same way.
    func requireStudent(_ studentID: Int64, in db: Database) throws {
        guard try SchoolStore().schoolID(studentID: studentID, in: db) != nil else { throw AccessRefusal.student }
        guard case let .account(account) = person else { return }
        guard try AccountStore().maySee(studentID: studentID, account: account, year: year, in: db) else {
            throw AccessRefusal.student
        }
    }

    /// The class or group, if the person teaches it (any of their school's for its team). At
    /// the console, in the school `uai` names, or the database's only school.
    func requireDivision(_ code: String, uai: String?, in db: Database) throws -> DivisionRef {
        switch person {
        case let .account(account):
            guard try AccountStore().divisions(of: account, year: year, in: db).contains(where: { $0.code == code }),
                  let schoolID = account.schoolID
            else { throw AccessRefusal.division }
            return try SchoolStore().division(code: code, schoolID: schoolID, year: year, in: db)
        case .console:
            let schoolID = try SchoolStore().schoolID(uai: uai ?? SchoolStore().soleSchoolUAI(in: db), in: db)
            return try SchoolStore().division(code: code, schoolID: schoolID, year: year, in: db)
        }
    }

    /// Whether the person is a student who sponsors this one this year.
    func sponsors(_ studentID: Int64, in db: Database) throws -> Bool {
        guard case let .account(account) = person, account.role == .student, let sponsor = account.studentID else { return false }
        return try TutoringStore().sponsored(by: sponsor, year: year, in: db).contains(studentID)
    }

    /// The person's school; at the console, the school `uai` names or the database's only one.
    func schoolID(uai: String?, in db: Database) throws -> Int64 {
        if case let .account(account) = person {
            guard let schoolID = account.schoolID else { throw AccessRefusal.role }
            return schoolID
        }
        return try SchoolStore().schoolID(uai: uai ?? SchoolStore().soleSchoolUAI(in: db), in: db)
    }

    /// What a student may write: only in a referential their class follows, about themselves.
    func requireOwnWriting(studentID: Int64, referential: String, in db: Database) throws {
        guard case let .account(account) = person, account.role == .student else { return }
        guard account.studentID == studentID else { throw AccessRefusal.student }
        guard try SchoolStore().referentialsFollowed(studentID: studentID, year: year, in: db).contains(referential) else {
            throw AccessRefusal.referentialNotFollowed(referential)
        }
    }
}
