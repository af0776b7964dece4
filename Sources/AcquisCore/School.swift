/// A student as the school's information system knows them. Only what evaluation needs:
/// no address, no family, no sex.
public struct Student: Hashable, Sendable {
    /// Identifiant national élève, the key shared by every school a student attends.
    public var ine: String?
    /// The school's own identifier (SIECLE `ELEVE_ID`), for students without an INE yet.
    public var localID: String?
    public var lastName: String
    public var firstName: String
    public var birthDate: CalendarDate?
    /// The class (division) the student is enrolled in this year.
    public var division: String?
    /// Teaching groups (options, half-classes), by code.
    public var groups: [String]
    /// The day the student left the school, when they did.
    public var leftOn: CalendarDate?

    public init(ine: String? = nil, localID: String? = nil, lastName: String, firstName: String,
                birthDate: CalendarDate? = nil, division: String? = nil, groups: [String] = [],
                leftOn: CalendarDate? = nil) {
        self.ine = ine
        self.localID = localID
        self.lastName = lastName
        self.firstName = firstName
        self.birthDate = birthDate
        self.division = division
        self.groups = groups
        self.leftOn = leftOn
    }

    /// « DUPONT Léa », as class lists print names.
    public var displayName: String {
        "\(lastName.uppercased()) \(firstName)"
    }

    /// An INE as stored: capital letters. Files often carry it in lowercase.
    public static func normalizedINE(_ text: String) -> String {
        text.utf8.contains(where: { (97...122).contains($0) }) ? text.uppercased() : text
    }

    /// An INE is 11 letters or digits (10 digits and a key letter for most students).
    /// Only the shape is checked: the key algorithm differs between issuing systems.
    public static func isPlausibleINE(_ text: String) -> Bool {
        text.utf8.count == 11 && text.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) }
    }
}

/// A school year, from September to August, named by the year it starts: 2026 is 2026-2027.
public struct SchoolYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var startYear: Int

    public init(startYear: Int) {
        self.startYear = startYear
    }

    /// The school year a day belongs to: from September on, the year that starts.
    public init(containing date: CalendarDate) {
        startYear = date.month >= 9 ? date.year : date.year - 1
    }

    /// Reads `2026-2027` or `2026` (SIECLE's `ANNEE_SCOLAIRE`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let start = Int(parts[0]), (1900...9998).contains(start) else { return nil }
        if parts.count == 2 {
            guard Int(parts[1]) == start + 1 else { return nil }
        }
        startYear = start
    }

    public var description: String { "\(startYear)-\(startYear + 1)" }

    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.startYear < rhs.startYear }
}

/// The students of one school, as read from an export: what an import brings in.
public struct StudentRoster: Hashable, Sendable {
    /// Unité administrative immatriculée: the school's national code, when the file gives it.
    public var uai: String?
    public var schoolYear: SchoolYear?
    public var students: [Student]
    /// Whether the file says which class each student is in: a file without a class column
    /// leaves every class as it was, instead of emptying them.
    public var givesClasses: Bool
    /// Whether the file says which groups each student is in.
    public var givesGroups: Bool

    public init(uai: String? = nil, schoolYear: SchoolYear? = nil, students: [Student] = [], givesClasses: Bool = true,
                givesGroups: Bool = true) {
        self.uai = uai
        self.schoolYear = schoolYear
        self.students = students
        self.givesClasses = givesClasses
        self.givesGroups = givesGroups
    }
}

/// What a student's account still opens once the student left the school: their portfolio, to
/// download, for the months the school chose; then nothing. The same for a family account
/// whose children have all left.
public enum LeaverAccess: Hashable, Sendable {
    /// Still at the school (or never enrolled with a leaving day): everything their role opens.
    case enrolled
    /// Left on `leftOn`; the portfolio can be downloaded until `until` included.
    case downloadOnly(leftOn: CalendarDate, until: CalendarDate)
    /// Left on `leftOn`; nothing opens since the day after `until`.
    case ended(leftOn: CalendarDate, until: CalendarDate)

    /// How long a school keeps its leavers' download open when it has not chosen.
    public static let defaultMonths = 12
    /// The choices a school has, in months (0: closed the day the student leaves).
    public static let monthChoices = [0, 3, 6, 12, 24, 36]

    /// The last day the download opens; nil for a student still there.
    public var until: CalendarDate? {
        switch self {
        case .enrolled: nil
        case let .downloadOnly(_, until), let .ended(_, until): until
        }
    }

    /// The access of a student who left on `leftOn` (nil: has not left), on `today`, with the
    /// school's period in months.
    public init(leftOn: CalendarDate?, months: Int, today: CalendarDate) {
        guard let leftOn, leftOn <= today else { self = .enrolled; return }
        let until = leftOn.adding(months: months)
        self = today <= until ? .downloadOnly(leftOn: leftOn, until: until) : .ended(leftOn: leftOn, until: until)
    }
}
