import AcquisStorage
import AcquisCore
import AcquisGrading
import Foundation
import GRDB

/// Records evaluations and keeps the masteries they affect up to date. Every method works
/// inside the caller's database access: recording and updating masteries is one transaction.
public struct EvaluationStore: Sendable {
    public init() {}

    /// Records one evaluation and recomputes the mastery it affects. Returns its id and that
    /// mastery. `today` bounds the observation's day: nothing is observed in the future.
    /// `studentID`, when the caller already looked the student up, spares a second lookup on
    /// each click.
    @discardableResult
    public func record(_ entry: EvaluationEntry, studentID: Int64? = nil, recordedBy: String?, at date: Date = Date(),
                       today: CalendarDate = .today, in db: any SQLConnection) throws -> RecordedEvaluation {
        if let problem = entry.observedOn.observationProblem(today: today) { throw EvaluationError.invalidObservationDate(problem) }
        // The student, the competency's versions and their scales, read together: one round
        // trip to a server instead of three, on the path of every click.
        let pointQueries = ReferentialStore.evaluationPointQueries(code: entry.referentialCode, competency: entry.competencyCode)
        var answers = try db.rows(of: (studentID == nil ? [SchoolStore.idQuery(entry.student)] : []) + pointQueries)
        let studentID = try studentID ?? SchoolStore.studentID(in: answers.removeFirst(), reference: entry.student)
        let point = try ReferentialStore().evaluationPoint(
            from: answers, code: entry.referentialCode, version: entry.referentialVersion, competency: entry.competencyCode,
            studentID: studentID, in: db)
        var entry = entry
        entry.code = try ReferentialTarget.canonicalCode(entry.code, on: point.calculator.policy.scale, asOverride: entry.isOverride)
        // The insert goes with the read of the evidence it adds to: one round trip.
        let (mastery, inserted) = try MasteryStore().update(
            studentID: studentID, nodeID: point.nodeID, calculator: point.calculator, isContinued: point.isContinued, now: date,
            cause: .newEvidence, after: Self.insertion(entry, studentID: studentID, nodeID: point.nodeID, recordedBy: recordedBy, at: date),
            in: db)
        // An insert that did not throw returns its one row.
        return RecordedEvaluation(id: inserted[0][0], mastery: mastery)
    }

    /// The insert of an evaluation, returning its id.
    static func insertion(_ entry: EvaluationEntry, studentID: Int64, nodeID: Int64, recordedBy: String?, at date: Date) -> SQLQuery {
        SQLQuery(insertSQL + " RETURNING id", arguments: [
            studentID, nodeID, entry.code, entry.observedOn.iso, entry.context.kindName, entry.context.company,
            entry.context.tutor, entry.evaluator, entry.comment, entry.evidence, entry.isOverride, date, recordedBy,
        ])
    }

    static let insertColumns = ["studentId", "nodeId", "code", "observedOn", "context", "company", "tutor", "evaluator", "comment",
                                "evidence", "isOverride", "recordedAt", "recordedBy"]
    static let insertSQL = PortableInsert.sql(into: "evaluation", columns: insertColumns, rows: 1, onConflict: nil)

    /// Changes an evaluation; the version before the change stays in its history. Returns
    /// false when the correction gives the values the evaluation already has: nothing changes.
    @discardableResult
    public func correct(_ id: Int64, with correction: EvaluationCorrection, by author: String, reason: String? = nil,
                        at date: Date = Date(), today: CalendarDate = .today, in db: any SQLConnection) throws -> Bool {
        if let problem = correction.observedOn?.observationProblem(today: today) {
            throw EvaluationError.invalidObservationDate(problem)
        }
        let (before, row) = try snapshot(id, db)
        guard !before.withdrawn else { throw EvaluationError.alreadyWithdrawn(id) }
        let calculator = try ReferentialStore().calculator(referentialID: row.referentialID, in: db)
        var after = before
        if let code = correction.code {
            after.code = try ReferentialTarget.canonicalCode(code, on: calculator.policy.scale, asOverride: before.isOverride)
        }
        if let observedOn = correction.observedOn { after.observedOn = observedOn.iso }
        if let context = correction.context {
            after.context = context.kindName
            after.company = context.company
            after.tutor = context.tutor
        }
        if let comment = correction.comment { after.comment = comment.isEmpty ? nil : comment }
        if let evidence = correction.evidence { after.evidence = evidence.isEmpty ? nil : evidence }
        guard after != before else { return false }
        try db.run(sql: """
            UPDATE evaluation SET code = ?, observedOn = ?, context = ?, company = ?, tutor = ?, comment = ?, evidence = ?
            WHERE id = ?
            """, arguments: [after.code, after.observedOn, after.context, after.company, after.tutor, after.comment,
                             after.evidence, id])
        try log(.correction, id: id, before: before, after: after, by: author, reason: reason, at: date, db)
        try MasteryStore().update(studentID: row.studentID, nodeID: row.nodeID, calculator: calculator, now: date,
                                  cause: .correction, in: db)
        return true
    }

