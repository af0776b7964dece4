import AcquisCore
import AcquisGrading

/// The three usual need groups of accompagnement personnalisé.
public enum NeedGroup: String, Hashable, Sendable, CaseIterable, Codable {
    /// Far from the expected level: take the competency up again from its start.
    case remediation
    /// Just below the expected level: practise until it holds.
    case consolidation
    /// At or above the expected level: go further.
    case deepening

    public var title: String {
        switch self {
        case .remediation: "Remédiation"
        case .consolidation: "Consolidation"
        case .deepening: "Approfondissement"
        }
    }

    /// Reads a group from its stored name or its French title, accents and case ignored.
    public init?(name: String) {
        let folded = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
        switch folded {
        case "remediation": self = .remediation
        case "consolidation": self = .consolidation
        case "deepening", "approfondissement": self = .deepening
        default: return nil
        }
    }
}

/// Where a student is suggested, and why in words.
public struct GroupPlacement<StudentID: Hashable & Sendable>: Hashable, Sendable {
    public var student: StudentID
    /// Nil: no level yet on the chosen competencies; the teacher evaluates first.
    public var group: NeedGroup?
    public var reason: String
}

/// Suggests need groups from the current levels on a set of competencies.
///
/// A student's place follows the median of their levels on the chosen competencies (the
/// middle level, so one bad or good day does not decide): below the level just under
/// « acquired » → remédiation; just under it → consolidation; acquired → approfondissement.
public struct NeedGroupSuggester: Sendable {
    public var scale: Scale

    public init(scale: Scale) {
        self.scale = scale
    }

    /// `levels` holds each student's mastery per chosen competency code, in the order of `competencies`.
    public func suggest<ID>(_ levels: [(student: ID, masteries: [String: Mastery])],
                            competencies: [String]) -> [GroupPlacement<ID>] {
        let threshold = scale.acquisitionThreshold ?? scale.levels.count - 1
        return levels.map { student, masteries in
            let ranked = competencies.compactMap { code in masteries[code].flatMap { m in m.rank.map { (code, $0) } } }
            guard !ranked.isEmpty else {
                return GroupPlacement(student: student, group: nil,
                                      reason: "Pas encore de niveau sur ces compétences : à évaluer d’abord.")
            }
            let ranks = ranked.map(\.1).sorted()
            let median = ranks[(ranks.count - 1) / 2]
            let group: NeedGroup = median >= threshold ? .deepening : median == threshold - 1 ? .consolidation : .remediation
            let detail = ranked.map { "\($0.0) \(scale.levels[$0.1].code)" }.joined(separator: ", ")
            let missing = competencies.count - ranked.count
            return GroupPlacement(
                student: student, group: group,
                reason: "Niveau médian « \(scale.levels[median].teacherLabel) » (\(detail))"
                    + (missing > 0 ? " ; \(French.counted(missing, "compétence")) sans niveau." : "."))
        }
    }
}
