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
        let referential = try fetch(id: id, in: db)
        var nodes: [String: (Int64, Bool)] = [:]
        for row in try db.rows(sql: "SELECT id, code, isEvaluable FROM referentialNode WHERE referentialId = ?",
                                    arguments: [id]) {
            nodes[row[1]] = (row[0], row[2])
        }
        let rule = try db.value(String.self, sql: "SELECT rollUpRule FROM referentialPolicy WHERE referentialId = ?",
                                       arguments: [id]).flatMap(RollUpRule.init) ?? .default(for: referential.kind)
        return ReferentialTarget(id: id, referential: referential, policy: try calculator(referentialID: id, in: db).policy,
                                 rollUpRule: rule, nodes: nodes)
    }

    /// The calculator of a referential version: its frozen scale and its method (the
    /// default unless one was chosen), without loading its tree.
    func calculator(referentialID id: Int64, in db: any SQLConnection) throws -> MasteryCalculator {
        guard let row = try db.row(sql: "SELECT code, scaleCode, scaleTitle FROM referential WHERE id = ?", arguments: [id])
        else { throw ReferentialStoreError.notFound(code: "#\(id)", version: nil) }
        let scale = try fetchScale(referentialID: id, code: row[1], title: row[2], db)
        guard !scale.levels.isEmpty else { throw ReferentialStoreError.missingScale(code: row[1]) }
        let method = try db.value(String.self, sql: "SELECT masteryMethod FROM referentialPolicy WHERE referentialId = ?",
                                         arguments: [id]).flatMap(MasteryMethod.init) ?? .default
        return MasteryCalculator(policy: MasteryPolicy(scale: scale, method: method))
    }

    /// What recording one evaluation needs, without loading the referential's tree: the node
    /// and the calculator. Keeps a teacher's click well under a millisecond. Without a version,
    /// the evaluation goes to the version the student's evidence is read in.
    func evaluationPoint(code: String, version: String?, competency: String, studentID: Int64,
                         in db: any SQLConnection) throws -> (nodeID: Int64, calculator: MasteryCalculator) {
        let id = try version == nil && hasSeveralVersions(code, db)
            ? versionID(code: code, studentID: studentID, in: db) : id(code: code, version: version, in: db)
        guard let row = try db.row(sql: "SELECT id, isEvaluable FROM referentialNode WHERE referentialId = ? AND code = ?",
                                         arguments: [id, competency])
        else { throw EvaluationError.unknownCompetency(code: competency, referential: code + (version.map { " \($0)" } ?? "")) }
        guard row[1] as Bool else { throw EvaluationError.notEvaluable(code: competency) }
        return (row[0], try calculator(referentialID: id, in: db))
    }

    private func hasSeveralVersions(_ code: String, _ db: any SQLConnection) throws -> Bool {
        try db.value(Int.self, sql: "SELECT COUNT(*) FROM referential WHERE code = ?", arguments: [code]) ?? 0 > 1
    }

    /// Chooses how a referential version computes masteries. The caller recomputes them.
    public func setPolicy(method: MasteryMethod, rollUp: RollUpRule, referentialID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO referentialPolicy (referentialId, masteryMethod, rollUpRule) VALUES (?, ?, ?)
            ON CONFLICT (referentialId) DO UPDATE SET masteryMethod = excluded.masteryMethod, rollUpRule = excluded.rollUpRule
            """, arguments: [referentialID, method.description, rollUp.description])
    }
}
