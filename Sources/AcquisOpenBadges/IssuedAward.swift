import AcquisBadges
import AcquisCore
import Foundation

/// One award as Open Badges publishes it.
public struct IssuedAward: Hashable, Sendable {
    /// A lower-case version 4 UUID: the assertion and credential id is `urn:uuid:` + this.
    public var uuid: String
    public var badge: PublishedBadge
    public var recipient: HashedRecipient
    public var issuedAt: Date
    public var expiresAt: Date?
    /// Evidence sentences, without personal data (competency codes, levels and dates).
    public var evidence: [String]
    /// The scale code of the level reached, for Open Badges 3.0 results.
    public var achievedLevel: String?
    /// Productions the observations behind the badge were made from.
    public var productions: [ProductionEvidence]

    public init(uuid: String, badge: PublishedBadge, recipient: HashedRecipient, issuedAt: Date, expiresAt: Date? = nil,
                evidence: [String] = [], achievedLevel: String? = nil, productions: [ProductionEvidence] = []) {
        self.uuid = uuid
        self.badge = badge
        self.recipient = recipient
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.evidence = evidence
        self.achievedLevel = achievedLevel
        self.productions = productions
    }

    public var id: String { "urn:uuid:\(uuid)" }
}

/// A production cited as a badge's evidence: named by its title and day, pointed to (`url`)
/// only while the student shares it.
public struct ProductionEvidence: Hashable, Sendable {
    public var title: String
    public var day: CalendarDate
    public var url: String?

    public init(title: String, day: CalendarDate, url: String?) {
        self.title = title
        self.day = day
        self.url = url
    }

    /// « Production « Vitrine de Noël » »: the evidence's name.
    public var name: String { "Production « \(title) »" }

    /// « Réalisée le 12 mars 2026. »
    public var narrative: String { "Réalisée le \(day.french)." }
}

extension Date {
    /// `2026-11-22T10:15:00Z`: Open Badges wants a time zone on every timestamp.
    public var openBadgesTimestamp: String {
        // Foundation's format style writes what ISO8601DateFormatter writes (a test holds them
        // equal) without going through ICU, which cost a twentieth of a badge.
        // ICU formats the instant rounded to the millisecond: 20.9996 s is written 21.
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000).formatted(Self.timestampStyle)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(timeZone: .gmt)

    public init?(openBadgesTimestamp text: String) {
        guard let date = Self.timestampFormatter.date(from: text) ?? Self.fractionalTimestampFormatter.date(from: text)
        else { return nil }
        self = date
    }

    // Formatters are costly to create (a tenth of a millisecond each); ISO8601DateFormatter is
    // thread-safe, so one of each reads every badge.
    private nonisolated(unsafe) static let timestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    private nonisolated(unsafe) static let fractionalTimestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
