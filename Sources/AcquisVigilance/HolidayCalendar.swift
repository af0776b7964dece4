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
        /// The zone it applies to; nil for the holidays every zone shares.
        public var zone: Zone?
        /// The first day without class.
        public var start: CalendarDate
        /// The day classes resume: not a holiday.
        public var resumption: CalendarDate
        /// Whether the dates were checked against the published decree.
        public var isVerified: Bool

        public init(name: String, zone: Zone?, start: CalendarDate, resumption: CalendarDate, isVerified: Bool) {
            self.name = name
            self.zone = zone
            self.start = start
            self.resumption = resumption
            self.isVerified = isVerified
        }
    }

    public var holidays: [Holiday]

    public init(holidays: [Holiday]) {
        self.holidays = holidays.sorted { $0.start < $1.start }
    }

    /// The holidays of one zone; without a zone, only those every zone shares.
    public func forZone(_ zone: Zone?) -> HolidayCalendar {
        HolidayCalendar(holidays: holidays.filter { $0.zone == nil || $0.zone == zone })
    }

    /// No holiday at all: every day counts.
    public static let none = HolidayCalendar(holidays: [])

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
