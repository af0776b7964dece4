import AcquisCore
import AcquisGrading
import Foundation

/// An evaluation as stored: the entry, its database ids and its life (recorded, withdrawn).
public struct StoredEvaluation: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var nodeID: Int64
    public var competencyCode: String
    public var observation: Observation
    public var comment: String?
    public var evidence: String?
    public var recordedAt: Date
    public var recordedBy: String?
    public var withdrawnAt: Date?
    /// The version of the referential the observation was made under, when it is an earlier
    /// version than the one being read (its evidence counts in the later one).
    public var earlierVersion: String? = nil
    /// The production of the student's portfolio the observation was made from.
    public var productionID: Int64? = nil

    public init(id: Int64, studentID: Int64, nodeID: Int64, competencyCode: String, observation: Observation, comment: String? = nil, evidence: String? = nil, recordedAt: Date, recordedBy: String? = nil, withdrawnAt: Date? = nil, earlierVersion: String? = nil, productionID: Int64? = nil) {
        self.id = id
        self.studentID = studentID
        self.nodeID = nodeID
        self.competencyCode = competencyCode
        self.observation = observation
        self.comment = comment
        self.evidence = evidence
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.withdrawnAt = withdrawnAt
        self.earlierVersion = earlierVersion
        self.productionID = productionID
    }
}

/// One change made to an evaluation after it was recorded: who, when, before and after.
public struct EvaluationChange: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case correction
        case withdrawal = "retrait"
    }

    public var kind: Kind
    public var changedAt: Date
    public var changedBy: String
    public var before: EvaluationSnapshot
    public var after: EvaluationSnapshot
    public var reason: String?

    public init(kind: Kind, changedAt: Date, changedBy: String, before: EvaluationSnapshot, after: EvaluationSnapshot, reason: String? = nil) {
        self.kind = kind
        self.changedAt = changedAt
        self.changedBy = changedBy
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// What a correction can change, and what the history keeps of each version.
public struct EvaluationSnapshot: Hashable, Sendable, Codable {
    public var code: String
    public var observedOn: String
    public var context: String
    public var company: String?
    public var tutor: String?
    public var comment: String?
    public var evidence: String?
    public var isOverride: Bool
    public var withdrawn: Bool

    /// « niveau MF → MS, date 12/03/2026 → 13/03/2026 »: what differs from `before`.
    public func differences(from before: EvaluationSnapshot) -> String {
        var parts: [String] = []
        func compare(_ label: String, _ old: String?, _ new: String?) {
            if old != new { parts.append("\(label) \(old ?? "—") → \(new ?? "—")") }
        }
        compare("niveau", before.code, code)
        compare("date", CalendarDate(iso: before.observedOn)?.french, CalendarDate(iso: observedOn)?.french)
        compare("contexte", before.context, context)
        compare("entreprise", before.company, company)
        compare("tuteur", before.tutor, tutor)
        compare("commentaire", before.comment, comment)
        compare("preuve", before.evidence, evidence)
        if before.isOverride != isOverride { parts.append(isOverride ? "devient une décision" : "n’est plus une décision") }
        if !before.withdrawn && withdrawn { parts.append("retirée") }
        return parts.joined(separator: ", ")
    }

    public init(code: String, observedOn: String, context: String, company: String? = nil, tutor: String? = nil, comment: String? = nil, evidence: String? = nil, isOverride: Bool, withdrawn: Bool) {
        self.code = code
        self.observedOn = observedOn
        self.context = context
        self.company = company
        self.tutor = tutor
        self.comment = comment
        self.evidence = evidence
        self.isOverride = isOverride
        self.withdrawn = withdrawn
    }
}

/// A correction to an evaluation: only the fields given change.
public struct EvaluationCorrection: Sendable {
    public var code: String?
    public var observedOn: CalendarDate?
    public var context: EvaluationContext?
    public var comment: String?
    public var evidence: String?

    public init(code: String? = nil, observedOn: CalendarDate? = nil, context: EvaluationContext? = nil,
                comment: String? = nil, evidence: String? = nil) {
        self.code = code
        self.observedOn = observedOn
        self.context = context
        self.comment = comment
        self.evidence = evidence
    }
}
