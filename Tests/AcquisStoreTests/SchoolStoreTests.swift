import AcquisCore
import AcquisCSV
import AcquisReports
import AcquisStorage
@testable import AcquisStore
import AcquisVigilance
import AcquisTestSupport
import AcquisStorageTestSupport
import Testing

@Suite("School store")
struct SchoolStoreTests {
    let store = SchoolStore()

    @Test("a re-import updates students found by INE or school id, and never duplicates them", arguments: Engine.all)
    func reimport(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let changed = StudentRoster(students: [
            Student(ine: "9000000001A", lastName: "MARTIN-ROUX", firstName: "Léa", division: "2CAP"),
            Student(ine: "9000000002B", localID: "102", lastName: "BENALI", firstName: "Yanis", division: "2CAP"),
            Student(ine: "9000000003C", localID: "103", lastName: "DIALLO", firstName: "Aya", division: "2CAP"),
        ])
        let report = try school.database.write { db in
            try store.importRoster(changed, uai: "0579999Z", year: SchoolFixture.year, in: db)
        }
        #expect([report.inserted, report.updated, report.unchanged, report.absent, report.divisions] == [0, 2, 1, 0, 1])
        #expect(try school.count("student") == 3)
        let lea = try school.database.read { try store.student(SchoolFixture.lea, in: $0) }
        #expect(lea.student.lastName == "MARTIN-ROUX")
        #expect(lea.student.localID == "101", "a file without the school id keeps the known one")
    }

    @Test("a student's class and groups for the year are replaced by the file's; other years stay", arguments: Engine.all)
    func enrollments(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let moved = StudentRoster(students: [
            Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP-B", groups: ["G1"]),
        ])
        let next = SchoolYear(startYear: 2026)
        try school.database.write { db in
            try store.importRoster(moved, uai: "0579999Z", year: SchoolFixture.year, in: db)
            try store.importRoster(moved, uai: "0579999Z", year: next, in: db)
        }
        let (old, new, lea) = try school.database.read { db in
            (try store.students(inDivision: "2CAP", uai: "0579999Z", year: SchoolFixture.year, in: db).map(\.student.firstName),
             try store.students(inDivision: "2CAP-B", uai: "0579999Z", year: next, in: db).map(\.student.firstName),
             try store.student(SchoolFixture.lea, year: SchoolFixture.year, in: db).student)
        }
        #expect(old == ["Yanis", "Aya"])
        #expect(new == ["Léa"])
        #expect(lea.division == "2CAP-B" && lea.groups == ["G1"])
    }

    @Test("a file without a class column leaves every class and group as it was", arguments: Engine.all)
    func absentColumnChangesNothing(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let path = Fixtures.file("INE;Nom;Prénom\n9000000001A;MARTIN;Léa\n9000000002B;BENALI;Yanis\n", named: "sans-classe.csv")
        let roster = try StudentCSV().read(path: path)
        #expect(!roster.givesClasses && !roster.givesGroups)
        let before = try school.database.read { try store.students(inDivision: "2CAP", uai: "0579999Z", year: SchoolFixture.year, in: $0) }
        try school.database.write { db in
            _ = try store.importRoster(roster, uai: "0579999Z", year: SchoolFixture.year, in: db)
        }
        let after = try school.database.read { try store.students(inDivision: "2CAP", uai: "0579999Z", year: SchoolFixture.year, in: $0) }
        #expect(after.map(\.id) == before.map(\.id))
        #expect(after.count == 3)
    }

    @Test("a class lists its students in French order, and names are stored precomposed", arguments: Engine.all)
    func frenchOrder(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let names = ["ZOLA", "E\u{301}CHARD", "SANTOS", "SAÏDI", "N'DIAYE", "NASRI"]
        let roster = StudentRoster(students: names.enumerated().map { index, name in
            Student(ine: "91000000\(10 + index)X", lastName: name, firstName: "Élève", division: "3B")
        })
        let listed = try school.database.write { db in
            _ = try store.importRoster(roster, uai: "0579999Z", year: SchoolFixture.year, in: db)
            return try store.students(inDivision: "3B", uai: "0579999Z", year: SchoolFixture.year, in: db).map(\.student.lastName)
        }
        #expect(listed == ["ÉCHARD", "NASRI", "N'DIAYE", "SAÏDI", "SANTOS", "ZOLA"])
        #expect(listed[0].unicodeScalars.count == 6, "stored in NFC")
    }

