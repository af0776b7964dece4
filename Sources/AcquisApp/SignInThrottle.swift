import AcquisStorage
import Crypto
import Foundation

/// Slows password guessing without ever locking a person out. Failures are counted per login
/// and client address: after a few, each new attempt from that address waits longer (1 s,
/// 2 s, 4 s … up to 15 minutes). Someone guessing from elsewhere therefore never delays a
/// teacher at their own computer. Failures are also counted per login across addresses, so
/// that guessing from many addresses slows down too; that count never applies to an address
/// the login has already signed in from.
///
/// The counts live in the database: every process serving it (an académie runs several)
/// slows the same guesser down, and a restart forgets nothing. Logins and addresses are
/// kept only as hashes.
public struct SignInThrottle: Sendable {
    /// Attempts allowed from one address before the delay starts.
    public var freeAttempts: Int
    /// The first delay, doubled at each further failure.
    public var firstDelay: TimeInterval
    /// Attempts allowed on one login from every address together before they slow down.
    public var loginWideAttempts: Int
    public var longestDelay: TimeInterval
    /// A count is forgotten after this long without a new failure.
    public var memory: TimeInterval

    let app: App

    /// How long to wait before trying again, or nil when an attempt is allowed now.
    public func wait(login: String, address: String, now: Date = Date()) async throws -> TimeInterval? {
        let (byAddress, byLogin) = keys(login: login, address: address)
        return try await app.read { tx in
            var waits = [try remaining(tx.signInThrottle.failures(key: byAddress), free: freeAttempts, now: now)]
            if try !tx.signInThrottle.isKnownAddress(key: byAddress) {
                waits.append(try remaining(tx.signInThrottle.failures(key: byLogin), free: loginWideAttempts, now: now))
            }
            return waits.compactMap { $0 }.max()
        }
    }

    public func recordFailure(login: String, address: String, now: Date = Date()) async throws {
        let (byAddress, byLogin) = keys(login: login, address: address)
        // A count an hour old is forgotten: last month's typos do not slow today's attempt.
        let forget = now.addingTimeInterval(-memory)
        try await app.write { tx in
            try tx.signInThrottle.removeFailures(before: forget)
            _ = try tx.signInThrottle.recordFailure(key: byAddress, now: now, forgetBefore: forget)
            _ = try tx.signInThrottle.recordFailure(key: byLogin, now: now, forgetBefore: forget)
        }
    }

    /// The address becomes one the login is known to use; its own count starts again.
    public func recordSuccess(login: String, address: String) async throws {
        let (byAddress, _) = keys(login: login, address: address)
        try await app.write { tx in
            try tx.signInThrottle.removeFailures(key: byAddress)
            try tx.signInThrottle.addKnownAddress(key: byAddress)
        }
    }

    /// The delay after `count` failures: none for the free attempts, then doubling.
    public func delay(after count: Int, free: Int) -> TimeInterval {
        guard count >= free else { return 0 }
        return min(firstDelay * Double(1 << min(count - free, 20)), longestDelay)
    }

    private func remaining(_ failures: (count: Int, lastAt: Date)?, free: Int, now: Date) -> TimeInterval? {
        // No delay is no wait, whatever the rounding of the stored time (to the millisecond).
        guard let failures, now.timeIntervalSince(failures.lastAt) < memory else { return nil }
        let delay = delay(after: failures.count, free: free)
        guard delay > 0 else { return nil }
        let left = failures.lastAt.addingTimeInterval(delay).timeIntervalSince(now)
        return left > 0 ? left : nil
    }

    /// Hashes of the login with the address, and of the login alone: the database holds
    /// neither in clear.
    private func keys(login: String, address: String) -> (byAddress: String, byLogin: String) {
        let login = login.lowercased()
        func hash(_ text: String) -> String {
            SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }
        return ("a:" + hash(login + "\u{0}" + address), "l:" + hash(login))
    }
}

extension App {
    /// The sign-in throttle: `freeAttempts` tries from one address, then delays from `firstDelay`.
    public func signInThrottle(freeAttempts: Int = 5, firstDelay: TimeInterval = 1, loginWideAttempts: Int = 30,
                               longestDelay: TimeInterval = 15 * 60, memory: TimeInterval = 3600) -> SignInThrottle {
        SignInThrottle(freeAttempts: freeAttempts, firstDelay: firstDelay, loginWideAttempts: loginWideAttempts,
                       longestDelay: longestDelay, memory: memory, app: self)
    }
}
