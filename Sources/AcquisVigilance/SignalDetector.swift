import AcquisCore

/// Raises a student's signals from their activity, their class's and the school's thresholds.
public struct SignalDetector: Sendable {
    public var thresholds: VigilanceThresholds
    public var today: CalendarDate
    /// The school's holidays: silence counts days of class time only.
    public var holidays: HolidayCalendar

    public init(thresholds: VigilanceThresholds, today: CalendarDate, holidays: HolidayCalendar = .none) {
        self.thresholds = thresholds
        self.today = today
        self.holidays = holidays
    }

    /// Days since `day`, holidays left out, compared with the silence threshold.
    private func silentLongerThanThreshold(since day: CalendarDate) -> Bool {
        holidays.daysOutsideHolidays(after: day, through: today) > thresholds.silenceDays
    }

    private var windowStart: CalendarDate { today.adding(days: -thresholds.windowDays) }

    /// Every signal of one student, in the order of ``Signal/Kind``.
    public func signals(of student: StudentActivity, in context: ClassContext) -> [Signal] {
        var signals: [Signal] = []
        for taught in context.referentials {
            let activity = student.referential(taught.code)
            signals += silence(activity, taught).map { [$0] } ?? []
            guard let activity else { continue }
            signals += stagnation(activity, taught).map { [$0] } ?? []
            signals += regression(activity).map { [$0] } ?? []
            signals += missedWork(activity).map { [$0] } ?? []
            signals += selfAssessment(activity)
        }
        signals += unanswered(student.pendingRequests).map { [$0] } ?? []
        let order = Signal.Kind.allCases
        return signals.enumerated().sorted {
            (order.firstIndex(of: $0.element.kind)!, $0.offset) < (order.firstIndex(of: $1.element.kind)!, $1.offset)
        }.map(\.element)
    }

    /// Silent since the threshold while the class is still evaluated in the referential.
    func silence(_ activity: ReferentialActivity?, _ taught: ClassContext.Referential) -> Signal? {
        guard !silentLongerThanThreshold(since: taught.lastEvidenceOn) else { return nil }
        let classSentence = "alors que la classe y a été évaluée le \(taught.lastEvidenceOn.french)"
        guard let last = activity?.lastEvidence else {
            // Silent since the class's first level, counted like anyone else's silence.
            guard taught.isCommon, silentLongerThanThreshold(since: taught.firstEvidenceOn) else { return nil }
            return Signal(kind: .silence, referential: taught.code,
                          reason: "Aucun niveau enregistré en \(taught.code) depuis que la classe y est évaluée "
                              + "(premier niveau le \(taught.firstEvidenceOn.french)), \(classSentence).", evidence: [])
        }
        guard silentLongerThanThreshold(since: last.on) else { return nil }
        let days = today.dayNumber - last.on.dayNumber
        let elapsed = days >= 14 ? French.counted(days / 7, "semaine") : French.counted(days, "jour")
        return Signal(kind: .silence, referential: taught.code,
                      reason: "Aucune nouvelle preuve en \(taught.code) depuis le \(last.on.french) (\(elapsed)), \(classSentence).",
                      evidence: ["Dernier niveau : \(last.competency) \(last.code) le \(last.on.french)"])
    }

    /// Evaluated in the window on competencies not acquired yet, none progressed, while half
    /// the class progressed. A student who holds acquired levels is not stagnating.
    func stagnation(_ activity: ReferentialActivity, _ taught: ClassContext.Referential) -> Signal? {
        guard !activity.notYetAcquired.isEmpty, activity.progressed.isEmpty,
              taught.medianProgress >= thresholds.classProgress
        else { return nil }
        return Signal(kind: .stagnation, referential: activity.code,
                      reason: "Aucune compétence n’a progressé en \(activity.code) depuis le \(windowStart.french) "
                          + "malgré \(French.counted(activity.evaluationsInWindow, "évaluation")) ; "
                          + "\(French.counted(activity.notYetAcquired.count, "compétence")) pas encore "
                          + "\(activity.notYetAcquired.count > 1 ? "acquises" : "acquise"), alors que la moitié "
                          + "de la classe a progressé sur \(French.counted(taught.medianProgress, "compétence")) au moins.",
                      evidence: activity.notYetAcquired.map { "\($0.competency) : \($0.code) le \($0.on.french)" })
    }

    func regression(_ activity: ReferentialActivity) -> Signal? {
        guard activity.regressed.count >= thresholds.regressedCompetencies else { return nil }
        return Signal(kind: .regression, referential: activity.code,
                      reason: "\(French.counted(activity.regressed.count, "compétence")) \(French.of(activity.code)) "
                          + "\(activity.regressed.count > 1 ? "sont" : "est") à un niveau plus bas qu’au \(windowStart.french).",
                      evidence: activity.regressed.map(Self.line))
    }

    func missedWork(_ activity: ReferentialActivity) -> Signal? {
        let missed = activity.missed.count
        guard missed >= thresholds.specialCodeMinimum,
              missed * 100 >= thresholds.specialCodePercent * activity.evaluationsInWindow
        else { return nil }
        return Signal(kind: .missedWork, referential: activity.code,
                      reason: "\(missed) évaluations sur \(activity.evaluationsInWindow) en \(activity.code) depuis le "
                          + "\(windowStart.french) sont notées absent ou non rendu "
                          + "(\(missed * 100 / max(activity.evaluationsInWindow, 1)) %).",
                      evidence: activity.missed.sorted { $0.on < $1.on }
                          .map { "\($0.competency) : \($0.label.lowercased()) le \($0.on.french)" })
    }

    func selfAssessment(_ activity: ReferentialActivity) -> [Signal] {
        let below = activity.selfGaps.filter { $0.levels < 0 }
        let above = activity.selfGaps.filter { $0.levels > 0 }
        func signal(_ gaps: [SelfAssessmentGap], _ direction: String) -> Signal? {
            guard !gaps.isEmpty else { return nil }
            return Signal(kind: .selfAssessmentGap, referential: activity.code,
                          reason: "S’estime \(direction) des enseignants sur "
                              + "\(French.counted(gaps.count, "compétence")) \(French.of(activity.code)).",
                          evidence: gaps.map {
                              "\($0.competency) \($0.title) : auto-évaluation « \($0.own.studentLabel) » le \($0.on.french), "
                                  + "enseignants « \($0.teachers.teacherLabel) »"
                          })
        }
        return [signal(below, "bien en dessous"), signal(above, "bien au-dessus")].compactMap { $0 }
    }

    func unanswered(_ requests: [PendingRequest]) -> Signal? {
        let limit = today.adding(days: -thresholds.requestDays)
        let waiting = requests.filter { $0.requestedOn < limit }.sorted { $0.requestedOn < $1.requestedOn }
        guard let oldest = waiting.first else { return nil }
        let days = today.dayNumber - oldest.requestedOn.dayNumber
        return Signal(kind: .unansweredRequest,
                      reason: waiting.count == 1
                          ? "Une demande d’évaluation attend une réponse depuis \(days) jours."
                          : "\(waiting.count) demandes d’évaluation attendent une réponse, la plus ancienne depuis \(days) jours.",
                      evidence: waiting.map { "\($0.competency) \($0.title) : demandée le \($0.requestedOn.french)" })
    }

    static func line(_ change: LevelChange) -> String {
        "\(change.competency) \(change.title) : \(change.before?.teacherLabel ?? "sans niveau") → "
            + "\(change.after.teacherLabel) (\(change.on.french))"
    }
}
