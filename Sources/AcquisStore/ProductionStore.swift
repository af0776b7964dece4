import AcquisCore
import AcquisStorage
import Foundation

/// Productions and their files, in the database: one backup, one copy to PostgreSQL, one
/// transaction for a production and its competencies.
public struct ProductionStore: Sendable {
    public init() {}

    public func add(_ new: NewProduction, in db: any SQLConnection) throws -> Int64 {
        let id = try db.value(Int64.self, sql: """
            INSERT INTO production (studentId, title, day, context, kind, mediaType, byteCount, content, thumbnail, addedBy, addedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, arguments: [new.studentID, new.title, new.day.iso, new.context.rawValue, new.kind.rawValue, new.mediaType,
                             new.content.count, new.content, new.thumbnail, new.addedBy, new.addedAt])!
        for nodeID in Set(new.nodeIDs) {
            try db.run(sql: "INSERT INTO productionCompetency (productionId, nodeId) VALUES (?, ?)", arguments: [id, nodeID])
        }
        return id
    }

    public func production(_ id: Int64, in db: any SQLConnection) throws -> Production? {
        try productions(filter: "p.id = ?", arguments: [id], db).first
    }

    public func productions(studentID: Int64, in db: any SQLConnection) throws -> [Production] {
        try productions(filter: "p.studentId = ?", arguments: [studentID], db)
    }

    public func file(_ id: Int64, thumbnail: Bool, in db: any SQLConnection) throws -> (mediaType: String, content: Data)? {
        guard let row = try db.row(sql: "SELECT mediaType, kind, \(thumbnail ? "thumbnail" : "content") AS bytes FROM production WHERE id = ?",
                                   arguments: [id]),
              let bytes = row["bytes"] as Data? else { return nil }
        // A thumbnail is a JPEG but for pictures kept as PNG (a video's first frame is a JPEG too).
        let type: String = thumbnail ? (row["mediaType"] as String == "image/png" ? "image/png" : "image/jpeg") : row["mediaType"]
        return (type, bytes)
    }

    public func storedBytes(studentID: Int64, in db: any SQLConnection) throws -> Int {
        try db.value(Int.self, sql: """
            SELECT CAST(COALESCE(SUM(byteCount + COALESCE(LENGTH(thumbnail), 0)), 0) AS BIGINT) FROM production WHERE studentId = ?
            """, arguments: [studentID]) ?? 0
    }

    public func setReflection(_ id: Int64, text: String?, in db: any SQLConnection) throws {
        let words = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.run(sql: "UPDATE production SET reflection = ? WHERE id = ?", arguments: [words?.isEmpty == false ? words : nil, id])
    }

    /// The evaluations' evidence becomes the production: its id, and its title in words, so
    /// that every list of evidence names it.
    public func cite(_ id: Int64, inEvaluations evaluationIDs: [Int64], in db: any SQLConnection) throws {
        guard let title = try db.value(String.self, sql: "SELECT title FROM production WHERE id = ?", arguments: [id]) else { return }
        for evaluationID in evaluationIDs {
            try db.run(sql: "UPDATE evaluation SET productionId = ?, evidence = ? WHERE id = ?",
                       arguments: [id, "Production « \(title) »", evaluationID])
        }
    }

    private func productions(filter: String, arguments: SQLArguments, _ db: any SQLConnection) throws -> [Production] {
        var competencies: [Int64: [CompetencyRef]] = [:]
        for row in try db.rows(sql: """
            SELECT pc.productionId, f.code AS referentialCode, n.code, n.title
            FROM productionCompetency pc JOIN production p ON p.id = pc.productionId
            JOIN referentialNode n ON n.id = pc.nodeId JOIN referential f ON f.id = n.referentialId
            WHERE \(filter) ORDER BY f.code, n.position, n.code
            """, arguments: arguments) {
            competencies[row["productionId"], default: []].append(
                CompetencyRef(referentialCode: row["referentialCode"], code: row["code"], title: row["title"]))
        }
        return try db.rows(sql: """
            SELECT p.id, p.studentId, p.title, p.day, p.context, p.kind, p.mediaType, p.byteCount,
                   CASE WHEN p.thumbnail IS NULL THEN 0 ELSE 1 END AS hasThumbnail, p.reflection, p.addedBy, p.addedAt
            FROM production p WHERE \(filter) ORDER BY p.day DESC, p.id DESC
            """, arguments: arguments).map { row in
            let id: Int64 = row["id"]
            return Production(id: id, studentID: row["studentId"], title: row["title"],
                              day: CalendarDate(iso: row["day"]) ?? CalendarDate(dayNumber: 0),
                              context: ProductionContext(rawValue: row["context"]) ?? .classe,
                              kind: ProductionKind(rawValue: row["kind"]) ?? .pdf, mediaType: row["mediaType"],
                              byteCount: row["byteCount"], hasThumbnail: (row["hasThumbnail"] as Int) != 0,
                              competencies: competencies[id] ?? [], reflection: row["reflection"],
                              addedBy: row["addedBy"], addedAt: row["addedAt"])
        }
    }
}

struct SQLProductionRepository: ProductionRepository {
    let db: any SQLConnection

    func add(_ production: NewProduction) throws -> Int64 { try ProductionStore().add(production, in: db) }
    func production(_ id: Int64) throws -> Production? { try ProductionStore().production(id, in: db) }
    func productions(studentID: Int64) throws -> [Production] { try ProductionStore().productions(studentID: studentID, in: db) }
    func file(_ id: Int64, thumbnail: Bool) throws -> (mediaType: String, content: Data)? { try ProductionStore().file(id, thumbnail: thumbnail, in: db) }
    func storedBytes(studentID: Int64) throws -> Int { try ProductionStore().storedBytes(studentID: studentID, in: db) }
    func setReflection(_ id: Int64, text: String?) throws { try ProductionStore().setReflection(id, text: text, in: db) }
    func cite(_ id: Int64, inEvaluations evaluationIDs: [Int64]) throws { try ProductionStore().cite(id, inEvaluations: evaluationIDs, in: db) }
}
