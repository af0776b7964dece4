import AcquisCore

/// How a block or domain is summarised from the competencies under it, chosen per referential.
public enum RollUpRule: Hashable, Sendable {
    /// Acquired when every competency under it is acquired (a diploma block).
    case allAcquired
    /// Acquired when at least this share (0…1) of the competencies under it is acquired.
    case proportionAcquired(Double)
    /// A socle component positioned 1–4 at the position nearest to the mean of its
    /// objectives' levels, on 0–100 (positions at 0, 33, 67, 100; exactly halfway, the lower
    /// one, as for a competency's level). A student at « maîtrise fragile » on every objective
    /// is at « maîtrise fragile » on the component.
    case socleNearest
    /// A socle component positioned 1–4 from its percentage of acquisition with SACoche's
    /// thresholds: the lower bounds of positions 2, 3 and 4 (35, 60, 81 in SACoche). Meant for
    /// objectives evaluated on acquisition states (non acquis 0, en voie 50, acquis 100), as
    /// in SACoche; on the four socle levels it would place « maîtrise fragile » (33) at 1.
    case soclePosition(thresholds: [Double])

    public static let socleDefault = RollUpRule.socleNearest
    /// SACoche's default thresholds.
    public static let sacocheThresholds = RollUpRule.soclePosition(thresholds: [35, 60, 81])
}

/// The state of a block or domain, computed from the masteries under it.
public struct NodeSummary: Hashable, Sendable {
    public var code: String
    /// The competencies the summary is computed from: the nearest evaluable nodes below.
    public var componentCodes: [String]
    public var evaluatedCount: Int
    public var acquiredCount: Int
    public var isAcquired: Bool
    /// Percentage of acquisition (0–100) over the evaluated components.
    public var percentage: Double?
    /// Socle position 1–4, for ``RollUpRule/soclePosition(thresholds:)``.
    public var position: Int?
    public var explanation: String
}

public struct RollUp: Sendable {
    public var rule: RollUpRule
    public var policy: MasteryPolicy

    public init(rule: RollUpRule, policy: MasteryPolicy) {
        self.rule = rule
        self.policy = policy
    }

    /// Summarises `node` from the masteries of its nearest evaluable descendants, keyed by code.
    public func summary(of node: ReferentialNode, masteries: [String: Mastery]) -> NodeSummary {
        let components = Self.nearestEvaluable(below: node)
        let evaluated = components.compactMap { masteries[$0.code] }.filter { $0.rank != nil }
        let acquired = evaluated.filter(\.isAcquired).count
        let percentage = evaluated.isEmpty ? nil
            : evaluated.map { normalized($0) }.reduce(0, +) / Double(evaluated.count)
        var summary = NodeSummary(code: node.code, componentCodes: components.map(\.code),
                                  evaluatedCount: evaluated.count, acquiredCount: acquired, isAcquired: false,
                                  percentage: percentage, position: nil, explanation: "")
        let total = components.count
        switch rule {
        case .allAcquired:
            summary.isAcquired = total > 0 && acquired == total
            summary.explanation = summary.isAcquired
                ? "Acquis : les \(total) compétences sont acquises"
                : "\(Explanation.counted(acquired, "compétence", "acquise")) sur \(total) ; encore \(total - acquired) à valider"
        case let .proportionAcquired(share):
            let needed = Int((share * Double(total)).rounded(.up))
            summary.isAcquired = total > 0 && acquired >= needed
            summary.explanation = "\(Explanation.counted(acquired, "compétence", "acquise")) sur \(total), "
                + Explanation.counted(needed, "nécessaire") + (summary.isAcquired ? " : acquis" : "")
        case .socleNearest, .soclePosition:
            guard let percentage else {
                summary.explanation = "Pas encore de positionnement : aucune compétence évaluée"
                return summary
            }
            let position: Int
            let how: String
            if case let .soclePosition(thresholds) = rule {
                position = 1 + thresholds.filter { percentage >= $0 }.count
                how = "seuils " + thresholds.map(Explanation.decimal).joined(separator: " / ")
            } else {
                position = 1 + MasteryPolicy(scale: .socle2015).rank(for: percentage)
                how = "position la plus proche de leur niveau moyen"
            }
            summary.position = position
            summary.isAcquired = position >= 3
            let label = Scale.socle2015.levels.indices.contains(position - 1)
                ? Scale.socle2015.levels[position - 1].teacherLabel : "Position \(position)"
            // Classes sans notes: the reason is said in levels, never as a percentage.
            summary.explanation = "\(label) (position \(position)) d’après "
                + Explanation.counted(evaluated.count, "compétence", "évaluée") + " : \(how)"
        }
        return summary
    }

    /// A mastery's value brought to 0–100 between the lowest and highest level values.
    private func normalized(_ mastery: Mastery) -> Double {
        guard let score = mastery.score, let low = policy.values.first, let high = policy.values.last, high > low else {
            return 0
        }
        return (score - low) / (high - low) * 100
    }

    /// The evaluable nodes closest to `node`: an evaluable child counts, and what is under
    /// it is not counted again.
    static func nearestEvaluable(below node: ReferentialNode) -> [ReferentialNode] {
        node.children.flatMap { child in child.isEvaluable ? [child] : nearestEvaluable(below: child) }
    }

}
