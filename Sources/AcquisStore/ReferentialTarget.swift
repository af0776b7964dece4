import AcquisCore
import AcquisGrading
import GRDB

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

    static func canonicalCode(_ code: String, on scale: Scale, asOverride: Bool) throws(EvaluationError) -> String {
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

extension ReferentialStore {
    /// Loads a referential version for recording and computing evaluations.
    public func target(code: String, version: String? = nil, in db: Database) throws -> ReferentialTarget {
        try target(id: id(code: code, version: version, in: db), in: db)
    }

    public func target(id: Int64, in db: Database) throws -> ReferentialTarget {
        let referential = try fetch(id: id, in: db)
        var nodes: [String: (Int64, Bool)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, code, isEvaluable FROM referentialNode WHERE referentialId = ?",
                                    arguments: [id]) {
            nodes[row[1]] = (row[0], row[2])
        }
        let rule = try String.fetchOne(db, sql: "SELECT rollUpRule FROM referentialPolicy WHERE referentialId = ?",
                                       arguments: [id]).flatMap(RollUpRule.init) ?? .default(for: referential.kind)
        return ReferentialTarget(id: id, referential: referential, policy: try calculator(referentialID: id, in: db).policy,
                                 rollUpRule: rule, nodes: nodes)
    }

    /// The calculator of a referential version: its frozen scale and its method (the
    /// default unless one was chosen), without loading its tree.
    func calculator(referentialID id: Int64, in db: Database) throws -> MasteryCalculator {
        guard let row = try Row.fetchOne(db, sql: "SELECT code, scaleCode, scaleTitle FROM referential WHERE id = ?", arguments: [id])
        else { throw ReferentialStoreError.notFound(code: "#\(id)", version: nil) }
        let scale = try fetchScale(referentialID: id, code: row[1], title: row[2], db)
        guard !scale.levels.isEmpty else { throw ReferentialStoreError.missingScale(code: row[1]) }
        let method = try String.fetchOne(db, sql: "SELECT masteryMethod FROM referentialPolicy WHERE referentialId = ?",
                                         arguments: [id]).flatMap(MasteryMethod.init) ?? .default
        return MasteryCalculator(policy: MasteryPolicy(scale: scale, method: method))
    }

    /// What recording one evaluation needs, without loading the referential's tree: the node
    /// and the calculator. Keeps a teacher's click well under a millisecond. Without a version,
    /// the evaluation goes to the version the student's evidence is read in.
    func evaluationPoint(code: String, version: String?, competency: String, studentID: Int64,
                         in db: Database) throws -> (nodeID: Int64, calculator: MasteryCalculator) {
        let id = try version == nil && hasSeveralVersions(code, db)
            ? versionID(code: code, studentID: studentID, in: db) : id(code: code, version: version, in: db)
        guard let row = try Row.fetchOne(db, sql: "SELECT id, isEvaluable FROM referentialNode WHERE referentialId = ? AND code = ?",
                                         arguments: [id, competency])
        else { throw EvaluationError.unknownCompetency(code: competency, referential: code + (version.map { " \($0)" } ?? "")) }
        guard row[1] as Bool else { throw EvaluationError.notEvaluable(code: competency) }
        return (row[0], try calculator(referentialID: id, in: db))
    }

    private func hasSeveralVersions(_ code: String, _ db: Database) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM referential WHERE code = ?"), arguments: [code]) ?? 0 > 1
    }

    /// Chooses how a referential version computes masteries. The caller recomputes them.
    public func setPolicy(method: MasteryMethod, rollUp: RollUpRule, referentialID: Int64, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO referentialPolicy (referentialId, masteryMethod, rollUpRule) VALUES (?, ?, ?)
            ON CONFLICT (referentialId) DO UPDATE SET masteryMethod = excluded.masteryMethod, rollUpRule = excluded.rollUpRule
            """, arguments: [referentialID, method.description, rollUp.description])
    }
}
