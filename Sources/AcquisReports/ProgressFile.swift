import AcquisCore
import AcquisGrading
import Foundation

/// What a student and their family take away for a period: where they stand on each
/// competency and why, what moved since the previous period, the badges earned, their own
/// view beside the teachers', the teacher's synthesis and the next goals.
///
/// It holds one student's data only, and no identifier but their name, class and INE.
public struct ProgressFile: Sendable {
    public var generatedAt: Date
    public var school: SchoolIdentity
    public var student: StudentIdentity
    public var period: Period
    /// The day levels are read at: the end of the period, or the day of generation if sooner.
    public var asOf: CalendarDate
    public var sections: [Section]
    public var badges: [EarnedBadge]
    public var synthesis: Synthesis?
    public var goals: [Goal]
    /// The student's own part of the period's bilan, written before the team's.
    public var studentWords: StudentWords?
    /// Each family's « Vu » on the period's bilan.
    public var seenByFamily: [FamilySeen]

    public init(generatedAt: Date, school: SchoolIdentity, student: StudentIdentity, period: Period, asOf: CalendarDate,
                sections: [Section], badges: [EarnedBadge], synthesis: Synthesis?, goals: [Goal],
                studentWords: StudentWords? = nil, seenByFamily: [FamilySeen] = []) {
        self.studentWords = studentWords
        self.seenByFamily = seenByFamily
        self.generatedAt = generatedAt
        self.school = school
        self.student = student
        self.period = period
        self.asOf = asOf
        self.sections = sections
        self.badges = badges
        self.synthesis = synthesis
        self.goals = goals
    }

    /// « CAP-EPC 2019, SOCLE-2015 2015 »: what every file states it was computed against.
    public var referentialVersions: String {
        sections.map { "\($0.code) \($0.version)" }.joined(separator: ", ")
    }

    /// One referential the student is evaluated on.
    public struct Section: Sendable {
        public var code: String
        public var version: String
        public var title: String
        public var scale: Scale
        /// The mastery method, as named on the command line (`bienveillante:3`).
        public var method: String
        public var rows: [Row]

        public init(code: String, version: String, title: String, scale: Scale, method: String, rows: [Row]) {
            self.code = code
            self.version = version
            self.title = title
            self.scale = scale
            self.method = method
            self.rows = rows
        }

        public var competencies: [Competency] {
            rows.compactMap { if case let .competency(entry) = $0.content { entry } else { nil } }
        }
        public var acquiredCount: Int { competencies.filter { $0.level?.isAcquired ?? false }.count }
        public var evaluatedCount: Int { competencies.filter { $0.level != nil }.count }
        public var progressedCount: Int {
            competencies.filter { $0.change == .progressed || $0.change == .firstLevel }.count
        }
    }

    /// A line of a referential's tree, in its order.
    public struct Row: Sendable {
        public var code: String
        public var title: String
        /// « Bloc », « Compétence », « Composante »…
        public var term: String
        public var depth: Int
        public var content: Content

        public init(code: String, title: String, term: String, depth: Int, content: Content) {
            self.code = code
            self.title = title
            self.term = term
            self.depth = depth
            self.content = content
        }

        public enum Content: Sendable {
            /// A block or domain, summarised from its competencies.
            case group(GroupSummary)
            case competency(Competency)
        }
    }

    public struct GroupSummary: Sendable {
        public var acquired: Int
        public var evaluated: Int
        public var total: Int
        /// Socle position 1–4, for socle components rolled up from their objectives.
        public var position: Int?
        public var explanation: String

        public init(acquired: Int, evaluated: Int, total: Int, position: Int?, explanation: String) {
            self.acquired = acquired
            self.evaluated = evaluated
            self.total = total
            self.position = position
            self.explanation = explanation
        }
    }

    public struct Competency: Sendable {
        public var code: String
        /// The current level, nil while nothing was observed.
        public var level: Scale.Level?
        /// Why this level: which observations counted, when and where it was reached.
        public var explanation: String
        /// What happened during the period; nil when there was no new evidence.
        public var change: CompetencyProgress.Change?
        /// The level at the end of the previous period.
        public var previousLevel: Scale.Level?
        /// The latest observation of each teacher or tutor, most recent first.
        public var teacherViews: [View]
        /// The student's latest self-evaluation, never counted in the level.
        public var selfEvaluation: View?
        /// The latest comment a teacher or tutor wrote with an evaluation of this competency.
        public var comment: Comment?

