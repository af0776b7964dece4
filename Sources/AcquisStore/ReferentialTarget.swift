import AcquisStorage
import AcquisCore
import AcquisGrading
import GRDB

extension ReferentialStore {
    /// Loads a referential version for recording and computing evaluations.
    public func target(code: String, version: String? = nil, in db: any SQLConnection) throws -> ReferentialTarget {
        try target(id: id(code: code, version: version, in: db), in: db)
    }

    public func target(id: Int64, in db: any SQLConnection) throws -> ReferentialTarget {
        let (stored, extra) = try fetchStored(id: id, alongside: [
            SQLQuery("SELECT masteryMethod, rollUpRule FROM referentialPolicy WHERE referentialId = ?", arguments: [id]),
        ], db)
        let policy = extra[0].first
        let rule = (policy?[1] as String?).flatMap(RollUpRule.init) ?? .default(for: stored.referential.kind)
        return ReferentialTarget(id: id, referential: stored.referential,
                                 policy: try Self.calculator(scale: stored.scale, method: policy?[0]).policy, rollUpRule: rule,
                                 nodes: stored.nodes)
    }

    /// The calculator of a referential version: its frozen scale and its method (the
    /// default unless one was chosen), without loading its tree.
    func calculator(referentialID id: Int64, in db: any SQLConnection) throws -> MasteryCalculator {
        guard let row = try db.row(sql: """
            SELECT r.scaleCode, r.scaleTitle, p.masteryMethod FROM referential r
            LEFT JOIN referentialPolicy p ON p.referentialId = r.id WHERE r.id = ?
            """, arguments: [id])
        else { throw ReferentialStoreError.notFound(code: "#\(id)", version: nil) }
        return try calculator(referentialID: id, scaleCode: row[0], scaleTitle: row[1], method: row[2], db)
    }

    private func calculator(referentialID id: Int64, scaleCode: String, scaleTitle: String, method: String?,
                            _ db: any SQLConnection) throws -> MasteryCalculator {
        try Self.calculator(scale: fetchScale(referentialID: id, code: scaleCode, title: scaleTitle, db), method: method)
    }

    private static func calculator(scale: Scale, method: String?) throws -> MasteryCalculator {
        guard !scale.levels.isEmpty else { throw ReferentialStoreError.missingScale(code: scale.code) }
        return MasteryCalculator(policy: MasteryPolicy(scale: scale, method: method.flatMap(MasteryMethod.init) ?? .default))
    }

    /// Where one evaluation is recorded: its node, the calculator of the node's referential
    /// version, and whether a later version continues the node.
    struct EvaluationPoint {
        var nodeID: Int64
        var calculator: MasteryCalculator
        var isContinued: Bool
    }

    /// The queries ``evaluationPoint(from:code:version:competency:studentID:in:)`` reads, which
    /// a caller may send with queries of its own: every version of the referential, each with
    /// the competency when it has it; the scales of every version.
    static func evaluationPointQueries(code: String, competency: String) -> [SQLQuery] {
        [
            SQLQuery("""
                SELECT r.id, r.version, n.id AS nodeId, n.isEvaluable, r.scaleCode, r.scaleTitle, p.masteryMethod,
                       EXISTS (SELECT 1 FROM competencyLink l WHERE l.sourceNodeId = n.id) AS isContinued
                FROM referential r
                LEFT JOIN referentialNode n ON n.referentialId = r.id AND n.code = ?
                LEFT JOIN referentialPolicy p ON p.referentialId = r.id
                WHERE r.code = ?
                """, arguments: [competency, code]),
            scalesQuery(code: code),
        ]
    }

    /// What recording one evaluation needs, without loading the referential's tree, from the
    /// answers to ``evaluationPointQueries(code:competency:)``: one read (one round trip to an
    /// académie's server) for a referential of one version. Without a version, the evaluation
    /// goes to the version the student's evidence is read in.
    func evaluationPoint(from answers: [[SQLRow]], code: String, version: String?, competency: String, studentID: Int64,
                         in db: any SQLConnection) throws -> EvaluationPoint {
        let (rows, scales) = (answers[0], answers[1])
        let versions = rows.map { (id: $0[0] as Int64, version: $0[1] as String) }
        let id = try version == nil && versions.count > 1
            ? versionID(code: code, studentID: studentID, in: db) : self.id(code: code, version: version, among: versions)
        guard let row = rows.first(where: { $0[0] == id }), !row.values[2].isNull
        else { throw EvaluationError.unknownCompetency(code: competency, referential: code + (version.map { " \($0)" } ?? "")) }
        guard row[3] as Bool else { throw EvaluationError.notEvaluable(code: competency) }
        let scale = Self.scale(from: scales.filter { $0["referentialId"] == id }, code: row[4], title: row[5])
        return EvaluationPoint(nodeID: row[2], calculator: try Self.calculator(scale: scale, method: row[6]), isContinued: row[7])
    }

    /// Chooses how a referential version computes masteries. The caller recomputes them.
    public func setPolicy(method: MasteryMethod, rollUp: RollUpRule, referentialID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO referentialPolicy (referentialId, masteryMethod, rollUpRule) VALUES (?, ?, ?)
            ON CONFLICT (referentialId) DO UPDATE SET masteryMethod = excluded.masteryMethod, rollUpRule = excluded.rollUpRule
            """, arguments: [referentialID, method.description, rollUp.description])
    }
}
