import Foundation

/// How long a web session lives: until its expiry date, or until it has not been used for
/// ``idleLimit``, whichever comes first.
public struct SessionLifetime: Sendable {
    /// Sessions unused for this long are over, whatever their expiry date.
    public var idleLimit: TimeInterval

    public init(idleLimit: TimeInterval = 2 * 3600) {
        self.idleLimit = idleLimit
    }

    /// Whether a session last used at `lastSeenAt` is still live at `now`.
    public func isLive(expiresAt: Date?, lastSeenAt: Date, now: Date = Date()) -> Bool {
        (expiresAt.map { $0 > now } ?? true) && now.timeIntervalSince(lastSeenAt) < idleLimit
    }

    /// Whether the last use is old enough to be written again: one write a minute at most per
    /// session, so that reading pages does not write on every request.
    public func needsTouch(lastSeenAt: Date, now: Date = Date()) -> Bool {
        now.timeIntervalSince(lastSeenAt) > 60
    }
}

/// A session as stored, live or not, with the account it names.
public struct StoredSession: Sendable {
    /// The session's value, in the front end's format.
    public var value: Data
    public var expiresAt: Date?
    public var lastSeenAt: Date
    /// The account the session was stored with; nil for a session of no one (before sign-in)
    /// or one stored before sessions named their account apart from their value.
    public var accountID: Int64?
    /// That account, read with the session; nil when it was disabled or deleted since.
    public var account: Account?

    public init(value: Data, expiresAt: Date?, lastSeenAt: Date, accountID: Int64? = nil, account: Account? = nil) {
        self.value = value
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
        self.accountID = accountID
        self.account = account
    }
}

/// Failed sign-ins, counted where every process of the school or académie sees them. Keys are
/// opaque (the application hashes the login and the address): the database keeps no address.
public protocol SignInThrottleRepository {
    /// How many failures a key has had, and when the last one was; nil when none is counted.
    func failures(key: String) throws -> (count: Int, lastAt: Date)?

    /// Counts one more failure for a key at `now`: the count starts again when the last one is
    /// older than `forgetBefore`. Returns the new count.
    func recordFailure(key: String, now: Date, forgetBefore: Date) throws -> Int

    /// Forgets a key's failures.
    func removeFailures(key: String) throws

    /// Whether a login has signed in from this address before.
    func isKnownAddress(key: String) throws -> Bool

    /// Remembers that a login signed in from this address.
    func addKnownAddress(key: String) throws

    /// Forgets failures older than `date`: a flood of attempts leaves nothing behind for long.
    func removeFailures(before date: Date) throws
}
