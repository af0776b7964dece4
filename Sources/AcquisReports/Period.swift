import AcquisCore

/// The stretch of a school year a progress file or a class report covers.
///
/// Trimesters follow the usual council calendar (September–November, December–February,
/// March–August); semesters split at the end of January. A period can also be any two days.
public struct Period: Hashable, Sendable {
    /// `T1`, `T2`, `T3`, `S1`, `S2`, `annee`, or `du-JJMMAAAA-au-JJMMAAAA` for two chosen days.
    public var code: String
    /// « 1er trimestre 2026-2027 », as printed at the top of a file.
    public var title: String
    public var start: CalendarDate
    public var end: CalendarDate

    public init(code: String, title: String, start: CalendarDate, end: CalendarDate) {
        self.code = code
        self.title = title
        self.start = start
        self.end = end
    }

    public var schoolYear: SchoolYear { SchoolYear(containing: start) }

    /// A named period of a school year: `T1`…`T3`, `S1`, `S2` or `annee` (`année` too).
    public static func named(_ name: String, in year: SchoolYear) -> Period? {
        let y = year.startYear
        func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        let endOfFebruary = day(y + 1, 3, 1).adding(days: -1)
        let bounds: (String, CalendarDate, CalendarDate)
        switch name.uppercased() {
        case "T1": bounds = ("1er trimestre", day(y, 9, 1), day(y, 11, 30))
        case "T2": bounds = ("2e trimestre", day(y, 12, 1), endOfFebruary)
        case "T3": bounds = ("3e trimestre", day(y + 1, 3, 1), day(y + 1, 8, 31))
        case "S1": bounds = ("1er semestre", day(y, 9, 1), day(y + 1, 1, 31))
        case "S2": bounds = ("2d semestre", day(y + 1, 2, 1), day(y + 1, 8, 31))
        case "ANNEE", "ANNÉE": bounds = ("Année", day(y, 9, 1), day(y + 1, 8, 31))
        default: return nil
        }
        let code = name.uppercased().hasPrefix("ANN") ? "annee" : name.uppercased()
        return Period(code: code, title: "\(bounds.0) \(year)", start: bounds.1, end: bounds.2)
    }

    /// From one day to another, both included.
    public static func between(_ start: CalendarDate, _ end: CalendarDate) -> Period {
        Period(code: "du-\(start.compact)-au-\(end.compact)", title: "Du \(start.french) au \(end.french)",
               start: start, end: end)
    }

    /// The period that holds `date`, as trimesters: what a file covers when none is named.
    public static func trimester(containing date: CalendarDate) -> Period {
        PeriodScheme.trimesters.period(containing: date)
    }

    public static let names = ["T1", "T2", "T3", "S1", "S2", "annee"]
}

/// How a school divides its year for bilans: three trimesters (the default) or two semesters.
public enum PeriodScheme: String, Sendable, CaseIterable {
    case trimesters = "trimestres"
    case semesters = "semestres"

    /// The codes of its periods, in order.
    public var codes: [String] { self == .trimesters ? ["T1", "T2", "T3"] : ["S1", "S2"] }

    /// Its periods of a school year.
    public func periods(of year: SchoolYear) -> [Period] { codes.compactMap { Period.named($0, in: year) } }

    /// The period that holds `date`.
    public func period(containing date: CalendarDate) -> Period {
        periods(of: SchoolYear(containing: date)).first { $0.start <= date && date <= $0.end }!
    }

    /// « trimestres (T1, T2, T3) », as settings name it.
    public var label: String { self == .trimesters ? "Trois trimestres (T1, T2, T3)" : "Deux semestres (S1, S2)" }
}

private extension CalendarDate {
    var compact: String { String(iso.filter { $0 != "-" }) }
}
