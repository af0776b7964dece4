import AcquisCore
import AcquisGrading

/// How a badge is earned. Rules are data: they are stored with the badge class, written in a
/// badge definition file, and checked again whenever a student's masteries change.
public enum BadgeRule: Hashable, Sendable {
    /// Every evaluable competency under `node` (the node itself when it is a competency) is acquired.
    case allAcquired(ReferentialKey, node: String)
    /// The level computed on `node` is `level` or above, e.g. a socle component at « MS ».
    case minimumLevel(ReferentialKey, node: String, level: String)
    /// Awarded by a teacher (savoir-être, engagement, PFMP): no rule is checked.
    case manual

    public var referential: ReferentialKey? {
        switch self {
        case .allAcquired(let key, _), .minimumLevel(let key, _, _): key
        case .manual: nil
        }
    }

    public var nodeCode: String? {
        switch self {
        case .allAcquired(_, let node), .minimumLevel(_, let node, _): node
        case .manual: nil
        }
    }
}

/// The computed level of one node for one student, as the badge rules read it.
public struct NodeMastery: Hashable, Sendable {
    public var levelCode: String?
    public var rank: Int?
    public var isAcquired: Bool
    public var lastObservedOn: CalendarDate?

    public init(levelCode: String?, rank: Int?, isAcquired: Bool, lastObservedOn: CalendarDate?) {
        self.levelCode = levelCode
        self.rank = rank
        self.isAcquired = isAcquired
        self.lastObservedOn = lastObservedOn
    }
}

/// One competency behind an earned badge: what the badge's evidence lists.
public struct BadgeEvidence: Hashable, Sendable {
    public var code: String
    public var title: String
    /// The level in the words a student reads (« Acquis », « Maîtrise satisfaisante »).
    public var level: String
    /// The scale's code and rank of that level, to tell which level a block badge reached.
    public var levelCode: String?
    public var rank: Int?
    public var observedOn: CalendarDate?

    public init(code: String, title: String, level: String, levelCode: String? = nil, rank: Int? = nil,
                observedOn: CalendarDate?) {
        self.code = code
        self.title = title
        self.level = level
        self.levelCode = levelCode
        self.rank = rank
        self.observedOn = observedOn
    }

    /// « B1.1 Participer à la passation des commandes : Acquis (12/10/2026) ».
    public var sentence: String {
        "\(code) \(title) : \(level)" + (observedOn.map { " (\($0.french))" } ?? "")
    }
}

/// What a rule says about one student now.
public enum BadgeDecision: Hashable, Sendable {
    /// Earned on `date` (the day of the latest evidence that completed it).
    case earned(on: CalendarDate, evidence: [BadgeEvidence])
    /// Not yet: these node codes are still missing.
    case notYet(missing: [String])

    /// The level every competency behind the badge reached at least: the lowest of the evidence.
    public var achievedLevel: String? {
        guard case .earned(_, let evidence) = self else { return nil }
        return evidence.filter { $0.rank != nil }.min { $0.rank! < $1.rank! }?.levelCode
    }
}

/// A node whose mastery a rule reads.
public struct BadgeRequirement: Hashable, Sendable {
    public var code: String
    public var title: String

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }
}

extension BadgeRule {
    /// The nodes whose masteries decide the rule: every evaluable node under a block, or the
    /// node itself. `nil` for a manual badge, or when the referential lacks the node. A
    /// referential version never changes, so stores compute this once per badge class.
    public func requirements(in referential: Referential) -> [BadgeRequirement]? {
        guard let code = nodeCode, let node = referential.node(code: code) else { return nil }
        let nodes = if case .minimumLevel = self { [node] } else { node.evaluableSubtree }
        return nodes.isEmpty ? nil : nodes.map { BadgeRequirement(code: $0.code, title: $0.title) }
    }

    /// Decides the rule for one student from the masteries of its requirements. `nil` for a
    /// manual badge, or a level the scale does not have.
    public func decide(_ requirements: [BadgeRequirement], scale: Scale, masteries: [String: NodeMastery]) -> BadgeDecision? {
        let missing: [String]
        switch self {
        case .manual:
            return nil
        case .allAcquired:
            missing = requirements.filter { masteries[$0.code]?.isAcquired != true }.map(\.code)
        case .minimumLevel(_, _, let levelCode):
            guard let required = scale.levels.firstIndex(where: { $0.code == levelCode }) else { return nil }
            missing = requirements.filter { (masteries[$0.code]?.rank ?? -1) < required }.map(\.code)
        }
        guard missing.isEmpty else { return .notYet(missing: missing) }
        let evidence = requirements.map { requirement in
            let mastery = masteries[requirement.code]
            let level = mastery?.rank.flatMap { scale.levels.indices.contains($0) ? scale.levels[$0].studentLabel : nil }
            return BadgeEvidence(code: requirement.code, title: requirement.title, level: level ?? mastery?.levelCode ?? "",
                                 levelCode: mastery?.levelCode, rank: mastery?.rank, observedOn: mastery?.lastObservedOn)
        }
        let day = evidence.compactMap(\.observedOn).max() ?? CalendarDate(dayNumber: 0)
        return .earned(on: day, evidence: evidence)
    }
}

