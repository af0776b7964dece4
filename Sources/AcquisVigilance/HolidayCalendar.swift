import AcquisCore

/// The school holidays of one zone: what silence does not count. A class on holiday is not
/// silent, and a student whose last evidence came before the Toussaint break is not « silent
/// for four weeks » after two weeks of class.
public struct HolidayCalendar: Hashable, Sendable {
    /// Metropolitan France's three zones for winter and spring holidays; Toussaint, Christmas
    /// and summer are common to all.
    public enum Zone: String, CaseIterable, Sendable, Codable {
        case a = "A", b = "B", c = "C"
    }

    public struct Holiday: Hashable, Sendable {
        public var name: String
        /// The first day without class.
        public var start: CalendarDate
        /// The day classes resume: not a holiday.
        public var resumption: CalendarDate
        /// Whether the dates were checked against the published decree.
        public var isVerified: Bool
    }

    public var holidays: [Holiday]

    public init(holidays: [Holiday]) {
        self.holidays = holidays.sorted { $0.start < $1.start }
    }

    /// No holiday at all: every day counts.
    public static let none = HolidayCalendar(holidays: [])

    /// The holidays of `zone` from the calendar file (`annee;zone;vacances;debut;reprise;fiabilite`);
    /// without a zone, only the holidays common to every zone. Lines starting with `#` are comments.
    public init(file text: String, zone: Zone?) throws(InvalidInput) {
        var holidays: [Holiday] = []
        var problems: [Diagnostic] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map { field in
                String(String(field.drop(while: \.isWhitespace).reversed()).drop(while: \.isWhitespace).reversed())
            }
            guard !line.hasPrefix("#"), fields.count == 6, fields[0] != "annee" else { continue }
            guard let start = CalendarDate(iso: fields[3]), let resumption = CalendarDate(iso: fields[4]), start < resumption else {
                problems.append(Diagnostic(file: "vacances-scolaires.csv", line: index + 1, field: "debut",
                                           message: "dates « \(fields[3]) » – « \(fields[4]) » illisibles ou dans le désordre"))
                continue
            }
            guard fields[1] == "toutes" || fields[1] == zone?.rawValue else { continue }
            holidays.append(Holiday(name: fields[2], start: start, resumption: resumption, isVerified: fields[5] == "verifie"))
        }
        guard problems.isEmpty else { throw InvalidInput(problems) }
        self.init(holidays: holidays)
    }

    /// Whether classes are off on `day`.
    public func isHoliday(_ day: CalendarDate) -> Bool {
        holidays.contains { $0.start <= day && day < $0.resumption }
    }

    /// The days after `start` up to `end` included, holidays left out: how long a silence
    /// lasted in days of class time.
    public func daysOutsideHolidays(after start: CalendarDate, through end: CalendarDate) -> Int {
        guard end > start else { return 0 }
        var count = end.dayNumber - start.dayNumber
        for holiday in holidays {
            let from = max(holiday.start.dayNumber, start.dayNumber + 1)
            let to = min(holiday.resumption.dayNumber - 1, end.dayNumber)
            if to >= from { count -= to - from + 1 }
        }
        return count
    }
}
