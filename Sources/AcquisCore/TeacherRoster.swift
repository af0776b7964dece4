/// A teacher as STS-web lists them: the least Acquis needs to make their account and name
/// them — no birth date, grade or qualification.
public struct RosterTeacher: Hashable, Sendable {
    /// STS-web's `INDIVIDU@ID`: the same person from one year's export to the next.
    public var stsID: String
    /// `M.` or `Mme`, when the file says.
    public var civility: String?
    public var lastName: String
    public var firstName: String
    /// The line of the `INDIVIDU` element, for the preview.
    public var line: Int

    public init(stsID: String, civility: String? = nil, lastName: String, firstName: String, line: Int = 0) {
        self.stsID = stsID
        self.civility = civility
        self.lastName = lastName
        self.firstName = firstName
        self.line = line
    }

    /// « Claire MARTIN », as lists and letters name a teacher.
    public var displayName: String {
        [firstName, lastName.uppercased()].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// One subject a teacher teaches in a class or group (a `SERVICE` of STS-web).
public struct TeachingService: Hashable, Sendable {
    public var teacherID: String
    /// The class (`DIVISION@CODE`) or group (`GROUPE@CODE`).
    public var division: String
    /// The subject's name from the file's nomenclature (« Mathématiques »), else its code.
    public var subject: String
    /// The line of the `ENSEIGNANT` element, for the preview.
    public var line: Int

    public init(teacherID: String, division: String, subject: String, line: Int = 0) {
        self.teacherID = teacherID
        self.division = division
        self.subject = subject
        self.line = line
    }
}

/// Someone in the export who is not imported as a teacher, and why: a preview says so
/// rather than dropping them silently.
public struct SkippedStaff: Hashable, Sendable {
    public var name: String
    public var line: Int
    public var reason: String

    public init(name: String, line: Int, reason: String) {
        self.name = name
        self.line = line
        self.reason = reason
    }
}

/// The teachers of a school and what they teach, read from STS-web's `sts_emp_UAI_YYYY.xml`.
public struct TeacherRoster: Hashable, Sendable {
    public var uai: String?
    public var schoolYear: SchoolYear?
    public var teachers: [RosterTeacher]
    public var services: [TeachingService]
    /// Main teachers (« professeurs principaux »): teacher id → the classes they lead.
    public var mainTeachers: [String: [String]]
    /// Direction, vie scolaire and other staff, and teachers on leave: not imported.
    public var skipped: [SkippedStaff]

    public init(uai: String? = nil, schoolYear: SchoolYear? = nil, teachers: [RosterTeacher] = [], services: [TeachingService] = [],
                mainTeachers: [String: [String]] = [:], skipped: [SkippedStaff] = []) {
        self.uai = uai
        self.schoolYear = schoolYear
        self.teachers = teachers
        self.services = services
        self.mainTeachers = mainTeachers
        self.skipped = skipped
    }
}
