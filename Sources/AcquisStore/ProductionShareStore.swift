import AcquisCore
import AcquisStorage
import Foundation

/// Public links to productions a student chose to show.
struct ProductionShareStore: ProductionShareRepository {
    let db: any SQLConnection

    func create(studentID: Int64, productionIDs: [Int64], expiresOn: CalendarDate, showsFirstName: Bool, linkHash: String,
                at date: Date) throws -> Int64 {
        let id = try db.value(Int64.self, sql: """
            INSERT INTO productionShare (studentId, linkHash, expiresOn, showsFirstName, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id
            """, arguments: [studentID, linkHash, expiresOn.iso, showsFirstName, date])!
        for productionID in Set(productionIDs) {
            try db.run(sql: "INSERT INTO productionShareItem (productionShareId, productionId) VALUES (?, ?)", arguments: [id, productionID])
        }
        return id
    }

    func share(_ id: Int64) throws -> ProductionShare? {
        try shares(filter: "s.id = ?", arguments: [id]).first
    }

    func share(linkHash: String) throws -> ProductionShare? {
        try shares(filter: "s.linkHash = ?", arguments: [linkHash]).first
    }

    func shares(studentID: Int64) throws -> [ProductionShare] {
        try shares(filter: "s.studentId = ?", arguments: [studentID])
    }

    func revoke(_ id: Int64, at date: Date) throws {
        try db.run(sql: "UPDATE productionShare SET revokedAt = COALESCE(revokedAt, ?) WHERE id = ?", arguments: [date, id])
    }

    func giveEvidenceKeys(_ keys: [Int64: String]) throws {
        for (id, key) in keys.sorted(by: { $0.key < $1.key }) {
            try db.run(sql: "UPDATE production SET evidenceKey = COALESCE(evidenceKey, ?) WHERE id = ?", arguments: [key, id])
        }
    }

    func sharedProductionID(evidenceKey: String, openOn day: CalendarDate) throws -> Int64? {
        try db.value(Int64.self, sql: """
            SELECT p.id FROM production p WHERE p.evidenceKey = ? AND \(Self.openlyShared)
            """, arguments: [evidenceKey, day.iso])
    }

    func citedProductions(studentID: Int64, referentialID: Int64, nodeCode: String, observedBy lastDay: CalendarDate,
                          openOn day: CalendarDate) throws -> [CitedProduction] {
        try db.rows(sql: """
            WITH RECURSIVE under(id, code) AS (
                SELECT id, code FROM referentialNode WHERE referentialId = ? AND code = ?
                UNION ALL SELECT n.id, n.code FROM referentialNode n JOIN under u ON n.parentId = u.id)
            SELECT p.title, p.day, CASE WHEN \(Self.openlyShared) THEN p.evidenceKey END AS sharedKey
            FROM production p WHERE p.studentId = ? AND p.id IN (
                SELECT e.productionId FROM evaluation e
                JOIN referentialNode n ON n.id = e.nodeId JOIN referential f ON f.id = n.referentialId
                WHERE e.studentId = ? AND e.withdrawnAt IS NULL AND e.observedOn <= ?
                  AND f.code = (SELECT code FROM referential WHERE id = ?) AND n.code IN (SELECT code FROM under))
            ORDER BY p.day, p.id
            """, arguments: [referentialID, nodeCode, day.iso, studentID, studentID, lastDay.iso, referentialID]).map { row in
            CitedProduction(title: row["title"], day: CalendarDate(iso: row["day"]) ?? CalendarDate(dayNumber: 0),
                            sharedKey: row["sharedKey"])
        }
    }

    /// A production `p` in a link neither withdrawn nor expired on the day bound first.
    private static let openlyShared = """
        EXISTS (SELECT 1 FROM productionShareItem i JOIN productionShare s ON s.id = i.productionShareId
                WHERE i.productionId = p.id AND s.revokedAt IS NULL AND s.expiresOn >= ?)
        """

    private func shares(filter: String, arguments: SQLArguments) throws -> [ProductionShare] {
        var items: [Int64: [Int64]] = [:]
        for row in try db.rows(sql: """
            SELECT i.productionShareId, i.productionId FROM productionShareItem i JOIN productionShare s ON s.id = i.productionShareId
            WHERE \(filter) ORDER BY i.productionId
            """, arguments: arguments) {
            items[row["productionShareId"], default: []].append(row["productionId"])
        }
        return try db.rows(sql: """
            SELECT s.id, s.studentId, s.expiresOn, CASE WHEN s.showsFirstName THEN 1 ELSE 0 END AS showsFirstName, s.revokedAt, s.createdAt
            FROM productionShare s WHERE \(filter) ORDER BY s.createdAt DESC, s.id DESC
            """, arguments: arguments).map { row in
            let id: Int64 = row["id"]
            return ProductionShare(id: id, studentID: row["studentId"], productionIDs: items[id] ?? [],
                                   expiresOn: CalendarDate(iso: row["expiresOn"]) ?? CalendarDate(dayNumber: 0),
                                   showsFirstName: (row["showsFirstName"] as Int) != 0, revokedAt: row["revokedAt"], createdAt: row["createdAt"])
        }
    }
}
