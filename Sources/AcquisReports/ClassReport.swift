import AcquisCore
import Foundation

/// A class on one referential, for a class council of a classe sans notes: who stands where on
/// each competency, how levels spread, who progressed during the period, whose evidence stopped.
public struct ClassReport: Sendable {
    public var generatedAt: Date
    public var school: SchoolIdentity
    public var division: String
    public var period: Period
    public var asOf: CalendarDate
    public var referential: ReferentialIdentity
    public var scale: Scale
    public var columns: [Column]
    public var students: [StudentRow]
    /// Students with no observation for `quietDays` days before `asOf`.
    public var quiet: [QuietStudent]
    public var quietDays: Int
    /// Students who left the class by `asOf`: their history is kept, they are listed apart.
    public var leavers: [Leaver]

    public init(generatedAt: Date, school: SchoolIdentity, division: String, period: Period, asOf: CalendarDate,
                referential: ReferentialIdentity, scale: Scale, columns: [Column], students: [StudentRow],
                quiet: [QuietStudent], quietDays: Int, leavers: [Leaver] = []) {
        self.generatedAt = generatedAt
        self.school = school
        self.division = division
        self.period = period
        self.asOf = asOf
        self.referential = referential
        self.scale = scale
        self.columns = columns
        self.students = students
        self.quiet = quiet
        self.quietDays = quietDays
        self.leavers = leavers
    }

    /// A student who left the class, and when.
    public struct Leaver: Sendable {
        public var name: String
        public var leftOn: CalendarDate

        public init(name: String, leftOn: CalendarDate) {
            self.name = name
            self.leftOn = leftOn
        }
    }

    public struct Column: Hashable, Sendable {
        public var code: String
        public var title: String

        public init(code: String, title: String) {
            self.code = code
            self.title = title
        }
    }

    public struct StudentRow: Sendable {
        public var name: String
        /// One cell per column, in order.
        public var cells: [Cell]
        /// Codes of the columns that moved up (or got a first level) during the period.
        public var progressed: [String]

        public init(name: String, cells: [Cell], progressed: [String]) {
            self.name = name
            self.cells = cells
            self.progressed = progressed
        }

        public var acquiredCount: Int { cells.filter { $0.level?.isAcquired ?? false }.count }
    }

    public struct Cell: Sendable {
        public var level: Scale.Level?
        /// True when the level is rolled up from the objectives below rather than observed.
        public var isRolledUp: Bool

        public init(level: Scale.Level?, isRolledUp: Bool = false) {
            self.level = level
            self.isRolledUp = isRolledUp
        }

        public static let empty = Cell(level: nil)
    }

    public struct QuietStudent: Sendable {
        public var name: String
        public var lastObservedOn: CalendarDate?

        public init(name: String, lastObservedOn: CalendarDate?) {
            self.name = name
            self.lastObservedOn = lastObservedOn
        }
    }

    /// How many students stand at each level of the scale on a column, lowest level first,
    /// and how many have no level yet.
    public struct Distribution: Sendable {
        public var counts: [Int]
        public var notEvaluated: Int
    }

    public func distribution(ofColumn index: Int) -> Distribution {
        var counts = Array(repeating: 0, count: scale.levels.count)
        var none = 0
        for row in students {
            if let level = row.cells[index].level, let rank = scale.levels.firstIndex(of: level) {
                counts[rank] += 1
            } else {
                none += 1
            }
        }
        return Distribution(counts: counts, notEvaluated: none)
    }

    public var progressedStudents: [StudentRow] { students.filter { !$0.progressed.isEmpty } }
}

public struct ReferentialIdentity: Hashable, Sendable {
    public var code: String
    public var version: String
    public var title: String

    public init(code: String, version: String, title: String) {
        self.code = code
        self.version = version
        self.title = title
    }
}
