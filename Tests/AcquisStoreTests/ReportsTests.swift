import AcquisCore
import AcquisReports
import AcquisStorageTestSupport
import Testing

@Suite("Periods and official positions")
struct ReportsTests {
    static let year = SchoolYear(startYear: 2027)

    @Test("trimesters cover the school year without gap, February's end included in a leap year", arguments: Engine.all)
    func trimesters(engine: Engine) throws {
        let periods = try ["T1", "T2", "T3"].map { try #require(Period.named($0, in: Self.year)) }
        #expect(periods[0].start == CalendarDate(year: 2027, month: 9, day: 1))
        #expect(periods[1].end == CalendarDate(year: 2028, month: 2, day: 29))
        #expect(periods[2].end == CalendarDate(year: 2028, month: 8, day: 31))
        for (earlier, later) in zip(periods, periods.dropFirst()) { #expect(earlier.end.adding(days: 1) == later.start) }
        #expect(periods[0].title == "1er trimestre 2027-2028")
        #expect(Period.named("année", in: Self.year)?.code == "annee")
        #expect(Period.named("T4", in: Self.year) == nil)
    }

    @Test("the trimester of a day is the one holding it", arguments: Engine.all)
    func trimesterOfDay(engine: Engine) {
        #expect(Period.trimester(containing: CalendarDate(year: 2028, month: 1, day: 15)!).code == "T2")
        #expect(Period.trimester(containing: CalendarDate(year: 2027, month: 11, day: 30)!).code == "T1")
    }

    @Test("LSL Pro degrees: four-level scales map one to one, acquired lands on 3, two-level scales on 1 and 4", arguments: Engine.all)
    func lslDegrees(engine: Engine) {
        let benevolent = Scale.benevolent
        #expect(benevolent.levels.map { LSLPosition.degree(of: $0, in: benevolent) } == [1, 2, 3, 4])
        #expect(LSLPosition.degree(of: benevolent.levels.first { $0.isAcquired }!, in: benevolent) == 3)
        #expect(Scale.lpc.levels.map { LSLPosition.degree(of: $0, in: .lpc) } == [1, 4])
        #expect(Scale.lslPro.levels.map { LSLPosition.degree(of: $0, in: .lslPro) } == [1, 2, 3, 4])
    }
}
