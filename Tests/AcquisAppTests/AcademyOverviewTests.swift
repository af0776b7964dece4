import AcquisApp
import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import Foundation
import Testing

/// The académie's overview: counts across schools, a line about fewer than five students
/// withheld, never a name, an INE or the free wording of a follow-up.
@Suite("The académie's overview")
struct AcademyOverviewTests {
    static let others = ["9100000001A": "ZÉPHIR", "9100000002B": "VALOIS", "9100000003C": "URBAIN", "9100000004D": "THÉRY"]

    /// The fixture's three students and four of a second school, all evaluated in October in
    /// CAP-EPC; two of them again in November; five followed with « Tutorat », one with an
    /// action worded freely, naming someone.
    static func académie(_ engine: Engine) async throws -> AppFixture {
        let fixture = try await AppFixture(engine)
        try fixture.database.write { db in
            _ = try SchoolStore().importRoster(StudentRoster(students: others.sorted(by: <).enumerated().map { index, student in
                Student(ine: student.key, localID: "\(index)", lastName: student.value, firstName: "Élève", division: "2NB")
            }), uai: "0881234B", year: AppFixture.year, in: db)
        }
        let students = ["9000000001A", "9000000002B", "9000000003C"] + others.keys.sorted()
        for ine in students {
            _ = try await fixture.app.evaluations.record(AppFixture.entry("A", on: 5, student: .ine(ine)), by: AppFixture.console)
        }
        for ine in students.prefix(2) {
            _ = try await fixture.app.evaluations.record(AppFixture.entry("M", on: 5, month: 11, student: .ine(ine)), by: AppFixture.console)
        }
        for ine in students.prefix(5) {
            try await fixture.app.vigilance.recordFollowUp(.ine(ine), action: "Tutorat", decidedOn: CalendarDate(year: 2026, month: 10, day: 20)!,
                                                           note: nil, by: AppFixture.console)
        }
        try await fixture.app.vigilance.recordFollowUp(.ine(students[6]), action: "Rendez-vous avec Mme Dupont",
                                                       decidedOn: CalendarDate(year: 2026, month: 10, day: 20)!, note: nil, by: AppFixture.console)
        return fixture
    }

    @Test("counts every school's students, referentials, months and follow-ups", arguments: Engine.all)
    func counts(engine: Engine) async throws {
        let fixture = try await Self.académie(engine)
        let overview = try await fixture.app.academy.overview(by: fixture.person("ien"))
        #expect(overview.schools == 2)
        #expect(overview.students == 7)
        #expect(overview.referentials == [ReferentialUse(code: "CAP-EPC", title: overview.referentials.first?.title ?? "", schools: 2,
                                                         students: 7, evaluations: 9)])
        #expect(overview.months == [MonthActivity(month: "2026-10", students: 7, evaluations: 7),
                                    MonthActivity(month: "2026-11", students: 2, evaluations: 2)])
        #expect(overview.months.map(\.isShown) == [true, false], "November concerns two students only")
        #expect(overview.followUps.map(\.action) == ["Tutorat", "Autre action"])
        #expect(overview.followUps.map(\.followUps) == [5, 1])
        #expect(overview.followUps.map(\.isShown) == [true, false])
        #expect(overview.followUps[0].studentsProgressing == 2 && overview.followUps[0].evaluationsSince == 2,
                "two of the five followed students were evaluated higher in November")
        #expect(overview.signals.count == 6 && overview.signals.allSatisfy { $0.outOf == 7 })
    }

    @Test("only inspectors, the académie's team and the console see it", arguments: ["prof", "direction", "lea", "famille"])
    func othersAreRefused(login: String) async throws {
        let fixture = try await AppFixture(.sqlite)
        await #expect(throws: AccessRefusal.role) { try await fixture.app.academy.overview(by: fixture.person(login)) }
    }

    @Test("a follow-up worded freely counts as « Autre action »; usual wordings match whatever their case or accents")
    func actions() {
        #expect(FollowUpEffect.action(of: " tutorat ", usual: FollowUp.usualActions) == "Tutorat")
        #expect(FollowUpEffect.action(of: "equipe educative", usual: FollowUp.usualActions) == "Équipe éducative")
        #expect(FollowUpEffect.action(of: "Appel à M. Martin", usual: FollowUp.usualActions) == FollowUpEffect.other)
        #expect(MonthActivity(month: "2026-02", students: 0, evaluations: 0).label == "février 2026")
        #expect(SignalShare(signal: "s", students: 1, outOf: 3).percent == 33)
        #expect(!AcademyOverview.isShown(students: 4) && AcademyOverview.isShown(students: 5))
    }
}
