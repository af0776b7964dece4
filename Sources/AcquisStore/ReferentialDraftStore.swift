import AcquisCore
import AcquisStorage
import Foundation
import GRDB

public struct ReferentialDraftStore: Sendable {
    public init() {}

    public func save(fileName: String, content: [UInt8], format: String? = nil, settings: ReferentialSettings = .init(),
                     uploadedBy: String, at date: Date = Date(), in db: any SQLConnection) throws -> Int64 {
        try db.run(sql: """
            INSERT INTO referentialDraft (fileName, content, format, settings, uploadedBy, uploadedAt) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [fileName, Data(content), format, String(decoding: try JSONEncoder().encode(settings), as: UTF8.self),
                             uploadedBy, date])
        return (try db.insertedID())
    }

    public func draft(id: Int64, in db: any SQLConnection) throws -> ReferentialDraft? {
        try db.row(sql: "SELECT * FROM referentialDraft WHERE id = ?", arguments: [id]).map { row in
            let settings = (row["settings"] as String?).flatMap { try? JSONDecoder().decode(ReferentialSettings.self, from: Data($0.utf8)) }
            return ReferentialDraft(id: row["id"], fileName: row["fileName"], content: [UInt8](row["content"] as Data),
                                    uploadedBy: row["uploadedBy"], uploadedAt: row["uploadedAt"], publishedAs: row["publishedAsId"],
                                    format: row["format"], settings: settings ?? ReferentialSettings())
        }
    }

    public func markPublished(id: Int64, as referentialID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE referentialDraft SET publishedAsId = ? WHERE id = ?", arguments: [referentialID, id])
    }
}