    @Test("a student who left is out of the class list, the class report and the signals, and listed apart with the day", arguments: Engine.all)
    func leavers(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let left = StudentRoster(students: [
            Student(ine: "9000000002B", localID: "102", lastName: "BENALI", firstName: "Yanis",
                    division: "2CAP", leftOn: CalendarDate(year: 2025, month: 10, day: 15)),
        ])
        try school.database.write { db in _ = try store.importRoster(left, uai: "0579999Z", year: SchoolFixture.year, in: db) }
        try school.record(SchoolFixture.entry("A", on: SchoolFixture.day(1, 10, 2025), student: SchoolFixture.yanis))
        let (before, after, leavers, report) = try school.database.read { db in
            let division = try store.division(code: "2CAP", schoolID: store.schoolID(uai: "0579999Z", in: db), year: SchoolFixture.year, in: db)
            var builder = ExportBuilder(today: CalendarDate(year: 2025, month: 11, day: 30)!)
            let report = try builder.classReport(division: "2CAP", uai: "0579999Z", target: ReferentialStore().target(code: "CAP-EPC", in: db),
                                                 period: Period.named("T1", in: SchoolFixture.year)!, in: db)
            return (try store.students(in: division, asOf: CalendarDate(year: 2025, month: 10, day: 1)!, in: db).map(\.student.firstName),
                    try store.students(in: division, asOf: CalendarDate(year: 2025, month: 11, day: 1)!, in: db).map(\.student.firstName),
                    try store.leavers(in: division, asOf: CalendarDate(year: 2025, month: 11, day: 1)!, in: db).map(\.student.firstName),
                    report)
        }
        #expect(before == ["Yanis", "Aya", "Léa"])
        #expect(after == ["Aya", "Léa"])
        #expect(leavers == ["Yanis"])
        #expect(!report.students.contains { $0.name.contains("BENALI") })
        #expect(!report.quiet.contains { $0.name.contains("BENALI") })
        #expect(report.leavers.map(\.name) == ["BENALI Yanis"] && report.leavers.first?.leftOn == CalendarDate(year: 2025, month: 10, day: 15))
        #expect(try school.count("evaluation") == 1, "the history stays")
    }

    @Test("students missing from a new file are kept and counted", arguments: Engine.all)
    func absentKept(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let partial = StudentRoster(students: [Student(ine: "9000000001A", lastName: "MARTIN", firstName: "Léa", division: "2CAP")])
        let report = try school.database.write { db in
            try store.importRoster(partial, uai: "0579999Z", year: SchoolFixture.year, in: db)
        }
        #expect(report.absent == 2)
        #expect(try school.count("student") == 3)
    }

    @Test("an unknown class is an error that names the class and the year, and no command: the web app shows it too", arguments: Engine.all)
    func unknownDivision(engine: Engine) throws {
        let school = try SchoolFixture(engine)
        let error = try #require(throws: SchoolStoreError.self) {
            try school.database.read { try store.students(inDivision: "3B", uai: "0579999Z", year: SchoolFixture.year, in: $0) }
        }
        #expect(error.description == "aucune classe ni groupe 3B en 2025-2026")
    }
}

@Suite("School holiday calendar file")
struct HolidayCalendarFileTests {
    @Test("the shipped file reads for each zone, 2024–2028, every year with its summer, Toussaint and Christmas", arguments: Engine.all)
    func shipped(engine: Engine) throws {
        let all = HolidayCalendarFile.shipped
        for zone in HolidayCalendar.Zone.allCases {
            let calendar = all.forZone(zone)
            #expect(calendar.holidays.count == 4 * 5, "\(zone)")
            for year in 2024...2027 {
                #expect(calendar.holidays.filter { $0.start.year == year && $0.name == "Toussaint" }.count == 1)
            }
        }
        let common = all.forZone(nil)
        #expect(Set(common.holidays.map(\.name)) == ["Toussaint", "Noël", "Été"])
        #expect(common.isHoliday(CalendarDate(iso: "2026-10-20")!) && !common.isHoliday(CalendarDate(iso: "2026-11-02")!))
    }

    @Test("a line with unreadable dates is reported with its number", arguments: Engine.all)
    func badLine(engine: Engine) throws {
        let error = try #require(throws: InvalidInput.self) {
            try HolidayCalendarFile.read("annee;zone;vacances;debut;reprise;fiabilite\n2026-2027;A;Hiver;2027-02-30;2027-03-01;verifie\n")
        }
        #expect(error.diagnostics.first?.line == 2)
    }
}
