import AcquisCore
import AcquisGrading

/// What happened after an action (a follow-up, a need group): did the student move?
public struct Outcome: Hashable, Sendable {
    public var since: CalendarDate
    /// Teachers' evaluations recorded since, levels and special codes.
    public var newEvaluations = 0
    public var progressed: [LevelChange] = []
    public var regressed: [LevelChange] = []
    public var acquiredBefore = 0
    public var acquiredNow = 0

    public init(since: CalendarDate) {
        self.since = since
    }

    /// Compares each competency's level the day before `since` with its level on `today`.
    public static func measure(since: CalendarDate, competencies: [CompetencyEvidence], calculator: MasteryCalculator,
                               asOf today: CalendarDate) -> Outcome {
        var outcome = Outcome(since: since)
        for competency in competencies {
            let seen = competency.observations.filter { $0.date <= today }
            let teachers = seen.filter { $0.context != .autoEvaluation && $0.date >= since }
            outcome.newEvaluations += teachers.count
            let before = calculator.mastery(of: seen.filter { $0.date < since })
            let now = teachers.isEmpty ? before : calculator.mastery(of: seen)
            if before.isAcquired { outcome.acquiredBefore += 1 }
            if now.isAcquired { outcome.acquiredNow += 1 }
            guard let after = now.level, let rank = now.rank else { continue }
            let change = LevelChange(competency: competency.code, title: competency.title, before: before.level,
                                     after: after, on: now.counted.last?.date ?? today)
            if rank > (before.rank ?? -1) && !(before.rank == nil && rank == 0) {
                outcome.progressed.append(change)
            } else if let old = before.rank, rank < old {
                outcome.regressed.append(change)
            }
        }
        return outcome
    }

    /// Adds another referential's or student's outcome since the same day.
    public mutating func add(_ other: Outcome) {
        newEvaluations += other.newEvaluations
        progressed += other.progressed
        regressed += other.regressed
        acquiredBefore += other.acquiredBefore
        acquiredNow += other.acquiredNow
    }

    /// « Depuis le 02/03/2026 : 6 évaluations, 3 compétences en progrès, 1 en baisse ;
    /// compétences acquises : 4 → 7. »
    public var summary: String {
        guard newEvaluations > 0 else { return "Depuis le \(since.french) : aucune nouvelle évaluation pour l’instant." }
        return "Depuis le \(since.french) : \(French.counted(newEvaluations, "évaluation")), "
            + "\(French.counted(progressed.count, "compétence")) en progrès, \(regressed.count) en baisse ; "
            + "compétences acquises : \(acquiredBefore) → \(acquiredNow)."
    }
}
