import AcquisCore
import AcquisGrading
import AcquisVigilance
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

private let calculator = MasteryCalculator(policy: MasteryPolicy(scale: .socle2015, method: .mostRecent))
private let today = day("2026-11-20")

/// One competency's evidence from `(iso date, code)` pairs, teachers' unless marked `auto`.
private func competency(_ code: String, _ seen: [(String, String)], auto: [(String, String)] = []) -> CompetencyEvidence {
    let observations = seen.map { Observation(date: day($0.0), code: $0.1) }
        + auto.map { Observation(date: day($0.0), code: $0.1, context: .autoEvaluation) }
    return CompetencyEvidence(code: code, title: "Compétence \(code)", observations: observations.sorted { $0.date < $1.date })
}

private func activity(_ competencies: [CompetencyEvidence], requests: [PendingRequest] = [],
                      thresholds: VigilanceThresholds = .default) -> StudentActivity {
    StudentActivity(referentials: [ReferentialActivity.summarize(
        code: "SOCLE", title: "Socle", competencies: competencies, calculator: calculator, asOf: today,
        thresholds: thresholds)], pendingRequests: requests)
}

/// A classmate who progresses on two competencies in the window.
private let progressing = activity([
    competency("D1", [("2026-09-10", "MI"), ("2026-11-02", "MS")]),
    competency("D2", [("2026-09-10", "MF"), ("2026-11-12", "TBM")]),
])

private func signals(_ student: StudentActivity, classmates: [StudentActivity] = [progressing, progressing],
                     thresholds: VigilanceThresholds = .default) -> [Signal] {
    SignalDetector(thresholds: thresholds, today: today).signals(of: student, in: ClassContext(classmates + [student]))
}

