import AcquisStorage
import Foundation
import GRDB

/// Web sessions kept in the database, so that a restart signs nobody out. A session ends at
/// its expiry date, or earlier when it has not been used for `idleLimit`.
public struct WebSessionStore: Sendable {
    /// Sessions unused for this long are over, whatever their expiry date.
    public var idleLimit: TimeInterval

    public init(idleLimit: TimeInterval = 2 * 3600) {
        self.idleLimit = idleLimit
    }

    /// Creates a session; false when the key is taken.
    public func create(key: String, value: Data, expiresAt: Date?, now: Date = Date(), in db: Database) throws -> Bool {
        try removeExpired(now: now, in: db)
        try db.execute(sql: """
            INSERT INTO webSession (key, value, expiresAt, lastSeenAt) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING
            """, arguments: [key, value, expiresAt, now])
        return db.changesCount == 1
    }

    /// Replaces a session's value; a nil expiry keeps the one it had.
    public func set(key: String, value: Data, expiresAt: Date?, now: Date = Date(), in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO webSession (key, value, expiresAt, lastSeenAt) VALUES (:key, :value, :expires, :now)
            ON CONFLICT(key) DO UPDATE SET value = :value, expiresAt = coalesce(:expires, expiresAt), lastSeenAt = :now
            """, arguments: ["key": key, "value": value, "expires": expiresAt, "now": now])
    }

    /// What is stored under a key, live or not: its value, expiry and last use.
    public func peek(key: String, in db: Database) throws -> (value: Data, expiresAt: Date?, lastSeenAt: Date)? {
        try Row.fetchOne(db, sql: "SELECT value, expiresAt, lastSeenAt FROM webSession WHERE key = ?", arguments: [key])
            .map { ($0["value"], $0["expiresAt"], $0["lastSeenAt"]) }
    }

    /// Whether a session read by ``peek(key:in:)`` is still live at `now`.
    public func isLive(expiresAt: Date?, lastSeenAt: Date, now: Date = Date()) -> Bool {
        (expiresAt.map { $0 > now } ?? true) && now.timeIntervalSince(lastSeenAt) < idleLimit
    }

    /// Whether the last use is old enough to be written again: one write a minute at most per
    /// session, so that reading pages does not write on every request.
    public func needsTouch(lastSeenAt: Date, now: Date = Date()) -> Bool {
        now.timeIntervalSince(lastSeenAt) > 60
    }

    public func touch(key: String, now: Date = Date(), in db: Database) throws {
        try db.execute(sql: "UPDATE webSession SET lastSeenAt = ? WHERE key = ?", arguments: [now, key])
    }

    public func remove(key: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM webSession WHERE key = ?", arguments: [key])
    }

    /// How many sessions are stored, live or not yet cleaned.
    public func count(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webSession") ?? 0
    }

    public func removeExpired(now: Date = Date(), in db: Database) throws {
        try db.execute(sql: "DELETE FROM webSession WHERE expiresAt <= ? OR lastSeenAt <= ?",
                       arguments: [now, now.addingTimeInterval(-idleLimit)])
    }

    /// A random secret of the server, created on first use and kept: what signs must still
    /// verify after a restart.
    public func secret(named name: String, in db: Database) throws -> Data {
        if let value = try Data.fetchOne(db, sql: "SELECT value FROM webSecret WHERE name = ?", arguments: [name]) {
            return value
        }
        var generator = SystemRandomNumberGenerator()
        let value = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try db.execute(sql: "INSERT INTO webSecret (name, value) VALUES (?, ?)", arguments: [name, value])
        return value
    }
}
