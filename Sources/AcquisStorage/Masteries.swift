import AcquisCore
import AcquisGrading
import Foundation

/// A computed level as stored, with its explanation.
public struct StoredMastery: Hashable, Sendable {
    public var nodeID: Int64
    public var rank: Int?
    public var levelCode: String?
    public var score: Double?
    public var isAcquired: Bool
    public var explanation: String
    public var observationCount: Int
    public var lastObservedOn: CalendarDate?

    public init(nodeID: Int64, rank: Int? = nil, levelCode: String? = nil, score: Double? = nil, isAcquired: Bool, explanation: String, observationCount: Int, lastObservedOn: CalendarDate? = nil) {
        self.nodeID = nodeID
        self.rank = rank
        self.levelCode = levelCode
        self.score = score
        self.isAcquired = isAcquired
        self.explanation = explanation
        self.observationCount = observationCount
        self.lastObservedOn = lastObservedOn
    }
}

/// An observation as recorded, with the level of its competency after it.
public struct RecordedEvaluation: Hashable, Sendable {
    public var id: Int64
    /// The mastery of the competency the observation is about, its explanation included.
    public var mastery: StoredMastery

    public init(id: Int64, mastery: StoredMastery) {
        self.id = id
        self.mastery = mastery
    }
}

/// What recomputing masteries changed: how many levels were computed, and what the badge
/// rules then decided.
public struct MasteryRecomputation: Hashable, Sendable {
    public var masteries: Int
    public var badges: RuleOutcome

    public init(masteries: Int, badges: RuleOutcome) {
        self.masteries = masteries
        self.badges = badges
    }
}

/// A student and a referential node: the key of a mastery.
public struct StudentNode: Hashable, Sendable {
    public var studentID: Int64
    public var nodeID: Int64

    public init(studentID: Int64, nodeID: Int64) {
        self.studentID = studentID
        self.nodeID = nodeID
    }
}
