import AcquisCore
import AcquisGrading
import Foundation

/// A student as stored, with the database id evaluations point at.
public struct StoredStudent: Hashable, Sendable {
    public var id: Int64
    /// The school the student belongs to: whom their data is shown to is decided from it.
    public var schoolID: Int64
    public var student: Student

    public init(id: Int64, schoolID: Int64, student: Student) {
        self.id = id
        self.schoolID = schoolID
        self.student = student
    }
}

/// A class or group of a school year.
public struct DivisionRef: Hashable, Sendable {
    public var id: Int64
    public var schoolID: Int64
    public var code: String
    public var kind: String
    public var year: SchoolYear

    public init(id: Int64, schoolID: Int64, code: String, kind: String, year: SchoolYear) {
        self.id = id
        self.schoolID = schoolID
        self.code = code
        self.kind = kind
        self.year = year
    }
}

/// What importing a list of students did.
public struct RosterImport: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Students of the school missing from the file: kept, with their evaluations.
    public var absent = 0
    public var divisions = 0

    public init() {}
}

public enum SchoolStoreError: Error, CustomStringConvertible, Equatable {
    case unknownSchool(String)
    case unknownDivision(String, SchoolYear)
    case unknownStudent(StudentReference)
    case ambiguousSchool
    /// The INE is another school's student's: a roster never moves a student between schools.
    case ineTakenInAnotherSchool(ine: String)
    case schoolExists(String)

    public var description: String {
        switch self {
        case let .unknownSchool(uai):
            "établissement \(uai) inconnu ; importez d’abord ses élèves"
        case let .unknownDivision(code, year):
            "aucune classe ni groupe \(code) en \(year)"
        case let .unknownStudent(reference):
            "aucun élève enregistré avec l’\(reference)"
        case .ambiguousSchool:
            "plusieurs établissements sont enregistrés ; précisez lequel"
        case let .ineTakenInAnotherSchool(ine):
            "l’INE \(ine) est celui d’un élève d’un autre établissement : vérifiez-le dans le fichier"
        case let .schoolExists(uai):
            "l’établissement \(uai) est déjà enregistré"
        }
    }
}

/// What importing a school's legal guardians did.
public struct GuardianImport: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Links between a guardian and a child of the school.
    public var links = 0
    /// Guardians none of whose children is a student of the school: not stored, reported.
    public var withoutChild: [String] = []
    /// Children named in the file that are not students of the school (`ELEVE_ID`s): never linked.
    public var unknownChildren: [String] = []

    public init() {}
}

/// A legal guardian as stored, with the ids of their children.
public struct StoredGuardian: Hashable, Sendable {
    public var id: Int64
    public var guardian: Guardian
    public var childIDs: [Int64]

    public init(id: Int64, guardian: Guardian, childIDs: [Int64]) {
        self.id = id
        self.guardian = guardian
        self.childIDs = childIDs
    }
}

/// What importing STS-web's teachers and services did (or would do, in a preview).
public struct TeacherImport: Hashable, Sendable {
    /// A class or group of the file that the school does not have this year: its services
    /// are not stored. Import the students (SIECLE) first, or correct the code in STS-web.
    public struct UnknownDivision: Hashable, Sendable {
        public var code: String
        /// The first line naming it.
        public var line: Int
        public var teachers: Int

        public init(code: String, line: Int, teachers: Int) {
            self.code = code
            self.line = line
            self.teachers = teachers
        }
    }

    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Links between a teacher and a class or group, across subjects.
    public var teachings = 0
    public var mainTeachers = 0
    public var unknownDivisions: [UnknownDivision] = []
    /// Teachers with no service in a class or group of the school: stored, reported.
    public var withoutService: [RosterTeacher] = []

    public init() {}
}

/// A teacher of the school as the team's list shows them: whether they have an account,
/// what they teach.
public struct StaffTeacher: Hashable, Sendable {
    /// The subjects taught in one class or group.
    public struct Teaching: Hashable, Sendable {
        public var code: String
        public var subjects: [String]

        public init(code: String, subjects: [String]) {
            self.code = code
            self.subjects = subjects
        }
    }

    public var teacher: Teacher
    /// Whether STS-web brought them (they are updated by its next export).
    public var fromSTS: Bool
    public var hasAccount: Bool
    /// This school year's classes and groups, by code.
    public var teaching: [Teaching]
    /// The classes they are main teacher of, this school year.
    public var leads: [String]

    public init(teacher: Teacher, fromSTS: Bool, hasAccount: Bool, teaching: [Teaching], leads: [String]) {
        self.teacher = teacher
        self.fromSTS = fromSTS
        self.hasAccount = hasAccount
        self.teaching = teaching
        self.leads = leads
    }
}
