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
