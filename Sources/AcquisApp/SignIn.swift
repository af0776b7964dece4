import AcquisStorage
import Foundation

/// What signing in and staying signed in need: accounts by login and by id, sessions kept
/// across restarts, and the secret that signs forms shown before sign-in.
public struct SignIn: Sendable {
    let app: App
    private let lifetime = SessionLifetime()

    /// The account of a login and its password hash, for the front end to verify.
    public func credentials(login: String) async throws -> (account: Account, passwordHash: String)? {
        try await app.read { tx in try tx.accounts.credentials(login: login) }
    }

    /// The account a session names; nil once it was deleted.
    public func account(id: Int64) async throws -> Account? {
        try await app.read { tx in try tx.accounts.account(id: id) }
    }

    /// A secret kept in the database, created the first time it is asked for.
    public func secret(named name: String) async throws -> Data {
        try await app.write { tx in try tx.sessions.secret(named: name) }
    }

    // MARK: - Sessions

    /// Stores a new session; false if the key is taken.
    public func createSession(key: String, value: Data, expiresAt: Date?, ssoTicket: String? = nil) async throws -> Bool {
        try await app.write { tx in try tx.sessions.create(key: key, value: value, expiresAt: expiresAt, ssoTicket: ssoTicket, now: Date()) }
    }

    public func setSession(key: String, value: Data, expiresAt: Date?, ssoTicket: String? = nil) async throws {
        try await app.write { tx in try tx.sessions.set(key: key, value: value, expiresAt: expiresAt, ssoTicket: ssoTicket, now: Date()) }
    }

    /// A live session's value and expiry. Reads without writing, but to mark a session used
    /// (once a minute) or to drop one that expired or stayed idle.
    public func session(key: String) async throws -> (value: Data, expiresAt: Date?)? {
        guard let found = try await app.read({ tx in try tx.sessions.peek(key: key) }) else { return nil }
        guard lifetime.isLive(expiresAt: found.expiresAt, lastSeenAt: found.lastSeenAt) else {
            try await removeSession(key: key)
            return nil
        }
        if lifetime.needsTouch(lastSeenAt: found.lastSeenAt) {
            try await app.write { tx in try tx.sessions.touch(key: key, now: Date()) }
        }
        return (found.value, found.expiresAt)
    }

    public func removeSession(key: String) async throws {
        try await app.write { tx in try tx.sessions.remove(key: key) }
    }
}

extension App {
    /// Accounts, sessions and the form secret.
    public var signIn: SignIn { SignIn(app: self) }
}