@Suite("Signals: each raised from evidence, said in words, with its threshold")
struct SignalTests {
    @Test("no level since February while the class is still evaluated: silence, with the last level and the weeks")
    func silence() throws {
        let silent = activity([competency("D1", [("2026-01-12", "MF"), ("2026-02-13", "MS")])])
        let signal = try #require(signals(silent).first)
        #expect(signal.kind == .silence)
        #expect(signal.reason == "Aucune nouvelle preuve en SOCLE depuis le 13/02/2026 (40 semaines), "
            + "alors que la classe y a été évaluée le 12/11/2026.")
        #expect(signal.evidence == ["Dernier niveau : D1 MS le 13/02/2026"])
    }

    @Test("never evaluated in the referential most of the class follows: signalled; in one a few follow: not")
    func neverEvaluated() throws {
        let newcomer = StudentActivity(referentials: [])
        let signal = try #require(signals(newcomer).first)
        #expect(signal.reason == "Aucun niveau enregistré en SOCLE depuis que la classe y est évaluée (premier niveau le "
            + "10/09/2026), alors que la classe y a été évaluée le 12/11/2026.")
        #expect(signals(newcomer, classmates: [progressing, newcomer, newcomer]).isEmpty)
    }

    @Test("a student without a level is not silent on the day the class gets its first levels, only after the threshold")
    func silenceCountsFromTheClassStart() {
        let newcomer = StudentActivity(referentials: [])
        let firstDay = activity([competency("D1", [("2026-11-20", "MF")])])
        #expect(signals(newcomer, classmates: [firstDay, firstDay]).isEmpty)
        let startedLately = activity([competency("D1", [("2026-10-30", "MF"), ("2026-11-19", "MS")])])
        #expect(signals(newcomer, classmates: [startedLately, startedLately]).isEmpty, "21 days < 28")
        let startedLongAgo = activity([competency("D1", [("2026-10-01", "MF"), ("2026-11-19", "MS")])])
        #expect(signals(newcomer, classmates: [startedLongAgo, startedLongAgo]).map(\.kind) == [.silence])
    }

    @Test("a silent class is between two sequences: nobody is signalled")
    func silentClass() {
        let old = activity([competency("D1", [("2026-02-13", "MS")])])
        #expect(signals(old, classmates: [old]).isEmpty)
    }

    @Test("new evidence after a silence: the student leaves the list")
    func recovery() {
        let back = activity([competency("D1", [("2026-02-13", "MS"), ("2026-11-16", "MS")])])
        #expect(!signals(back).contains { $0.kind == .silence })
    }

    @Test("the silence threshold is the school's: 300 days lets February pass")
    func silenceThreshold() {
        var thresholds = VigilanceThresholds.default
        thresholds.silenceDays = 300
        let silent = activity([competency("D1", [("2026-02-13", "MS")])], thresholds: thresholds)
        #expect(signals(silent, thresholds: thresholds).isEmpty)
    }

    @Test("evaluated but nothing progressed while half the class progressed on two competencies: stagnation")
    func stagnation() throws {
        let stuck = activity([competency("D1", [("2026-09-10", "MF"), ("2026-10-20", "MF"), ("2026-11-10", "MF")])])
        let signal = try #require(signals(stuck).first { $0.kind == .stagnation })
        #expect(signal.reason == "Aucune compétence n’a progressé en SOCLE depuis le 09/10/2026 malgré 2 évaluations ; "
            + "1 compétence pas encore acquise, alors que la moitié de la classe a progressé sur 2 compétences au moins.")
        #expect(signal.evidence == ["D1 : MF le 10/11/2026"])
    }

    @Test("a student who holds acquired levels while the class progresses is not stagnating")
    func holdingAcquired() {
        let steady = activity([competency("D1", [("2026-09-10", "MS"), ("2026-10-20", "MS"), ("2026-11-10", "MS")])])
        #expect(signals(steady).isEmpty)
    }

    @Test("levels down on two competencies in the window: regression, each with before and after")
    func regression() throws {
        let down = activity([
            competency("D1", [("2026-09-10", "MS"), ("2026-11-02", "MF")]),
            competency("D2", [("2026-09-12", "TBM"), ("2026-11-03", "MS")]),
        ])
        let signal = try #require(signals(down).first { $0.kind == .regression })
        #expect(signal.reason == "2 compétences de SOCLE sont à un niveau plus bas qu’au 09/10/2026.")
        #expect(signal.evidence.first == "D1 Compétence D1 : Maîtrise satisfaisante → Maîtrise fragile (02/11/2026)")
    }

    @Test("one competency down stays below the default threshold of two")
    func oneRegression() {
        let down = activity([competency("D1", [("2026-09-10", "MS"), ("2026-11-02", "MF")])])
        #expect(!signals(down).contains { $0.kind == .regression })
    }

    @Test("3 absences or missing work out of 5 evaluations: signalled with the share and each date")
    func missedWork() throws {
        let absent = activity([competency("D1", [("2026-10-12", "ABS"), ("2026-10-19", "NR"), ("2026-10-26", "ABS"),
                                                 ("2026-11-02", "MF"), ("2026-11-09", "MS")])])
        let signal = try #require(signals(absent).first { $0.kind == .missedWork })
        #expect(signal.reason == "3 évaluations sur 5 en SOCLE depuis le 09/10/2026 sont notées absent ou non rendu (60 %).")
        #expect(signal.evidence == ["D1 : absent le 12/10/2026", "D1 : non rendu le 19/10/2026", "D1 : absent le 26/10/2026"])
    }

    @Test("a dispensed student is not absent")
    func dispensed() {
        let dispensed = activity([competency("D1", [("2026-10-12", "DI"), ("2026-10-19", "DI"), ("2026-10-26", "DI"),
                                                    ("2026-11-09", "MS")])])
        #expect(!signals(dispensed).contains { $0.kind == .missedWork })
    }

    @Test("requests waiting more than 14 days, the oldest named first")
    func unansweredRequests() throws {
        let waiting = activity([competency("D1", [("2026-11-10", "MS")])], requests: [
            PendingRequest(competency: "D2", title: "Comprendre", requestedOn: day("2026-10-01")),
            PendingRequest(competency: "D3", title: "Écrire", requestedOn: day("2026-11-15")),
        ])
        let signal = try #require(signals(waiting).first { $0.kind == .unansweredRequest })
        #expect(signal.reason == "Une demande d’évaluation attend une réponse depuis 50 jours.")
        #expect(signal.evidence == ["D2 Comprendre : demandée le 01/10/2026"])
    }

    @Test("a self-evaluation two levels below the teachers' level: the gap and its direction")
    func selfAssessment() throws {
        let modest = activity([competency("D1", [("2026-11-02", "TBM")], auto: [("2026-11-05", "MF")])])
        let signal = try #require(signals(modest).first { $0.kind == .selfAssessmentGap })
        #expect(signal.reason == "S’estime bien en dessous des enseignants sur 1 compétence de SOCLE.")
        #expect(signal.evidence == ["D1 Compétence D1 : auto-évaluation « Je progresse » le 05/11/2026, "
            + "enseignants « Très bonne maîtrise »"])
    }

    @Test("thresholds refuse unknown names and absurd values, with what is allowed")
    func thresholds() {
        var thresholds = VigilanceThresholds.default
        #expect(throws: VigilanceError.thresholdOutOfRange("specialCodePercent", 0, 1...100)) {
            try thresholds.set("specialCodePercent", to: 0)
        }
        #expect(throws: VigilanceError.self) { try thresholds.set("silence", to: 10) }
        #expect(throws: Never.self) { try thresholds.set("silenceDays", to: 21) }
        #expect(thresholds.silenceDays == 21)
    }
}

