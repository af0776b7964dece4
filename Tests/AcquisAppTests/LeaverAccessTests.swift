import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisTestSupport
import Foundation
import Testing

@Suite("A student who left keeps the download of their portfolio, for the months the school chose")
struct LeaverAccessTests {
    typealias F = AppFixture
    static let leftOn = CalendarDate(year: 2026, month: 11, day: 20)!

    @Test("the period runs from the leaving day to the same day months later, included; a later day closes it")
    func period() {
        let twelve = LeaverAccess(leftOn: Self.leftOn, months: 12, today: CalendarDate(year: 2027, month: 11, day: 20)!)
        #expect(twelve == .downloadOnly(leftOn: Self.leftOn, until: CalendarDate(year: 2027, month: 11, day: 20)!))
        #expect(LeaverAccess(leftOn: Self.leftOn, months: 12, today: CalendarDate(year: 2027, month: 11, day: 21)!)
                == .ended(leftOn: Self.leftOn, until: CalendarDate(year: 2027, month: 11, day: 20)!))
        #expect(LeaverAccess(leftOn: Self.leftOn, months: 0, today: Self.leftOn) == .downloadOnly(leftOn: Self.leftOn, until: Self.leftOn))
        #expect(LeaverAccess(leftOn: Self.leftOn, months: 3, today: Self.leftOn.adding(days: -1)) == .enrolled, "a leaving day still to come")
        #expect(LeaverAccess(leftOn: nil, months: 3, today: Self.leftOn) == .enrolled)
        #expect(CalendarDate(year: 2027, month: 1, day: 31)!.adding(months: 1) == CalendarDate(year: 2027, month: 2, day: 28)!)
        #expect(CalendarDate(year: 2027, month: 11, day: 30)!.adding(months: 3) == CalendarDate(year: 2028, month: 2, day: 29)!)
        #expect(CalendarDate(year: 2026, month: 12, day: 15)!.adding(months: 1) == CalendarDate(year: 2027, month: 1, day: 15)!)
    }

    /// Léa left on 20 November; the school keeps the default year.
    static func school(_ engine: Engine) async throws -> F {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        try school.database.write { db in
            try db.run(sql: "UPDATE student SET leftOn = ? WHERE ine = ?", arguments: [Self.leftOn.iso, "9000000001A"])
        }
        return school
    }

    @Test("a class counts the students still in it, as its grid lists them: for her teacher, the school's team and the console alike", arguments: Engine.all)
    func classCountsWhoIsThere(engine: Engine) async throws {
        let school = try await Self.school(engine)
        for person in [school.person("prof"), school.person("direction"), F.console] {
            #expect(try await school.app.classes.division("2CAP", by: person).division.students == 1)
            let (grid, _) = try await school.app.classes.grid("2CAP", referential: "CAP-EPC", group: nil, by: person)
            #expect(grid.rows.count == 1 && grid.leavers.map(\.student.firstName) == ["Léa"])
        }
        for person in [school.person("prof"), school.person("direction")] {
            #expect(try await school.app.classes.divisions(by: person).first { $0.code == "2CAP" }?.students == 1)
        }
    }

    @Test("her account and her family's open only the portfolio's download; her teacher and the school still follow her", arguments: Engine.all)
    func downloadOnly(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let until = CalendarDate(year: 2027, month: 11, day: 20)!
        let studentID = try await school.studentID()
        for login in ["lea", "famille"] {
            #expect(try await school.app.students.leaverAccess(by: school.person(login)) == .downloadOnly(leftOn: Self.leftOn, until: until))
            await #expect(throws: AccessRefusal.left(until: until, ended: false)) {
                try await school.app.students.student(studentID, by: school.person(login))
            }
            await #expect(throws: AccessRefusal.left(until: until, ended: false)) {
                try await school.app.portfolio.productions(of: F.lea, by: school.person(login))
            }
            let contents = try await school.app.portfolio.contents(of: F.lea, keys: nil, by: school.person(login))
            #expect(contents.progressFile.sections.contains { $0.code == "CAP-EPC" })
        }
        let made = try await school.app.portfolio.add(PortfolioTests.draft(), file: Data("Compte rendu de vente.\n".utf8), by: school.person("prof"))
        await #expect(throws: AccessRefusal.left(until: until, ended: false)) {
            try await school.app.portfolio.share([made.id], until: until, showingFirstName: false, by: school.person("lea"))
        }
        #expect(try await school.app.students.student(studentID, by: school.person("prof")).student.firstName == "Léa")
        #expect(try await school.app.students.leaverAccess(by: school.person("prof")) == .enrolled)
    }

    @Test("after the period nothing opens, the download included; the school chooses the period", arguments: Engine.all)
    func ended(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let later = App(storage: school.database.storage, today: CalendarDate(year: 2027, month: 11, day: 21)!)
        let until = CalendarDate(year: 2027, month: 11, day: 20)!
        #expect(try await later.students.leaverAccess(by: school.person("lea")) == .ended(leftOn: Self.leftOn, until: until))
        await #expect(throws: AccessRefusal.left(until: until, ended: true)) {
            try await later.portfolio.contents(of: F.lea, keys: nil, by: school.person("lea"))
        }

        #expect(try await school.app.school.leaverMonths(by: school.person("direction")) == 12)
        try await school.app.school.saveSettings(name: "Lycée des Tilleuls", scheme: .trimesters, leaverMonths: 24, by: school.person("direction"))
        #expect(try await school.app.school.leaverMonths(by: school.person("direction")) == 24)
        #expect(try await later.students.leaverAccess(by: school.person("lea"))
                == .downloadOnly(leftOn: Self.leftOn, until: CalendarDate(year: 2028, month: 11, day: 20)!))
        _ = try await later.portfolio.contents(of: F.lea, keys: nil, by: school.person("lea"))

        await #expect(throws: SetupError.leaverMonths(5)) {
            try await school.app.school.saveSettings(name: "Lycée des Tilleuls", scheme: .trimesters, leaverMonths: 5, by: school.person("direction"))
        }
        await #expect(throws: AccessRefusal.role) {
            try await school.app.school.saveSettings(name: "X", scheme: .trimesters, leaverMonths: 0, by: school.person("prof"))
        }
        #expect(try await school.app.school.leaverMonths(by: school.person("direction")) == 24, "a refused choice changes nothing")
    }
}
