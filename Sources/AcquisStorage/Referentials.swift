import AcquisCore
import AcquisGrading
import Foundation

/// A referential file as an inspector sent it, waiting to be checked and published.
public struct ReferentialDraft: Hashable, Sendable {
    public var id: Int64
    public var fileName: String
    public var content: [UInt8]
    public var uploadedBy: String
    public var uploadedAt: Date
    /// The referential version it became, once published.
    public var publishedAs: Int64?
    /// What the inspector said the file is, when not recognised from its content.
    public var format: String?
    /// What the file does not say and the inspector did (fiches, SACoche code and title, scale).
    public var settings: ReferentialSettings

    public init(id: Int64, fileName: String, content: [UInt8], uploadedBy: String, uploadedAt: Date, publishedAs: Int64? = nil,
                format: String? = nil, settings: ReferentialSettings = .init()) {
        self.format = format
        self.settings = settings
        self.id = id
        self.fileName = fileName
        self.content = content
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
        self.publishedAs = publishedAs
    }
}

/// A referential version as listed, without its tree.
public struct ReferentialSummary: Hashable, Sendable, Decodable {
    public var id: Int64
    public var code: String
    public var version: String
    public var title: String
    public var kind: String
    public var scaleCode: String
    public var format: String
    public var importedAt: Date
    public var nodeCount: Int
    public var evaluableCount: Int

    public init(id: Int64, code: String, version: String, title: String, kind: String, scaleCode: String, format: String, importedAt: Date, nodeCount: Int, evaluableCount: Int) {
        self.id = id
        self.code = code
        self.version = version
        self.title = title
        self.kind = kind
        self.scaleCode = scaleCode
        self.format = format
        self.importedAt = importedAt
        self.nodeCount = nodeCount
        self.evaluableCount = evaluableCount
    }
}

/// What a class's offer of referentials starts from (``ReferentialRepository/offerBasis(division:)``).
public struct ReferentialOfferBasis: Sendable {
    /// The versions the class follows, by code, as direction chose them.
    public var followed: [String: Int64]
    /// The referentials its school's classes and groups follow this year.
    public var schoolCodes: [String]
    /// How many referentials are stored, each counted once.
    public var storedCount: Int

    public init(followed: [String: Int64], schoolCodes: [String], storedCount: Int) {
        self.followed = followed
        self.schoolCodes = schoolCodes
        self.storedCount = storedCount
    }
}

/// What saving a referential did.
public enum SaveOutcome: Equatable, Sendable {
    case inserted
    /// The same version with the same content was already stored: nothing changed.
    case unchanged
}

public enum ReferentialStoreError: Error, CustomStringConvertible, Equatable {
    case versionConflict(code: String, version: String)
    case notFound(code: String, version: String?)
    case missingScale(code: String)

    public var description: String {
        switch self {
        case let .versionConflict(code, version):
            "\(code) version \(version) est déjà enregistré avec un contenu différent ; publiez la modification sous un nouveau numéro de version (des évaluations pointent déjà vers la version \(version))"
        case let .notFound(code, version?):
            "aucun référentiel \(code) en version \(version)"
        case let .notFound(code, nil):
            "aucun référentiel \(code)"
        case let .missingScale(code):
            "échelle inconnue \(code) ; incluez l’échelle dans le fichier du référentiel"
        }
    }
}

/// A referential version as evaluations need it: its nodes by code with their ids, its
/// frozen scale and the policy its masteries are computed with. Loaded once per import.
public struct ReferentialTarget: Sendable {
    public var id: Int64
    public var referential: Referential
    public var policy: MasteryPolicy
    public var rollUpRule: RollUpRule
    /// Node id, whether it can be evaluated, by node code.
    public var nodes: [String: (id: Int64, isEvaluable: Bool)]

    public var scale: Scale { policy.scale }

    /// The title of each evaluable competency, by code.
    public var competencyTitles: [String: String] {
        Dictionary(referential.evaluableNodes.map { ($0.code, $0.title) }, uniquingKeysWith: { first, _ in first })
    }
    public var calculator: MasteryCalculator { MasteryCalculator(policy: policy) }

    /// The node `code` names, if evaluations may be recorded on it; else what to do instead.
    public func evaluableNode(_ code: String) throws(EvaluationError) -> Int64 {
        guard let node = nodes[code] else {
            throw .unknownCompetency(code: code, referential: "\(referential.code) \(referential.version)")
        }
        guard node.isEvaluable else { throw .notEvaluable(code: code) }
        return node.id
    }

    /// The level or special code as the scale spells it, or why it is not on the scale.
    public func canonicalCode(_ code: String, asOverride: Bool = false) throws(EvaluationError) -> String {
        try Self.canonicalCode(code, on: scale, asOverride: asOverride)
    }

