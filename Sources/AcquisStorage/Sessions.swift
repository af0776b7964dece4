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
