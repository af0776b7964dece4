import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisTestSupport
import Foundation
import Testing

@Suite("PFMP: a workplace tutor observes through a link, a teacher confirms what counts")
struct PFMPTests {
    typealias F = AppFixture

    static func draft(student: StudentReference = F.lea, from start: CalendarDate = CalendarDate(year: 2026, month: 11, day: 16)!,
                      to end: CalendarDate = CalendarDate(year: 2026, month: 12, day: 11)!) -> PFMPDraft {
        PFMPDraft(student: student, company: "Boutique Dupont", tutorName: "Mme Dupont", tutorEmail: "dupont@boutique.example",
                  startsOn: start, endsOn: end, referential: "CAP-EPC", competencies: ["B1.2", "B3.2"])
    }

    @Test("a teacher creates a PFMP; its tutor sees only the student's first name, the company and the competencies, and records", arguments: Engine.all)
    func tutorRecords(engine: Engine) async throws {
        let school = try await F(engine)
        let (period, token) = try await school.app.pfmp.create(Self.draft(), by: school.person("prof"))
        #expect(period.company == "Boutique Dupont" && period.competencies.map(\.code) == ["B1.2", "B3.2"])
        #expect(token.count >= 43, "256 random bits")
        let view = try await school.app.pfmp.tutorView(token: token)
        #expect(view.studentFirstName == "Léa" && view.studentLastInitial == "M.")
        #expect(view.scale.levels.count >= 3)
        try await school.app.pfmp.tutorRecord(token: token, levels: ["B1.2": "A", "B3.2": "EC"], appreciation: "  Léa accueille bien les clients.  ")
        let after = try await school.app.pfmp.tutorView(token: token)
        #expect(after.observations.map(\.code) == ["A", "EC"])
        #expect(after.observations.allSatisfy { $0.status == .pending && $0.observedOn == F.today })
        #expect(after.period.appreciation == "Léa accueille bien les clients.")
        // Nothing counts before a teacher confirms: no evaluation, no level.
        let evidence = try await school.app.students.evidence(studentID: try await school.studentID(), limit: 10, by: school.person("prof"))
        #expect(evidence.evidence.isEmpty)
    }

    @Test("a teacher confirms an observation: it becomes evidence in PFMP by the tutor; one set aside counts for nothing", arguments: Engine.all)
    func teacherConfirms(engine: Engine) async throws {
        let school = try await F(engine)
        let (period, token) = try await school.app.pfmp.create(Self.draft(), by: school.person("prof"))
        try await school.app.pfmp.tutorRecord(token: token, levels: ["B1.2": "A", "B3.2": "EC"], appreciation: nil)
        let observations = try #require(try await school.app.pfmp.periods(studentID: period.studentID, by: school.person("prof")).first).observations
        try await school.app.pfmp.decide(observation: observations[0].id, confirm: true, by: school.person("prof"))
        try await school.app.pfmp.decide(observation: observations[1].id, confirm: false, by: school.person("prof"))
        let evidence = try await school.app.students.evidence(studentID: period.studentID, limit: 10, by: school.person("prof")).evidence
        #expect(evidence.map(\.evaluation.competencyCode) == ["B1.2"])
        let observation = try #require(evidence.first?.evaluation.observation)
        #expect(observation.context == .pfmp(company: "Boutique Dupont", tutor: "Mme Dupont") && observation.evaluator == "Mme Dupont")
        let decided = try #require(try await school.app.pfmp.periods(studentID: period.studentID, by: school.person("prof")).first).observations
        #expect(decided.map(\.status) == [.confirmed, .setAside])
        // A decision is made once.
        await #expect(throws: AccessRefusal.self) { try await school.app.pfmp.decide(observation: observations[0].id, confirm: true, by: school.person("prof")) }
    }

