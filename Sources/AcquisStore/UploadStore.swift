import AcquisStorage
import Foundation
import GRDB

/// Files waiting for their preview to be confirmed. A day later they are gone: a preview
/// nobody confirmed is not kept, with the personal data it holds.
public struct UploadStore: Sendable {
    public static let lifetime: TimeInterval = 24 * 3600

    public init() {}

    public func save(_ kind: PendingUpload.Kind, schoolID: Int64, fileName: String, content: [UInt8], uploadedBy: String,
                     at date: Date, in db: any SQLConnection) throws -> Int64 {
        try removeExpired(now: date, in: db)
        try db.run(sql: """
            INSERT INTO pendingUpload (kind, schoolId, fileName, content, uploadedBy, uploadedAt) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, schoolID, fileName, Data(content), uploadedBy, date])
        return (try db.insertedID())
    }

    public func upload(id: Int64, now: Date, in db: any SQLConnection) throws -> PendingUpload? {
        try db.row(sql: "SELECT * FROM pendingUpload WHERE id = ? AND uploadedAt > ?",
                         arguments: [id, now.addingTimeInterval(-Self.lifetime)]).flatMap { row in
            guard let kind = PendingUpload.Kind(rawValue: row["kind"]) else { return nil }
            return PendingUpload(id: row["id"], kind: kind, schoolID: row["schoolId"], fileName: row["fileName"],
                                 content: [UInt8](row["content"] as Data), uploadedBy: row["uploadedBy"], uploadedAt: row["uploadedAt"])
        }
    }

    /// Forgets every file older than a day: previews nobody confirmed, letters and their codes.
    public func removeExpired(now: Date, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM pendingUpload WHERE uploadedAt <= ?", arguments: [now.addingTimeInterval(-Self.lifetime)])
    }

    public func remove(id: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM pendingUpload WHERE id = ?", arguments: [id])
    }
}