extension BadgeRule {
    /// The first day on which the evidence met the rule: the rule is replayed on the evidence
    /// known at the end of each day of observation, each competency's level computed by the
    /// referential's method. A badge is dated by the evidence that completed its rule, never
    /// by the day someone happened to look (a change of method, a recomputation, an unrelated
    /// evaluation). Nil when the evidence never met it.
    public func firstDayMet(_ requirements: [BadgeRequirement], observations: [String: [Observation]],
                            calculator: MasteryCalculator) -> CalendarDate? {
        let days = Set(observations.values.joined().map(\.date)).sorted()
        for day in days {
            var masteries: [String: NodeMastery] = [:]
            for (code, evidence) in observations {
                let known = evidence.filter { $0.date <= day }
                guard !known.isEmpty else { continue }
                let mastery = calculator.mastery(of: known)
                masteries[code] = NodeMastery(levelCode: mastery.level?.code, rank: mastery.rank, isAcquired: mastery.isAcquired,
                                              lastObservedOn: known.last?.date)
            }
            if case .earned? = decide(requirements, scale: calculator.policy.scale, masteries: masteries) { return day }
        }
        return nil
    }
}

// MARK: - Names

/// Rules are stored and written as short text: `acquis:CAP-EPC@2019:B1`,
/// `niveau:SOCLE-2015@2015:CPD_FRA:MS`, `manuel`.
extension BadgeRule: LosslessStringConvertible {
    public var description: String {
        switch self {
        case .allAcquired(let key, let node): "acquis:\(key):\(node)"
        case .minimumLevel(let key, let node, let level): "niveau:\(key):\(node):\(level)"
        case .manual: "manuel"
        }
    }

    public init?(_ description: String) {
        let parts = description.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func key(_ text: String) -> ReferentialKey? {
            let pieces = text.split(separator: "@", maxSplits: 1).map(String.init)
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else { return nil }
            return ReferentialKey(code: pieces[0], version: pieces[1])
        }
        switch parts.first {
        case "manuel" where parts.count == 1:
            self = .manual
        case "acquis" where parts.count == 3 && !parts[2].isEmpty:
            guard let key = key(parts[1]) else { return nil }
            self = .allAcquired(key, node: parts[2])
        case "niveau" where parts.count == 4 && !parts[2].isEmpty && !parts[3].isEmpty:
            guard let key = key(parts[1]) else { return nil }
            self = .minimumLevel(key, node: parts[2], level: parts[3])
        default:
            return nil
        }
    }
}

/// A student's award of one badge class, as its rule sees it.
public struct AwardState: Hashable, Sendable {
    public var id: Int64
    public var isRevoked: Bool
    /// Flagged: the evidence stopped meeting the rule, a teacher decides.
    public var isUnderReview: Bool

    public init(id: Int64, isRevoked: Bool, isUnderReview: Bool) {
        self.id = id
        self.isRevoked = isRevoked
        self.isUnderReview = isUnderReview
    }
}

/// What a rule's decision does to a student's awards of one badge class.
public enum AwardChange: Hashable, Sendable {
    /// The rule is met and the badge was never awarded: award it.
    case award
    /// The evidence meets the rule again: lift this award's review flag.
    case clearReview(id: Int64)
    /// The evidence no longer meets the rule: this award waits for a teacher, for this reason.
    case flagForReview(id: Int64, reason: String)
}

extension BadgeDecision {
    /// The changes a decision makes to the student's awards of the badge. A badge a teacher
    /// revoked is never awarded again by its rule: the teacher decides. An earned badge is
    /// never taken back by a rule either: it is flagged, with `cause` (« une évaluation
    /// corrigée ») and the competencies that fell short in the reason.
    public func changes(to awards: [AwardState], cause: String) -> [AwardChange] {
        let active = awards.filter { !$0.isRevoked }
        switch self {
        case .earned:
            return (awards.isEmpty ? [.award] : []) + active.filter(\.isUnderReview).map { .clearReview(id: $0.id) }
        case .notYet(let missing):
            let reason = "après \(cause), " + missing.joined(separator: ", ")
                + (missing.count > 1 ? " ne sont plus au niveau demandé" : " n’est plus au niveau demandé")
            return active.filter { !$0.isUnderReview }.map { .flagForReview(id: $0.id, reason: reason) }
        }
    }
}
