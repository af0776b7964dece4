import AcquisStorage
import Foundation
import GRDB

/// The first run: whether the database is still blank, the one-time setup link (kept as a
/// hash, so that a copy of the database does not open it), and the school it creates.
public struct SetupStore: Sendable {
    public init() {}

    /// No school and no account yet.
    public func isBlank(in db: any SQLConnection) throws -> Bool {
        try !db.value(Bool.self, sql: "SELECT EXISTS (SELECT 1 FROM school) OR EXISTS (SELECT 1 FROM account)")!
    }

    /// Keeps a new link's hash; every earlier link stops working.
    public func saveToken(hash: String, expiresAt: Date, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM setupToken")
        try db.run(sql: "INSERT INTO setupToken (hash, expiresAt) VALUES (?, ?)", arguments: [hash, expiresAt])
    }

    /// Whether a link is live at `now`.
    public func tokenIsLive(hash: String, now: Date, in db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT EXISTS (SELECT 1 FROM setupToken WHERE hash = ? AND expiresAt > ?)",
                          arguments: [hash, now])!
    }

    /// Uses a live link up: true once, false for an unknown, used or expired one.
    public func consumeToken(hash: String, now: Date, in db: any SQLConnection) throws -> Bool {
        try db.run(sql: "DELETE FROM setupToken WHERE hash = ? AND expiresAt > ?", arguments: [hash, now])
        return db.changedRows == 1
    }

    /// Adds a school with its name; a UAI already known is refused.
    public func createSchool(uai: String, name: String, in db: any SQLConnection) throws -> Int64 {
        if try db.value(Int64.self, sql: "SELECT id FROM school WHERE uai = ?", arguments: [uai]) != nil {
            throw SchoolStoreError.schoolExists(uai)
        }
        try db.run(sql: "INSERT INTO school (uai, name) VALUES (?, ?)", arguments: [uai, name])
        return (try db.insertedID())
    }
}
