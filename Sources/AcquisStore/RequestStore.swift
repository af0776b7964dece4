import AcquisStorage
import AcquisCore
import Foundation
import GRDB

/// The queue of evaluation requests: students ask, teachers answer.
public struct RequestStore: Sendable {
    public init() {}

    @discardableResult
    public func request(studentID: Int64, target: ReferentialTarget, competency: String, message: String?,
                        at date: Date = Date(), in db: any SQLConnection) throws -> Int64 {
        let nodeID = try target.evaluableNode(competency)
        try db.run(sql: """
            INSERT INTO evaluationRequest (studentId, nodeId, message, requestedAt, status) VALUES (?, ?, ?, ?, ?)
            """, arguments: [studentID, nodeID, message, date, EvaluationRequest.Status.open.rawValue])
        return (try db.insertedID())
    }

    public func answer(_ id: Int64, status: EvaluationRequest.Status, answer: String?, by teacher: String,
                       at date: Date = Date(), in db: any SQLConnection) throws {
        try db.run(sql: """
            UPDATE evaluationRequest SET status = ?, answer = ?, answeredBy = ?, answeredAt = ? WHERE id = ?
            """, arguments: [status.rawValue, answer, teacher, date, id])
        guard db.changedRows == 1 else { throw EvaluationError.unknownRequest(id) }
    }

    /// Open requests of the given students (a class), oldest first: the teacher's queue.
    /// The student who made a request; nil for an unknown request.
    public func studentID(ofRequest id: Int64, in db: any SQLConnection) throws -> Int64? {
        try db.value(Int64.self, sql: "SELECT studentId FROM evaluationRequest WHERE id = ?", arguments: [id])
    }

    public func openRequests(studentIDs: [Int64], in db: any SQLConnection) throws -> [EvaluationRequest] {
        try requests(filter: "r.status = 'ouverte' AND r.studentId IN (SELECT value FROM json_each(?))",
                     arguments: [String(describing: studentIDs)], db)
    }

    /// Every request of one student, newest first: what the student sees.
    public func requests(studentID: Int64, in db: any SQLConnection) throws -> [EvaluationRequest] {
        try requests(filter: "r.studentId = ?", arguments: [studentID], db).reversed()
    }

    private func requests(filter: String, arguments: SQLArguments, _ db: any SQLConnection) throws -> [EvaluationRequest] {
        try db.rows(sql: """
            SELECT r.*, s.lastName, s.firstName, n.code AS nodeCode, n.title AS nodeTitle, f.code AS referentialCode
            FROM evaluationRequest r JOIN student s ON s.id = r.studentId
            JOIN referentialNode n ON n.id = r.nodeId JOIN referential f ON f.id = n.referentialId
            WHERE \(filter) ORDER BY r.requestedAt, r.id
            """, arguments: arguments).map { row in
            EvaluationRequest(id: row["id"], studentID: row["studentId"],
                              studentName: Student(lastName: row["lastName"], firstName: row["firstName"]).displayName,
                              referentialCode: row["referentialCode"], competencyCode: row["nodeCode"],
                              competencyTitle: row["nodeTitle"], message: row["message"], requestedAt: row["requestedAt"],
                              status: EvaluationRequest.Status(rawValue: row["status"]) ?? .open,
                              answer: row["answer"], answeredBy: row["answeredBy"])
        }
    }
}
