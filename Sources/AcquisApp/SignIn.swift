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

    /// Stores a new session of `accountID` (nil before sign-in); false if the key is taken.
    public func createSession(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String? = nil) async throws -> Bool {
        try await app.write { tx in
            try tx.sessions.create(key: key, value: value, accountID: accountID, expiresAt: expiresAt, ssoTicket: ssoTicket, now: Date())
        }
    }

    /// Replaces a session's value and the account it names (nil once signed out).
    public func setSession(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String? = nil) async throws {
        try await app.write { tx in
            try tx.sessions.set(key: key, value: value, accountID: accountID, expiresAt: expiresAt, ssoTicket: ssoTicket, now: Date())
        }
    }

    /// A live session with the account it names, read in one statement: every signed-in
    /// request starts with it, and on an académie's server a transaction would cost two round
    /// trips more. Reads without writing, but to mark a session used (once a minute) or to
    /// drop one that expired or stayed idle.
    ///
    /// A session stored before sessions named their account apart names it only in its value,
    /// the front end's format: `accountID` finds the account's id there.
    public func session(key: String, accountID: @Sendable @escaping (Data) -> Int64?) async throws -> LiveSession? {
        guard let found = try await app.readStatement({ tx in try tx.sessions.peek(key: key) }) else { return nil }
        guard lifetime.isLive(expiresAt: found.expiresAt, lastSeenAt: found.lastSeenAt) else {
            try await removeSession(key: key)
            return nil
        }
        var account = found.account
        if found.accountID == nil, let id = accountID(found.value) {
            account = try await app.read { tx in try tx.accounts.account(id: id) }
        }
        if lifetime.needsTouch(lastSeenAt: found.lastSeenAt) {
            try await app.write { tx in try tx.sessions.touch(key: key, now: Date()) }
        }
        return LiveSession(value: found.value, expiresAt: found.expiresAt, account: account)
    }

    public func removeSession(key: String) async throws {
        try await app.write { tx in try tx.sessions.remove(key: key) }
    }
}

extension App {
    /// Accounts, sessions and the form secret.
    public var signIn: SignIn { SignIn(app: self) }
}

/// A session still live, as stored, with the account it names.
public struct LiveSession: Sendable {
    /// The session's value, in the front end's format.
    public var value: Data
    public var expiresAt: Date?
    /// The account the session names; nil when it names none or the account was deleted.
    public var account: Account?
}
