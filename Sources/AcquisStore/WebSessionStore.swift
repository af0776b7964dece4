import AcquisStorage
import Foundation
import GRDB

/// Web sessions kept in the database, so that a restart signs nobody out. How long they live
/// is ``SessionLifetime``'s decision; expired ones are removed here.
public struct WebSessionStore: Sendable {
    public var lifetime: SessionLifetime

    public init(lifetime: SessionLifetime = SessionLifetime()) {
        self.lifetime = lifetime
    }

    /// Creates a session of `accountID` (nil before sign-in); false when the key is taken.
    public func create(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String? = nil, now: Date = Date(),
                       in db: any SQLConnection) throws -> Bool {
        try removeExpired(now: now, in: db)
        try db.run(sql: """
            INSERT INTO webSession (key, value, accountId, expiresAt, lastSeenAt, ssoTicket) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING
            """, arguments: [key, value, accountID, expiresAt, now, ssoTicket])
        return db.changedRows == 1
    }

    /// Replaces a session's value and the account it names; a nil expiry keeps the one it had.
    public func set(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String? = nil, now: Date = Date(),
                    in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO webSession (key, value, accountId, expiresAt, lastSeenAt, ssoTicket) VALUES (:key, :value, :account, :expires, :now, :ticket)
            ON CONFLICT(key) DO UPDATE SET value = :value, accountId = :account, expiresAt = coalesce(:expires, webSession.expiresAt),
                lastSeenAt = :now, ssoTicket = coalesce(:ticket, webSession.ssoTicket)
            """, arguments: ["key": key, "value": value, "account": accountID, "expires": expiresAt, "now": now, "ticket": ssoTicket])
    }

    /// What is stored under a key, live or not, with the account it names (unless disabled or
    /// deleted since): one statement, which a signed-in request runs before anything else.
    public func peek(key: String, in db: any SQLConnection) throws -> StoredSession? {
        try db.row(sql: """
            SELECT s.value AS sessionValue, s.expiresAt AS sessionExpiresAt, s.lastSeenAt AS sessionLastSeenAt,
                   s.accountId AS sessionAccountId, a.*
            FROM webSession s LEFT JOIN account a ON a.id = s.accountId AND a.disabledAt IS NULL WHERE s.key = ?
            """, arguments: [key]).map { row in
            StoredSession(value: row["sessionValue"], expiresAt: row["sessionExpiresAt"], lastSeenAt: row["sessionLastSeenAt"],
                          accountID: row["sessionAccountId"], account: (row["id"] as Int64?) == nil ? nil : AccountStore.account(row))
        }
    }

    public func touch(key: String, now: Date = Date(), in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE webSession SET lastSeenAt = ? WHERE key = ?", arguments: [now, key])
    }

    public func remove(key: String, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM webSession WHERE key = ?", arguments: [key])
    }

    /// How many sessions are stored, live or not yet cleaned.
    public func count(in db: any SQLConnection) throws -> Int {
        try db.value(Int.self, sql: "SELECT COUNT(*) FROM webSession") ?? 0
    }

    public func removeExpired(now: Date = Date(), in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM webSession WHERE expiresAt <= ? OR lastSeenAt <= ?",
                       arguments: [now, now.addingTimeInterval(-lifetime.idleLimit)])
    }

    /// A random secret of the server, created on first use and kept: what signs must still
    /// verify after a restart.
    public func secret(named name: String, in db: any SQLConnection) throws -> Data {
        if let value = try db.value(Data.self, sql: "SELECT value FROM webSecret WHERE name = ?", arguments: [name]) {
            return value
        }
        var generator = SystemRandomNumberGenerator()
        let value = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try db.run(sql: "INSERT INTO webSecret (name, value) VALUES (?, ?)", arguments: [name, value])
        return value
    }
}
