import AcquisCore
import AcquisGrading
import Foundation

/// What an account may do in the web app. Each role sees a part of the school, never more.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// The school's team: every class and student of its school.
    case admin
    /// A teacher: the classes and groups they teach.
    case teacher
    /// A student: their own records.
    case student
    /// A parent or guardian: their child's records.
    case family
    /// An inspector: the referentials, and the académie's overview; no student data.
    case inspector
    /// The académie's team (DANE, a programme's team): the académie's overview, counts across
    /// schools; no student data, no referential to publish.
    case academy

    /// The French name shown in the interface.
    public var label: String {
        switch self {
        // Words for a team, not a gendered title: « Mme Petit (équipe pédagogique) ».
        case .admin: "direction"
        case .teacher: "équipe pédagogique"
        case .student: "élève"
        case .family: "famille"
        case .inspector: "inspection"
        case .academy: "académie"
        }
    }
}

/// Someone who signs in: never carries the password hash beyond the store.
public struct Account: Hashable, Sendable {
    public var id: Int64
    public var login: String
    public var role: Role
    public var displayName: String
    public var schoolID: Int64?
    public var teacherID: Int64?
    /// The student a student or family account sees.
    public var studentID: Int64?
    /// The legal guardian a family account belongs to, who may follow several children.
    public var guardianID: Int64?

    public init(id: Int64, login: String, role: Role, displayName: String, schoolID: Int64? = nil, teacherID: Int64? = nil,
                studentID: Int64? = nil, guardianID: Int64? = nil) {
        self.guardianID = guardianID
        self.id = id
        self.login = login
        self.role = role
        self.displayName = displayName
        self.schoolID = schoolID
        self.teacherID = teacherID
        self.studentID = studentID
    }
}

/// An account to create, with its password already hashed by the caller.
public struct NewAccount: Sendable {
    public var login: String
    public var passwordHash: String
    public var role: Role
    public var displayName: String
    public var schoolUAI: String?
    /// A student account's own INE, or a family account's child.
    public var student: StudentReference?
    /// A family account made for a legal guardian (every child of theirs), instead of one child.
    public var guardianID: Int64?

    public init(login: String, passwordHash: String, role: Role, displayName: String, schoolUAI: String? = nil,
                student: StudentReference? = nil, guardianID: Int64? = nil) {
        self.login = login
        self.passwordHash = passwordHash
        self.role = role
        self.displayName = displayName
        self.schoolUAI = schoolUAI
        self.student = student
        self.guardianID = guardianID
    }
}

public enum AccountStoreError: Error, CustomStringConvertible, Equatable {
    case loginTaken(String)
    case unknownAccount(String)
    case studentRequired(Role)
    case schoolRequired(Role)
    case notATeacher(String)

    public var description: String {
        switch self {
        case let .loginTaken(login): "l’identifiant « \(login) » est déjà pris : choisissez-en un autre"
        case let .unknownAccount(login): "aucun compte « \(login) »"
        case let .studentRequired(role): "un compte \(role.label.lowercased()) doit désigner un élève"
        case let .schoolRequired(role): "un compte \(role.label.lowercased()) doit désigner un établissement"
        case let .notATeacher(login): "« \(login) » n’est pas un compte enseignant"
        }
    }
}

/// A teacher of a school, as tutor lists and choices name them.
public struct Teacher: Hashable, Sendable, Decodable {
    public var id: Int64
    public var schoolId: Int64
    public var login: String
    public var name: String

    public init(id: Int64, schoolId: Int64, login: String, name: String) {
        self.id = id
        self.schoolId = schoolId
        self.login = login
        self.name = name
    }
}

/// A class or group as a teacher opens it: counted, placed, and with its school's UAI.
public struct TaughtClass: Sendable {
    public var division: TaughtDivision
    public var ref: DivisionRef
    /// The school's UAI.
    public var uai: String

    public init(division: TaughtDivision, ref: DivisionRef, uai: String) {
        self.division = division
        self.ref = ref
        self.uai = uai
    }
}

/// A class or group as a teacher's list shows it.
public struct TaughtDivision: Hashable, Sendable, Decodable {
    public var code: String
    public var kind: String
    public var students: Int

    public init(code: String, kind: String, students: Int) {
        self.code = code
        self.kind = kind
        self.students = students
    }
}

/// An account as the school's team manages it: active, waiting for its first sign-in, or disabled.
public struct ManagedAccount: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case active
        /// Its activation code is valid until then (or has expired).
        case waiting(until: Date)
        case disabled
    }

    public var account: Account
    public var state: State

    public init(account: Account, state: State) {
        self.account = account
        self.state = state
    }
}
