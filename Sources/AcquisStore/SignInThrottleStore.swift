import AcquisStorage
import Foundation

/// Failed sign-ins kept in the database, so that every process serving it slows the same
/// guesser down.
struct SignInThrottleStore: SignInThrottleRepository {
    let db: any SQLConnection

    func failures(key: String) throws -> (count: Int, lastAt: Date)? {
        try db.row(sql: "SELECT count, lastAt FROM signInFailure WHERE key = ?", arguments: [key]).map { ($0["count"], $0["lastAt"]) }
    }

    func recordFailure(key: String, now: Date, forgetBefore: Date) throws -> Int {
        try db.value(Int.self, sql: """
            INSERT INTO signInFailure (key, count, lastAt) VALUES (:key, 1, :now)
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN signInFailure.lastAt < :forget THEN 1 ELSE signInFailure.count + 1 END, lastAt = :now
            RETURNING count
            """, arguments: ["key": key, "now": now, "forget": forgetBefore]) ?? 1
    }

    func removeFailures(key: String) throws {
        try db.run(sql: "DELETE FROM signInFailure WHERE key = ?", arguments: [key])
    }

    func isKnownAddress(key: String) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT EXISTS (SELECT 1 FROM signInKnownAddress WHERE key = ?)", arguments: [key]) ?? false
    }

    func addKnownAddress(key: String) throws {
        try db.run(sql: "INSERT INTO signInKnownAddress (key) VALUES (?) ON CONFLICT DO NOTHING", arguments: [key])
    }

    func removeFailures(before date: Date) throws {
        try db.run(sql: "DELETE FROM signInFailure WHERE lastAt < ?", arguments: [date])
    }
}
