import AcquisCore
import AcquisGrading
import Foundation

/// A student whose evidence has stopped: no observation for a while.
public struct QuietStudent: Hashable, Sendable {
    public var student: StoredStudent
    /// The day of their latest observation, nil if they were never observed.
    public var lastObservedOn: CalendarDate?

    public init(student: StoredStudent, lastObservedOn: CalendarDate? = nil) {
        self.student = student
        self.lastObservedOn = lastObservedOn
    }
}

/// Everything a teacher needs to talk with a student about one referential: each
/// competency's level and why, who said what, the student's own view; each block summarised.
public struct StudentReport: Sendable {
    public struct Line: Sendable {
        public var node: ReferentialNode
        public var depth: Int
        /// For an evaluable node.
        public var mastery: Mastery?
        /// For a block or domain.
        public var summary: NodeSummary?
        /// The latest observation of each evaluator, most recent first.
        public var byEvaluator: [Observation]
        /// The student's latest self-evaluation, shown beside the level and never counted.
        public var selfEvaluation: Observation?

        public init(node: ReferentialNode, depth: Int, mastery: Mastery? = nil, summary: NodeSummary? = nil, byEvaluator: [Observation], selfEvaluation: Observation? = nil) {
            self.node = node
            self.depth = depth
            self.mastery = mastery
            self.summary = summary
            self.byEvaluator = byEvaluator
            self.selfEvaluation = selfEvaluation
        }
    }

    public var student: StoredStudent
    public var target: ReferentialTarget
    public var asOf: CalendarDate?
    public var lines: [Line]

    public var evaluableCount: Int { lines.filter { $0.node.isEvaluable }.count }
    public var acquiredCount: Int { lines.filter { $0.mastery?.isAcquired ?? false }.count }
    public var evaluatedCount: Int { lines.filter { $0.mastery?.rank != nil }.count }

    public init(student: StoredStudent, target: ReferentialTarget, asOf: CalendarDate? = nil, lines: [Line]) {
        self.student = student
        self.target = target
        self.asOf = asOf
        self.lines = lines
    }
}
