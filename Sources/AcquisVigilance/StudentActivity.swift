import AcquisCore
import AcquisGrading

/// Everything recorded about one student on one competency, oldest first.
public struct CompetencyEvidence: Hashable, Sendable {
    public var code: String
    public var title: String
    /// Teachers' levels and special codes, and the student's self-evaluations, oldest first.
    public var observations: [Observation]

    public init(code: String, title: String, observations: [Observation]) {
        self.code = code
        self.title = title
        self.observations = observations
    }
}

/// A competency whose level moved in the window.
public struct LevelChange: Hashable, Sendable {
    public var competency: String
    public var title: String
    public var before: Scale.Level?
    public var after: Scale.Level
    /// The observation that made the change.
    public var on: CalendarDate
}

/// A level a teacher recorded on a competency.
public struct RecordedLevel: Hashable, Sendable {
    public var competency: String
    public var code: String
    public var on: CalendarDate
}

/// An evaluation recorded as absent or not handed in.
public struct MissedEvaluation: Hashable, Sendable {
    public var competency: String
    public var label: String
    public var on: CalendarDate
}

/// A self-evaluation far from what the teachers observed.
public struct SelfAssessmentGap: Hashable, Sendable {
    public var competency: String
    public var title: String
    public var own: Scale.Level
    public var teachers: Scale.Level
    public var on: CalendarDate
    /// Positive when the student rates themselves higher than the teachers do.
    public var levels: Int
}

/// What a student's evidence in one referential says, summed up for early warning.
public struct ReferentialActivity: Hashable, Sendable {
    public var code: String
    public var title: String
    /// The latest level a teacher recorded.
    public var lastEvidence: RecordedLevel?
    /// The day of the first level a teacher recorded.
    public var firstEvidenceOn: CalendarDate?
    public var progressed: [LevelChange] = []
    public var regressed: [LevelChange] = []
    /// Competencies evaluated in the window whose level is not acquired yet: where progress is expected.
    public var notYetAcquired: [RecordedLevel] = []
    /// Teachers' evaluations in the window, levels and special codes alike.
    public var evaluationsInWindow = 0
    public var missed: [MissedEvaluation] = []
    public var selfGaps: [SelfAssessmentGap] = []

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }

    /// Sums up a student's evidence in one referential as of `today`.
    ///
    /// The window starts `thresholds.windowDays` before `today`; levels before and after are
    /// computed with the referential's own method, so a change here is a change the student sees.
    public static func summarize(code: String, title: String, competencies: [CompetencyEvidence],
                                 calculator: MasteryCalculator, asOf today: CalendarDate,
                                 thresholds: VigilanceThresholds) -> ReferentialActivity {
        var activity = ReferentialActivity(code: code, title: title)
        let scale = calculator.policy.scale
        let windowStart = today.adding(days: -thresholds.windowDays)
        let yearStart = CalendarDate(year: SchoolYear(containing: today).startYear, month: 9, day: 1)!
        for competency in competencies {
            var seen: [Observation] = []
            var recentTeacherEvidence = false
            var latestSelf: (observation: Observation, rank: Int)?
            for observation in competency.observations where observation.date <= today {
                seen.append(observation)
                let mark = scale.mark(for: observation.code)
                if observation.context == .autoEvaluation {
                    if case let .level(_, rank)? = mark, observation.date >= yearStart { latestSelf = (observation, rank) }
                    continue
                }
                if observation.date >= windowStart {
                    recentTeacherEvidence = true
                    activity.evaluationsInWindow += 1
                }
                switch mark {
                case .level?:
                    if activity.firstEvidenceOn.map({ observation.date < $0 }) ?? true { activity.firstEvidenceOn = observation.date }
                    if activity.lastEvidence.map({ observation.date >= $0.on }) ?? true {
                        activity.lastEvidence = RecordedLevel(competency: competency.code, code: observation.code,
                                                              on: observation.date)
                    }
                case let .special(special)? where special.meaning == .absent || special.meaning == .notSubmitted:
                    if observation.date >= windowStart {
                        activity.missed.append(MissedEvaluation(competency: competency.code, label: special.label,
                                                                on: observation.date))
                    }
                default:
                    break
                }
            }
            guard recentTeacherEvidence || latestSelf != nil else { continue }
            let now = calculator.mastery(of: seen)
            if recentTeacherEvidence, let after = now.level, let rank = now.rank {
                // Observations come oldest first: those before the window are a prefix.
                let earlier = seen.prefix { $0.date < windowStart }
                let before = earlier.isEmpty ? nil : calculator.mastery(of: Array(earlier))
                let change = LevelChange(competency: competency.code, title: competency.title, before: before?.level,
                                         after: after, on: now.counted.last?.date ?? today)
                if !now.isAcquired {
                    activity.notYetAcquired.append(RecordedLevel(competency: competency.code, code: after.code,
                                                                 on: now.counted.last?.date ?? today))
                }
                if rank > (before?.rank ?? 0) {
                    activity.progressed.append(change)
                } else if let old = before?.rank, rank < old {
                    activity.regressed.append(change)
                }
            }
            if let (own, ownRank) = latestSelf, let teachers = now.level, let teacherRank = now.rank,
               abs(ownRank - teacherRank) >= thresholds.selfGapLevels {
                activity.selfGaps.append(SelfAssessmentGap(
                    competency: competency.code, title: competency.title, own: scale.levels[ownRank], teachers: teachers,
                    on: own.date, levels: ownRank - teacherRank))
            }
        }
        return activity
    }
}

/// An evaluation request the student made that nobody answered yet.
public struct PendingRequest: Hashable, Sendable {
    public var competency: String
    public var title: String
    public var requestedOn: CalendarDate

    public init(competency: String, title: String, requestedOn: CalendarDate) {
        self.competency = competency
        self.title = title
        self.requestedOn = requestedOn
    }
}

/// One student's activity across the referentials they are evaluated in.
public struct StudentActivity: Hashable, Sendable {
    public var referentials: [ReferentialActivity]
    public var pendingRequests: [PendingRequest]

    public init(referentials: [ReferentialActivity], pendingRequests: [PendingRequest] = []) {
        self.referentials = referentials
        self.pendingRequests = pendingRequests
    }

    public func referential(_ code: String) -> ReferentialActivity? {
        referentials.first { $0.code == code }
    }
}