        public init(code: String, level: Scale.Level?, explanation: String, change: CompetencyProgress.Change?,
                    previousLevel: Scale.Level?, teacherViews: [View], selfEvaluation: View?, comment: Comment? = nil) {
            self.comment = comment
            self.code = code
            self.level = level
            self.explanation = explanation
            self.change = change
            self.previousLevel = previousLevel
            self.teacherViews = teacherViews
            self.selfEvaluation = selfEvaluation
        }
    }

    /// What one person said, on one day.
    public struct View: Sendable {
        public var author: String
        /// A level code or a special code (ABS, NR…).
        public var code: String
        /// The level's student label, or the special code's label.
        public var label: String
        public var date: CalendarDate
        public var context: EvaluationContext
        /// The earlier version of the referential the observation was made under; nil when it
        /// was made under the version of the section.
        public var earlierVersion: String?

        public init(author: String, code: String, label: String, date: CalendarDate, context: EvaluationContext,
                    earlierVersion: String? = nil) {
            self.author = author
            self.code = code
            self.label = label
            self.date = date
            self.context = context
            self.earlierVersion = earlierVersion
        }
    }

    /// A teacher's or tutor's words on an observation.
    public struct Comment: Sendable {
        public var author: String
        public var date: CalendarDate
        public var text: String

        public init(author: String, date: CalendarDate, text: String) {
            self.author = author
            self.date = date
            self.text = text
        }
    }

    public struct EarnedBadge: Sendable {
        public var code: String
        public var name: String
        public var description: String
        public var awardedOn: CalendarDate
        /// The student label of the level reached, for a badge tied to a scale.
        public var achievedLevel: String?
        /// Where anyone can check the badge; holds a random identifier, never the student's.
        public var verificationURL: String?

        public init(code: String, name: String, description: String, awardedOn: CalendarDate, achievedLevel: String?,
                    verificationURL: String?) {
            self.code = code
            self.name = name
            self.description = description
            self.awardedOn = awardedOn
            self.achievedLevel = achievedLevel
            self.verificationURL = verificationURL
        }
    }

    public struct Synthesis: Sendable {
        public var text: String
        public var author: String
        public var writtenOn: CalendarDate

        public init(text: String, author: String, writtenOn: CalendarDate) {
            self.text = text
            self.author = author
            self.writtenOn = writtenOn
        }
    }

    /// What the student wrote of the period: « Ce dont je suis fier·e », « Ce que je veux travailler ».
    public struct StudentWords: Sendable {
        public var proud: String
        public var toWork: String

        public init(proud: String, toWork: String) {
            self.proud = proud
            self.toWork = toWork
        }
    }

    /// A family account that read the bilan, and the day it said so.
    public struct FamilySeen: Sendable {
        public var name: String
        public var on: CalendarDate

        public init(name: String, on: CalendarDate) {
            self.name = name
            self.on = on
        }
    }

    public struct Goal: Sendable {
        public var text: String
        /// Proposed by Acquis from the competencies on their way; a teacher's goal otherwise.
        public var isSuggested: Bool

        public init(text: String, isSuggested: Bool) {
            self.text = text
            self.isSuggested = isSuggested
        }
    }
}

public struct SchoolIdentity: Hashable, Sendable {
    public var uai: String
    public var name: String

    public init(uai: String, name: String) {
        self.uai = uai
        self.name = name
    }

    /// « Lycée des Tilleuls (0579999Z) », or the UAI alone for a school known by nothing else.
    public var label: String { name.contains(uai) ? name : "\(name) (\(uai))" }
}

public struct StudentIdentity: Hashable, Sendable {
    public var lastName: String
    public var firstName: String
    public var ine: String?
    public var division: String?

    public init(lastName: String, firstName: String, ine: String?, division: String?) {
        self.lastName = lastName
        self.firstName = firstName
        self.ine = ine
        self.division = division
    }

    /// « MARTIN Léa »
    public var displayName: String { "\(lastName.uppercased()) \(firstName)" }
}

extension ProgressFile {
    /// Up to `limit` next steps proposed from the data when no teacher wrote any: the
    /// competencies closest to acquired first, in the order of the referentials.
    public static func suggestedGoals(_ sections: [Section], limit: Int = 3) -> [Goal] {
        var candidates: [(rank: Int, order: Int, text: String)] = []
        for section in sections {
            for row in section.rows {
                guard case let .competency(entry) = row.content, let level = entry.level, !level.isAcquired,
                      let rank = section.scale.levels.firstIndex(of: level) else { continue }
                candidates.append((rank, candidates.count, "Consolider « \(row.title) » (\(section.code) \(row.code))"))
            }
        }
        return candidates.sorted { ($0.rank, -$0.order) > ($1.rank, -$1.order) }.prefix(limit)
            .map { Goal(text: $0.text, isSuggested: true) }
    }
}