    @Test("a forged, revoked or expired link opens nothing, with the same answer", arguments: Engine.all)
    func closedLinks(engine: Engine) async throws {
        let school = try await F(engine)
        let (period, token) = try await school.app.pfmp.create(Self.draft(), by: school.person("prof"))
        await #expect(throws: PFMPError.linkClosed) { try await school.app.pfmp.tutorView(token: "forged-" + token.dropFirst(7)) }
        await #expect(throws: PFMPError.linkClosed) { try await school.app.pfmp.tutorView(token: "") }
        // The period ends on 11 December: the link opens until 26 December, not after.
        let lastDay = App(storage: school.database.storage, today: CalendarDate(year: 2026, month: 12, day: 26)!)
        _ = try await lastDay.pfmp.tutorView(token: token)
        let later = App(storage: school.database.storage, today: CalendarDate(year: 2026, month: 12, day: 27)!)
        await #expect(throws: PFMPError.linkClosed) { try await later.pfmp.tutorView(token: token) }
        await #expect(throws: PFMPError.linkClosed) { try await later.pfmp.tutorRecord(token: token, levels: ["B1.2": "A"], appreciation: nil) }
        try await school.app.pfmp.revoke(period.id, by: school.person("prof"))
        await #expect(throws: PFMPError.linkClosed) { try await school.app.pfmp.tutorView(token: token) }
        await #expect(throws: PFMPError.linkClosed) { try await school.app.pfmp.tutorRecord(token: token, levels: ["B1.2": "A"], appreciation: nil) }
    }

    @Test("a tutor records only the competencies asked, in the scale's levels, from the first day", arguments: Engine.all)
    func tutorLimits(engine: Engine) async throws {
        let school = try await F(engine)
        let (_, token) = try await school.app.pfmp.create(Self.draft(), by: school.person("prof"))
        await #expect(throws: PFMPError.notObserved("B1.1")) { try await school.app.pfmp.tutorRecord(token: token, levels: ["B1.1": "A"], appreciation: nil) }
        await #expect(throws: PFMPError.notObserved("Z")) { try await school.app.pfmp.tutorRecord(token: token, levels: ["B1.2": "Z"], appreciation: nil) }
        await #expect(throws: PFMPError.self) {
            try await school.app.pfmp.tutorRecord(token: token, levels: [:], appreciation: String(repeating: "a", count: 2_001))
        }
        let (_, future) = try await school.app.pfmp.create(Self.draft(from: CalendarDate(year: 2027, month: 1, day: 4)!,
                                                                       to: CalendarDate(year: 2027, month: 1, day: 29)!), by: school.person("prof"))
        await #expect(throws: PFMPError.notStarted(CalendarDate(year: 2027, month: 1, day: 4)!)) {
            try await school.app.pfmp.tutorRecord(token: future, levels: ["B1.2": "A"], appreciation: nil)
        }
        #expect(try await school.app.pfmp.tutorView(token: token).observations.isEmpty, "nothing refused is kept")
    }

    @Test("only a teacher who follows the student creates, reads and revokes; descriptions are checked", arguments: Engine.all)
    func teacherSide(engine: Engine) async throws {
        let school = try await F(engine)
        for login in ["lea", "famille"] {
            await #expect(throws: AccessRefusal.role) { try await school.app.pfmp.create(Self.draft(), by: school.person(login)) }
        }
        await #expect(throws: AccessRefusal.student) { try await school.app.pfmp.create(Self.draft(), by: school.person("autre")) }
        var draft = Self.draft()
        draft.tutorEmail = "dupont at boutique"
        await #expect(throws: PFMPError.email("dupont at boutique")) { try await school.app.pfmp.create(draft, by: school.person("prof")) }
        await #expect(throws: PFMPError.dates(CalendarDate(year: 2026, month: 12, day: 11)!, CalendarDate(year: 2026, month: 11, day: 16)!)) {
            try await school.app.pfmp.create(Self.draft(from: CalendarDate(year: 2026, month: 12, day: 11)!, to: CalendarDate(year: 2026, month: 11, day: 16)!),
                                             by: school.person("prof"))
        }
        draft = Self.draft()
        draft.competencies = ["Z9"]
        await #expect(throws: EvaluationError.self) { try await school.app.pfmp.create(draft, by: school.person("prof")) }
        let (period, _) = try await school.app.pfmp.create(Self.draft(), by: school.person("prof"))
        await #expect(throws: AccessRefusal.student) { try await school.app.pfmp.revoke(period.id, by: school.person("autre")) }
        await #expect(throws: AccessRefusal.student) { try await school.app.pfmp.periods(studentID: period.studentID, by: school.person("autre")) }
        #expect(try await school.app.pfmp.periods(studentID: period.studentID, by: school.person("direction")).count == 1)
    }
}
