import AcquisCore
import AcquisDemoSupport
import AcquisExport
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import AcquisVigilance
import Foundation
import GRDB
import Testing

/// Scenarios on the demo school of `Samples/`, on the last day of its evidence.
@Suite("Vigilance on the demo school")
struct VigilanceScenarioTests {
    static let today = CalendarDate(iso: "2026-11-20")!
    static let year = SchoolYear(startYear: 2026)
    /// 3e A's HOARAU Hugo: his evidence stops on 14 February 2026 (Samples/tools/college.py).
    static let hugo = "9100000005E"

    private func list(_ code: String, _ school: DemoCopy, asOf: CalendarDate = today) async throws -> [VigilanceEntry] {
        try await school.database.writer.read { db in
            let division = try SchoolStore().division(code: code, schoolID: SchoolStore().schoolID(uai: SchoolStore().soleSchoolUAI(in: db), in: db),
                                                         year: Self.year, in: db)
            return try VigilanceStore().list(for: division, asOf: asOf, in: db)
        }
    }

    private func record(_ code: String, on day: String, competency: String = "D2.1", _ school: DemoCopy) async throws {
        try await school.database.writer.write { db in
            try EvaluationStore().record(EvaluationEntry(student: .ine(Self.hugo), referentialCode: "SOCLE-2015",
                                                         competencyCode: competency, code: code,
                                                         observedOn: CalendarDate(iso: day)!, evaluator: "kbenali"),
                                         recordedBy: "kbenali", in: db)
        }
    }

    @Test("a student whose evidence stops in February is on 3A's list, with that reason and his last level")
    func silentSinceFebruary() async throws {
        let entries = try await list("3A", try await DemoDatabase.copy())
        let hugo = try #require(entries.first { $0.student.student.ine == Self.hugo })
        let silence = try #require(hugo.signals.first)
        #expect(silence.kind == .silence)
        #expect(silence.reason.hasPrefix("Aucune nouvelle preuve en SOCLE-2015 depuis le 09/02/2026 (40 semaines)"))
        #expect(silence.evidence == ["Dernier niveau : D3.2 MF le 09/02/2026"])
        // The list is a list of students to look at, not the whole class.
        #expect(entries.filter { !$0.signals.isEmpty }.count < entries.count / 2)
    }

    @Test("a student who recovers leaves the list: new evidence ends the silence")
    func recovery() async throws {
        let school = try await DemoDatabase.copy()
        try await record("MF", on: "2026-11-19", school)
        let hugo = try #require(try await list("3A", school).first { $0.student.student.ine == Self.hugo })
        #expect(hugo.signals.isEmpty)
    }