    /// Takes an evaluation out of every computation. Its row and history stay.
    public func withdraw(_ id: Int64, by author: String, reason: String? = nil, at date: Date = Date(),
                         in db: any SQLConnection) throws {
        let (before, row) = try snapshot(id, db)
        guard !before.withdrawn else { throw EvaluationError.alreadyWithdrawn(id) }
        var after = before
        after.withdrawn = true
        try db.run(sql: "UPDATE evaluation SET withdrawnAt = ? WHERE id = ?", arguments: [date, id])
        try log(.withdrawal, id: id, before: before, after: after, by: author, reason: reason, at: date, db)
        let calculator = try ReferentialStore().calculator(referentialID: row.referentialID, in: db)
        try MasteryStore().update(studentID: row.studentID, nodeID: row.nodeID, calculator: calculator, now: date,
                                  cause: .withdrawal, in: db)
    }

    /// Every change of an evaluation, oldest first.
    /// Throws for an evaluation that does not exist: « never changed » would be false comfort.
    public func history(of id: Int64, in db: any SQLConnection) throws -> [EvaluationChange] {
        guard try db.value(Bool.self, sql: "SELECT 1 FROM evaluation WHERE id = ?", arguments: [id]) ?? false else {
            throw EvaluationError.unknownEvaluation(id)
        }
        let decoder = JSONDecoder()
        return try db.rows(sql: "SELECT * FROM evaluationChange WHERE evaluationId = ? ORDER BY id",
                                arguments: [id]).map { row in
            EvaluationChange(kind: EvaluationChange.Kind(rawValue: row["kind"]) ?? .correction, changedAt: row["changedAt"],
                             changedBy: row["changedBy"],
                             before: try decoder.decode(EvaluationSnapshot.self, from: Data((row["before"] as String).utf8)),
                             after: try decoder.decode(EvaluationSnapshot.self, from: Data((row["after"] as String).utf8)),
                             reason: row["reason"])
        }
    }

    private struct Located {
        var studentID: Int64
        var nodeID: Int64
        var referentialID: Int64
    }

    private func snapshot(_ id: Int64, _ db: any SQLConnection) throws -> (EvaluationSnapshot, Located) {
        guard let row = try db.row(sql: """
            SELECT e.*, n.referentialId FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId WHERE e.id = ?
            """, arguments: [id])
        else { throw EvaluationError.unknownEvaluation(id) }
        let snapshot = EvaluationSnapshot(code: row["code"], observedOn: row["observedOn"], context: row["context"],
                                          company: row["company"], tutor: row["tutor"], comment: row["comment"],
                                          evidence: row["evidence"], isOverride: row["isOverride"],
                                          withdrawn: !row.isNull("withdrawnAt"))
        return (snapshot, Located(studentID: row["studentId"], nodeID: row["nodeId"], referentialID: row["referentialId"]))
    }