@Suite("Need groups: suggested from the median level, explained")
struct NeedGroupTests {
    func mastery(_ code: String) -> Mastery { calculator.mastery(of: [Observation(date: today, code: code)]) }

    @Test("median below fragile → remédiation, fragile → consolidation, satisfying or better → approfondissement")
    func placements() {
        let suggester = NeedGroupSuggester(scale: .socle2015)
        let placements = suggester.suggest([
            (student: 1, masteries: ["D1": mastery("MI"), "D2": mastery("MI"), "D3": mastery("MS")]),
            (student: 2, masteries: ["D1": mastery("MF"), "D2": mastery("MS"), "D3": mastery("MI")]),
            (student: 3, masteries: ["D1": mastery("TBM"), "D2": mastery("MS")]),
            (student: 4, masteries: [:]),
        ], competencies: ["D1", "D2", "D3"])
        #expect(placements.map(\.group) == [.remediation, .consolidation, .deepening, nil])
        #expect(placements[2].reason == "Niveau médian « Maîtrise satisfaisante » (D1 TBM, D2 MS) ; 1 compétence sans niveau.")
        #expect(placements[3].reason == "Pas encore de niveau sur ces compétences : à évaluer d’abord.")
    }

    @Test("group names read with or without accents")
    func names() {
        #expect(NeedGroup(name: "Remédiation") == .remediation)
        #expect(NeedGroup(name: "approfondissement") == .deepening)
        #expect(NeedGroup(name: "autre") == nil)
    }
}

@Suite("Outcome: what happened after an action")
struct OutcomeTests {
    @Test("levels before the action day against levels today, and the evaluations since")
    func outcome() {
        let outcome = Outcome.measure(since: day("2026-10-01"), competencies: [
            competency("D1", [("2026-09-10", "MF"), ("2026-10-20", "MS")]),
            competency("D2", [("2026-09-10", "MS"), ("2026-11-02", "MF")]),
            competency("D3", [("2026-09-15", "MS")]),
        ], calculator: calculator, asOf: today)
        #expect(outcome.newEvaluations == 2)
        #expect(outcome.progressed.map(\.competency) == ["D1"])
        #expect(outcome.regressed.map(\.competency) == ["D2"])
        #expect((outcome.acquiredBefore, outcome.acquiredNow) == (2, 2))
        #expect(outcome.summary == "Depuis le 01/10/2026 : 2 évaluations, 1 compétence en progrès, 1 en baisse ; "
            + "compétences acquises : 2 → 2.")
    }
}

@Suite("Silence counts days of class, holidays left out")
struct HolidayTests {
    /// Toussaint 2026 (17 October to 2 November), common to every zone.
    static let toussaint = HolidayCalendar(holidays: [
        .init(name: "Toussaint", zone: nil, start: day("2026-10-17"), resumption: day("2026-11-02"), isVerified: false),
        .init(name: "Hiver", zone: .b, start: day("2027-02-20"), resumption: day("2027-03-08"), isVerified: false),
    ])

    @Test("a zone keeps its own holidays and those every zone shares")
    func zones() {
        #expect(Self.toussaint.forZone(.b).holidays.count == 2)
        #expect(Self.toussaint.forZone(.a).holidays.map(\.name) == ["Toussaint"])
        #expect(Self.toussaint.forZone(nil).isHoliday(day("2026-10-20")) && !Self.toussaint.isHoliday(day("2026-11-02")))
    }

    @Test("28 days across the Toussaint break alone never raise « Plus de nouvelle preuve »; the same silence in class time does")
    func toussaint() throws {
        let calendar = Self.toussaint.forZone(.b)
        #expect(calendar.daysOutsideHolidays(after: day("2026-10-12"), through: day("2026-11-20")) == 39 - 16)
        let quiet = activity([competency("D1", [("2026-09-14", "MF"), ("2026-10-12", "MS")])])
        let asOf = day("2026-11-20")
        func signals(_ holidays: HolidayCalendar) -> [Signal] {
            SignalDetector(thresholds: .default, today: asOf, holidays: holidays)
                .signals(of: quiet, in: ClassContext([progressing, progressing, quiet]))
        }
        #expect(signals(.none).map(\.kind) == [.silence], "39 calendar days")
        #expect(signals(calendar).isEmpty, "23 days of class")
        let longer = activity([competency("D1", [("2026-09-14", "MF"), ("2026-10-02", "MS")])])
        #expect(SignalDetector(thresholds: .default, today: asOf, holidays: calendar)
            .signals(of: longer, in: ClassContext([progressing, progressing, longer])).map(\.kind) == [.silence], "33 days of class")
    }
}
