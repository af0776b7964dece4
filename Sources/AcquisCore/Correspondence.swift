/// What a publisher says became of a referential's competencies from one version to the
/// next: the explicit part of the continuity between versions.
///
/// Competencies that keep their code carry over without being named here. A correspondence
/// names the others: a competency renamed (new code), split into several, merged with
/// others, or removed.
public struct Correspondence: Hashable, Sendable {
    /// One thing that happened to competencies of the earlier version.
    public enum Change: Hashable, Sendable {
        case renamed(from: String, to: String)
        case split(from: String, into: [String])
        case merged(from: [String], into: String)
        case removed(String)

        /// The codes of the earlier version this change is about.
        public var earlierCodes: [String] {
            switch self {
            case let .renamed(from, _), let .split(from, _): [from]
            case let .merged(from, _): from
            case let .removed(code): [code]
            }
        }

        /// The codes of the later version this change leads to.
        public var laterCodes: [String] {
            switch self {
            case let .renamed(_, to), let .merged(_, to): [to]
            case let .split(_, into): into
            case .removed: []
            }
        }

        var relation: CompetencyLink.Relation? {
            switch self {
            case .renamed: .renamed
            case .split: .split
            case .merged: .merged
            case .removed: nil
            }
        }
    }

    public var referentialCode: String
    /// The version the changes start from, and the version they lead to.
    public var fromVersion: String
    public var toVersion: String
    public var changes: [Change]

    public init(referentialCode: String, fromVersion: String, toVersion: String, changes: [Change]) {
        self.referentialCode = referentialCode
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.changes = changes
    }

    /// The rules a correspondence must follow on its own, before it is compared with the two
    /// versions: each earlier code is named once, and the versions differ.
    public var problems: [ReferentialProblem] {
        var problems: [ReferentialProblem] = []
        if fromVersion == toVersion {
            problems.append(.init(message: "la correspondance va de la version \(fromVersion) à elle-même ; indiquez deux versions différentes"))
        }
        var named = Set<String>()
        for code in changes.flatMap(\.earlierCodes) where !named.insert(code).inserted {
            problems.append(.init(nodeCode: code, message: "la compétence \(code) de la version \(fromVersion) est nommée plusieurs fois ; dites en une seule ligne ce qu’elle devient"))
        }
        return problems
    }
}

/// A competency of a version that continues one of the version before: the evidence of
/// `earlierCode` counts towards `code`.
public struct CompetencyLink: Hashable, Sendable {
    public enum Relation: String, Sendable, CaseIterable {
        case sameCode = "meme-code"
        case renamed = "renomme"
        case split = "scinde"
        case merged = "fusionne"
    }

    /// The code in the later version.
    public var code: String
    /// The code in the earlier version.
    public var earlierCode: String
    public var relation: Relation

    public init(code: String, earlierCode: String, relation: Relation) {
        self.code = code
        self.earlierCode = earlierCode
        self.relation = relation
    }
}

/// How the competencies of a new version continue those of the version before it.
///
/// Evidence flows forward: what was observed under the earlier version counts in the later
/// one, through these links; nothing observed under the later version changes a level of the
/// earlier one. A competency the later version drops, and that no correspondence accounts
/// for, is `unaccounted`: its evidence would no longer count anywhere.
public struct VersionLineage: Hashable, Sendable {
    public var links: [CompetencyLink]
    /// Earlier competencies a correspondence says were removed.
    public var removed: [String]
    /// Earlier competencies absent from the later version that nothing accounts for.
    public var unaccounted: [String]
    /// What is wrong with the correspondence given these two versions; links are only
    /// usable when this is empty.
    public var problems: [ReferentialProblem]

    /// Compares two versions of a referential, through the publisher's correspondence when
    /// there is one.
    public init(from earlier: Referential, to later: Referential, correspondence: Correspondence? = nil) {
        let earlierCodes = Set(earlier.evaluableNodes.map(\.code))
        let laterCodes = Set(later.evaluableNodes.map(\.code))
        var problems = correspondence?.problems ?? []
        var links: [CompetencyLink] = []
        var removed: [String] = []
        var explicitEarlier = Set<String>(), explicitLater = Set<String>()

        if let correspondence {
            if correspondence.referentialCode != later.code {
                problems.append(.init(message: "la correspondance porte sur \(correspondence.referentialCode), pas sur \(later.code)"))
            }
            if correspondence.fromVersion != earlier.version {
                problems.append(.init(message: "la correspondance part de la version \(correspondence.fromVersion), mais la version précédente de \(later.code) est la version \(earlier.version)"))
            }
            if correspondence.toVersion != later.version {
                problems.append(.init(message: "la correspondance mène à la version \(correspondence.toVersion), mais le référentiel importé est la version \(later.version)"))
            }
            for change in correspondence.changes {
                for code in change.earlierCodes where !earlierCodes.contains(code) {
                    problems.append(.init(nodeCode: code, message: Self.missing(code, earlier, in: "la version précédente")))
                }
                for code in change.laterCodes where !laterCodes.contains(code) {
                    problems.append(.init(nodeCode: code, message: Self.missing(code, later, in: "la nouvelle version")))
                }
                explicitEarlier.formUnion(change.earlierCodes)
                explicitLater.formUnion(change.laterCodes)
                if case let .removed(code) = change { removed.append(code) }
                guard let relation = change.relation else { continue }
                for earlierCode in change.earlierCodes {
                    for code in change.laterCodes {
                        links.append(CompetencyLink(code: code, earlierCode: earlierCode, relation: relation))
                    }
                }
            }
        }
        // A code the correspondence does not mention keeps its meaning when it is kept.
        for node in later.evaluableNodes where earlierCodes.contains(node.code)
            && !explicitEarlier.contains(node.code) && !explicitLater.contains(node.code) {
            links.append(CompetencyLink(code: node.code, earlierCode: node.code, relation: .sameCode))
        }
        self.links = links
        self.removed = removed
        self.unaccounted = earlier.evaluableNodes.map(\.code).filter { !laterCodes.contains($0) && !explicitEarlier.contains($0) }
        self.problems = problems
    }

    private static func missing(_ code: String, _ referential: Referential, in which: String) -> String {
        if referential.node(code: code) != nil {
            return "\(code) regroupe des compétences dans \(which) (\(referential.version)) et ne s’évalue pas ; nommez les compétences évaluables"
        }
        return "aucune compétence \(code) dans \(which) (\(referential.code) \(referential.version))"
    }
}