    private func log(_ kind: EvaluationChange.Kind, id: Int64, before: EvaluationSnapshot, after: EvaluationSnapshot,
                     by author: String, reason: String?, at date: Date, _ db: any SQLConnection) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try db.run(sql: """
            INSERT INTO evaluationChange (evaluationId, changedAt, changedBy, kind, before, after, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, date, author, kind.rawValue, String(decoding: try encoder.encode(before), as: UTF8.self),
                             String(decoding: try encoder.encode(after), as: UTF8.self), reason])
    }

    // MARK: - Reading

    /// The student an evaluation is about; nil when there is no such evaluation.
    public func studentID(ofEvaluation id: Int64, in db: any SQLConnection) throws -> Int64? {
        try db.value(Int64.self, sql: "SELECT studentId FROM evaluation WHERE id = ?", arguments: [id])
    }

    /// A student's evaluations on the nodes of one referential version (withdrawn ones
    /// included, marked), oldest observation first; with those made under earlier versions
    /// on the competencies these nodes continue, under the code of the node they count for
    /// and marked with their version (``StoredEvaluation/earlierVersion``).
    public func evaluations(studentID: Int64, referentialID: Int64, in db: any SQLConnection) throws -> [StoredEvaluation] {
        try db.rows(sql: """
            \(Lineage.cte(seed: "SELECT id FROM referentialNode WHERE referentialId = ?"))
            SELECT \(Self.observationColumns(of: "e")), e.id, e.studentId, e.nodeId, e.comment, e.evidence, e.productionId, e.recordedAt,
                   e.recordedBy, e.withdrawnAt, n.code AS nodeCode,
                   CASE WHEN lineage.sourceId <> lineage.nodeId THEN
                       (SELECT r.version FROM referentialNode s JOIN referential r ON r.id = s.referentialId WHERE s.id = e.nodeId)
                   END AS earlierVersion
            FROM lineage JOIN evaluation e ON e.nodeId = lineage.sourceId AND e.studentId = ?
            JOIN referentialNode n ON n.id = lineage.nodeId
            ORDER BY e.observedOn, e.id, n.id
            """, arguments: [referentialID, studentID]).map(Self.evaluation(from:))
    }

    /// A student's evidence in force across referentials, most recent observation first, with
    /// the referential code of each: the history a teacher reads.
    public func recentEvidence(studentID: Int64, limit: Int, in db: any SQLConnection)
        throws -> [(referentialCode: String, evaluation: StoredEvaluation)]
    {
        try evidence(studentID: studentID, condition: "", arguments: [], limit: limit, db)
    }

    /// Every observation of a student on a competency (by referential and competency code,
    /// whatever the version), newest first.
    public func evidence(studentID: Int64, referentialCode: String, competencyCode: String, in db: any SQLConnection) throws -> [StoredEvaluation] {
        try evidence(studentID: studentID, condition: "AND r.code = ? AND n.code = ?", arguments: [referentialCode, competencyCode],
                     limit: nil, db).map(\.evaluation)
    }

    private func evidence(studentID: Int64, condition: String, arguments: SQLArguments, limit: Int?, _ db: any SQLConnection)
        throws -> [(referentialCode: String, evaluation: StoredEvaluation)]
    {
        try db.rows(sql: """
            SELECT \(Self.observationColumns(of: "e")), e.id, e.studentId, e.nodeId, e.comment, e.evidence, e.productionId, e.recordedAt,
                   e.recordedBy, e.withdrawnAt, n.code AS nodeCode, r.code AS referentialCode
            FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId JOIN referential r ON r.id = n.referentialId
            WHERE e.studentId = ? AND e.withdrawnAt IS NULL \(condition) ORDER BY e.observedOn DESC, e.id DESC
            \(limit == nil ? "" : "LIMIT ?")
            """, arguments: [studentID] + arguments + SQLArguments(limit.map { [$0] } ?? [])).map { ($0["referentialCode"], Self.evaluation(from: $0)) }
    }

    static func evaluation(from row: SQLRow) -> StoredEvaluation {
        StoredEvaluation(id: row["id"], studentID: row["studentId"], nodeID: row["nodeId"], competencyCode: row["nodeCode"],
                         observation: observation(from: row), comment: row["comment"], evidence: row["evidence"],
                         recordedAt: row["recordedAt"], recordedBy: row["recordedBy"], withdrawnAt: row["withdrawnAt"],
                         earlierVersion: row.hasColumn("earlierVersion") ? row["earlierVersion"] : nil,
                         productionID: row.hasColumn("productionId") ? row["productionId"] : nil)
    }

    /// What an observation is read from, in the order ``observation(from:at:)`` reads them.
    static func observationColumns(of table: String? = nil) -> String {
        let prefix = table.map { "\($0)." } ?? ""
        return ["code", "observedOn", "context", "company", "tutor", "evaluator", "isOverride"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    /// Reads the ``observationColumns(of:)`` found from position `offset` on. Positions, not
    /// names: recomputing every mastery reads millions of rows through here.
    static func observation(from row: SQLRow, at offset: Int = 0) -> Observation {
        let context = EvaluationContext(kindName: row.text(offset + 2) ?? "", company: row.text(offset + 3), tutor: row.text(offset + 4)) ?? .classe
        return Observation(date: day(row.text(offset + 1) ?? ""), code: row.text(offset) ?? "", context: context,
                           evaluator: row.text(offset + 5), isOverride: row.flag(offset + 6))
    }

    /// What a level needs, without who observed and where (company, tutor): what readers of
    /// a whole school's evidence decode, millions of rows at a time.
    static let levelColumns = "code, observedOn, context, isOverride"

    /// Reads the ``levelColumns`` found from position `offset` on.
    static func levelObservation(from row: SQLRow, at offset: Int) -> Observation {
        Observation(date: day(row.text(offset + 1) ?? ""), code: row.text(offset) ?? "",
                    context: EvaluationContext(kindName: row.text(offset + 2) ?? "") ?? .classe, isOverride: row.flag(offset + 3))
    }

    private static func day(_ iso: String) -> CalendarDate {
        CalendarDate(iso: iso) ?? CalendarDate(dayNumber: 0)
    }
}