    package static func canonicalCode(_ code: String, on scale: Scale, asOverride: Bool) throws(EvaluationError) -> String {
        switch scale.mark(for: code) {
        case let .level(level, _)?:
            return level.code
        case let .special(special)? where !asOverride:
            return special.code
        case .special?:
            throw .overrideNeedsLevel(code: code)
        case nil:
            let codes = (scale.levels.map(\.code) + scale.specialCodes.map(\.code)).joined(separator: ", ")
            throw .unknownLevel(code: code, scale: scale.code, expected: codes)
        }
    }

    public init(id: Int64, referential: Referential, policy: MasteryPolicy, rollUpRule: RollUpRule, nodes: [String: (id: Int64, isEvaluable: Bool)]) {
        self.id = id
        self.referential = referential
        self.policy = policy
        self.rollUpRule = rollUpRule
        self.nodes = nodes
    }
}

/// Why an evaluation cannot be recorded, in words that say what to do.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    case unknownCompetency(code: String, referential: String)
    case notEvaluable(code: String)
    case unknownLevel(code: String, scale: String, expected: String)
    case overrideNeedsLevel(code: String)
    case unknownEvaluation(Int64)
    case alreadyWithdrawn(Int64)
    case unknownRequest(Int64)
    case invalidPolicy(String)
    /// An observation dated in the future or before 2000; the text says which.
    case invalidObservationDate(String)

    public var description: String {
        switch self {
        case let .unknownCompetency(code, referential):
            "aucune compétence \(code) dans \(referential)"
        case let .notEvaluable(code):
            "\(code) regroupe des compétences et ne s’évalue pas directement ; évaluez l’une d’elles"
        case let .unknownLevel(code, scale, expected):
            "niveau « \(code) » inconnu de l’échelle \(scale) ; attendu : \(expected)"
        case let .overrideNeedsLevel(code):
            "une décision fixe un niveau de l’échelle ; « \(code) » est un code spécial"
        case let .unknownEvaluation(id):
            "aucune évaluation n° \(id)"
        case let .alreadyWithdrawn(id):
            "l’évaluation n° \(id) est déjà retirée"
        case let .unknownRequest(id):
            "aucune demande d’évaluation n° \(id)"
        case let .invalidPolicy(text), let .invalidObservationDate(text):
            text
        }
    }
}

/// How a new version continues the version stored before it.
public struct VersionContinuity: Sendable {
    /// The stored earlier version's id, which links are written to.
    public var earlierID: Int64
    public var earlierVersion: String
    public var lineage: VersionLineage
    /// Competencies of the earlier version missing from the new one, with nothing to say what
    /// became of them, that students were already evaluated on: publishing is refused.
    public var unaccountedWithEvidence: [String]

    public init(earlierID: Int64, earlierVersion: String, lineage: VersionLineage, unaccountedWithEvidence: [String]) {
        self.earlierID = earlierID
        self.earlierVersion = earlierVersion
        self.lineage = lineage
        self.unaccountedWithEvidence = unaccountedWithEvidence
    }
}

/// Why a new version cannot be stored as it continues the one before.
public enum VersionContinuityError: Error, Equatable, CustomStringConvertible {
    /// The correspondence does not fit the two versions; each problem names its code.
    case correspondence([ReferentialProblem])
    /// A correspondence was given but no earlier version of the referential is stored.
    case noEarlierVersion(code: String, version: String)
    /// Evaluated competencies of the earlier version are missing from the new one, and
    /// nothing says what became of them: their evidence would stop counting.
    case evidenceWouldBeLost(code: String, from: String, to: String, competencies: [String])
    /// None of the referentials published is the version the correspondence leads to.
    case correspondenceUnused(Correspondence)

    public var description: String {
        switch self {
        case let .correspondence(problems):
            "la correspondance ne convient pas aux deux versions :\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case let .noEarlierVersion(code, version):
            "aucune version de \(code) antérieure à la version \(version) n’est enregistrée : la correspondance n’a rien à relier"
        case let .correspondenceUnused(correspondence):
            "la correspondance mène à \(correspondence.referentialCode) version \(correspondence.toVersion), "
                + "qu’aucun des référentiels publiés n’est"
        case let .evidenceWouldBeLost(code, from, to, competencies):
            "la version \(to) de \(code) n’a plus \(competencies.count > 1 ? "les compétences" : "la compétence") "
                + "\(competencies.joined(separator: ", ")) de la version \(from), sur "
                + (competencies.count > 1 ? "lesquelles" : "laquelle") + " des élèves ont déjà été évalués ; "
                + "publiez avec la version une correspondance qui dit ce "
                + (competencies.count > 1 ? "qu’elles deviennent (renommées, scindées, fusionnées ou supprimées)"
                                          : "qu’elle devient (renommée, scindée, fusionnée ou supprimée)")
        }
    }
}