    @Test("as of a day means as of that day: follow-ups decided later and requests made later are not shown yet")
    func asOfTheDay() async throws {
        let school = try await DemoDatabase.copy()
        let before = try await list("3A", school, asOf: CalendarDate(iso: "2026-03-01")!)
        #expect(before.first { $0.student.student.ine == Self.hugo }?.lastFollowUp == nil, "the follow-up of 2 March came later")
        let after = try await list("3A", school, asOf: CalendarDate(iso: "2026-03-05")!)
        #expect(after.first { $0.student.student.ine == Self.hugo }?.lastFollowUp?.action == "Entretien avec l’élève")
        let lea = try await school.studentID("9000000001A")
        try await school.database.writer.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            let id = try RequestStore().request(studentID: lea, target: target, competency: "B1.1", message: nil, in: db)
            try db.execute(sql: "UPDATE evaluationRequest SET requestedAt = ? WHERE id = ?",
                           arguments: [Date(timeIntervalSince1970: 1_760_000_000), id]) // 9 October 2025
            try RequestStore().answer(id, status: .accepted, answer: nil, by: "t-lycee", in: db)
        }
        let (then, now) = try await school.database.writer.read { db in
            (try VigilanceStore().activities(studentIDs: [lea], asOf: CalendarDate(iso: "2026-06-01")!, thresholds: .default, in: db),
             try VigilanceStore().activities(studentIDs: [lea], asOf: .today, thresholds: .default, in: db))
        }
        #expect(then[lea]?.pendingRequests.contains { $0.competency == "B1.1" } == true, "still open on 1 June, answered since")
        #expect(now[lea]?.pendingRequests.contains { $0.competency == "B1.1" } == false)
    }

    @Test("--au in an earlier school year finds that year's classes without --annee")
    func earlierYear() throws {
        let acquis = AcquisBinary()
        let students = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        #expect(try acquis("eleves", "import", students, "--annee", "2025").status == 0)
        let run = try acquis("vigilance", "classe", "3A", "--au", "20/03/2026")
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("3A — vigilance au 20/03/2026"))
    }

    @Test("the list as of last March already showed the silence; thresholds are the school's")
    func asOfAndThresholds() async throws {
        let school = try await DemoDatabase.copy()
        let march = try await list("3A", school, asOf: CalendarDate(iso: "2026-03-20")!)
        #expect(march.first { $0.student.student.ine == Self.hugo }?.signals.map(\.kind) == [.silence])
        try await school.database.writer.write { db in
            try VigilanceStore().setThreshold("silenceDays", to: 365, schoolID: SchoolStore().schoolID(uai: SchoolStore().soleSchoolUAI(in: db), in: db), in: db)
        }
        let lenient = try await list("3A", school)
        #expect(lenient.first { $0.student.student.ine == Self.hugo }?.signals.isEmpty == true)
    }

    @Test("follow-ups are history; what happened since each is measured from the evidence")
    func followUpOutcome() async throws {
        let school = try await DemoDatabase.copy()
        let id = try await school.studentID(Self.hugo)
        try await school.database.writer.write { db in
            try FollowUpStore().record(studentID: id, action: "Entretien avec l’élève", decidedOn: CalendarDate(iso: "2026-11-02")!,
                                       note: "Reprise progressive", author: "kbenali", today: Self.today, in: db)
            try FollowUpStore().record(studentID: id, action: "Contact avec la famille", decidedOn: CalendarDate(iso: "2026-11-16")!,
                                       note: nil, author: "kbenali", today: Self.today, in: db)
        }
        try await record("MS", on: "2026-11-18", competency: "D2.4", school)
        let (history, outcome, latest) = try await school.database.writer.read { db in
            (try FollowUpStore().followUps(studentID: id, in: db),
             try FollowUpStore().outcomes(studentID: id, since: [CalendarDate(iso: "2026-11-02")!], asOf: Self.today, in: db)[0],
             try FollowUpStore().latest(studentIDs: [id], in: db))
        }
        // The demo school already holds a follow-up of 2 March 2026.
        #expect(history.map(\.action) == ["Contact avec la famille", "Entretien avec l’élève", "Entretien avec l’élève"])
        #expect(history.map(\.decidedOn.iso) == ["2026-11-16", "2026-11-02", "2026-03-02"])
        #expect(latest[id]?.action == "Contact avec la famille")
        #expect(outcome.newEvaluations == 1)
        #expect(outcome.progressed.map(\.competency) == ["D2.4"])
        #expect(outcome.summary.hasPrefix("Depuis le 02/11/2026 : 1 évaluation, 1 compétence en progrès"))
        await #expect(throws: FollowUpError.emptyAction) {
            try await school.database.writer.write { db in
                try FollowUpStore().record(studentID: id, action: "  ", decidedOn: Self.today, note: nil, author: "x",
                                           today: Self.today, in: db)
            }
        }
    }

    @Test("a teacher-tutor's list holds the tutees, each measured against their own class")
    func tutorList() async throws {
        let school = try await DemoDatabase.copy()
        let (entries, tutoring) = try await school.database.writer.write { db in
            let hugo = try SchoolStore().student(.ine(Self.hugo), in: db).id
            try TutoringStore().assignTutor(studentID: hugo, teacherLogin: "enseignant", year: Self.year, since: Self.today, in: db)
            let sponsor = try SchoolStore().student(.ine("9000000001A"), in: db).id
            let tutor = try #require(try AccountStore().teacher(login: "enseignant", in: db))
            return (try VigilanceStore().list(forTutor: tutor.id, schoolID: tutor.schoolId, year: Self.year, asOf: Self.today, in: db),
                    try (sponsor, TutoringStore().tutoring(of: hugo, year: Self.year, in: db)))
        }
        #expect(entries.map(\.student.student.ine) == [Self.hugo])
        #expect(entries.first?.signals.first?.kind == .silence)
        #expect(tutoring.1.teacher?.login == "enseignant")
    }

    @Test("need groups: suggested from levels, edited by the teacher, saved per period, exported")
    func needGroups() async throws {
        let school = try await DemoDatabase.copy()
        let (saved, suggestion, outcomes) = try await school.database.writer.write { db in
            let division = try SchoolStore().division(code: "3A", schoolID: SchoolStore().schoolID(uai: SchoolStore().soleSchoolUAI(in: db), in: db),
                                                         year: Self.year, in: db)
            let target = try ReferentialStore().target(code: "SOCLE-2015", in: db)
            var set = try NeedGroupStore().suggest(division: division, target: target, competencies: ["D2.1", "D2.2", "D3.1"],
                                                   period: .named("T1", in: Self.year)!, asOf: Self.today, in: db)
            let suggestion = set
            let moved = set.members.firstIndex { $0.group != .remediation }!
            set.members[moved].group = .remediation
            let id = try NeedGroupStore().save(set, division: division, by: "t-college", in: db)
            return (try NeedGroupStore().set(id: id, year: Self.year, in: db), suggestion,
                    try NeedGroupStore().outcomes(of: set, asOf: Self.today, in: db))
        }
        #expect(suggestion.members.count == 24)
        #expect(suggestion.members.allSatisfy { $0.group == $0.suggested && !$0.reason.isEmpty })
        #expect(Set(suggestion.members.compactMap(\.group)).count >= 2)
        #expect(saved.members.filter { $0.group != $0.suggested }.count == 1)
        #expect(saved.period.code == "T1" && saved.savedBy == "t-college")
        #expect(!outcomes.isEmpty)
        let sheet = saved.sheet(titles: [:], status: "enregistré")
        let csv = CSVExport.needGroups(sheet)
        #expect(csv.contains("Groupe;Élève;Pourquoi;Groupe suggéré"))
        #expect(csv.components(separatedBy: "\r\n").filter { $0.hasPrefix("Remédiation;") }.count
            == saved.members(of: .remediation).count)
        #expect(PDFExport.needGroups(sheet).bytes.starts(with: Array("%PDF".utf8)))
    }

    @Test("acquis vigilance classe prints each student to follow with the reasons; the view of each is logged")
    func command() async throws {
        let school = try await DemoDatabase.copy()
        let path = school.path
        let run = try AcquisBinary()(["vigilance", "classe", "3A", "--au", "20/11/2026", "--annee", "2026", "--db", path])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("HOARAU Hugo (3A)\n  • Plus de nouvelle preuve : Aucune nouvelle preuve en SOCLE-2015 depuis le 09/02/2026"))
        let views = try await school.database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT s.ine FROM sensitiveView v JOIN student s ON s.id = v.studentId
                WHERE v.subject = 'signaux' AND v.division = '3A'
                """)
        }
        // The students printed, those with signals; the others showed nothing.
        #expect(views.contains(Self.hugo))
        #expect(run.output.contains("24 élèves, \(views.count) avec au moins un signal"))
        let groups = try AcquisBinary()(["groupes", "suggerer", "3A", "--referentiel", "SOCLE-2015", "--competences", "D2.1,D2.2",
                                         "--periode", "T1", "--annee", "2026", "--au", "20/11/2026", "--format", "csv", "--db", path])
        #expect(groups.status == 0, "\(groups.errors)")
        #expect(groups.output.contains("Compétences;D2.1 "))
        let unknown = try AcquisBinary()(["groupes", "suggerer", "3A", "--referentiel", "SOCLE-2015", "--competences", "D9.9",
                                          "--annee", "2026", "--db", path])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("D9.9 : pas de compétence évaluable de ce code dans SOCLE-2015"))
    }
}
