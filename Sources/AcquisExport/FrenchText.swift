import AcquisCore
import AcquisGrading
import Foundation

/// Wording shared by every export, in French with its typography (non-breaking space before
/// « : », guillemets, apostrophes).
public enum FrenchText {
    /// « 22/11/2026 à 14:05 », in the machine's time zone.
    public static func timestamp(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents(in: TimeZone.current, from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0) à \(two(parts.hour)):\(two(parts.minute))"
    }

    /// « 3 compétences », « 1 compétence », « 0 compétence » (zero is singular in French),
    /// or `none` for zero when given (« aucune compétence »).
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil, none: String? = nil) -> String {
        if n == 0, let none { return none }
        return "\(n) \(word(n, singular, plural))"
    }

    /// « 12 480 évaluations »: ``count(_:_:_:none:)`` with the digits grouped (``number(_:)``),
    /// for figures that run into thousands.
    public static func amount(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number(n)) \(word(n, singular, plural))"
    }

    private static func word(_ n: Int, _ singular: String, _ plural: String?) -> String {
        n <= 1 ? singular : plural ?? singular + "s"
    }

    /// « 12 480 »: digits grouped by three with a narrow no-break space, as French prints them.
    public static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append("\u{202F}") }
            grouped.append(digit)
        }
        return (n < 0 ? "−" : "") + grouped
    }

    /// A file's size as people read it: « 840 octets », « 12 ko », « 3,4 Mo ».
    public static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) octets" }
        if bytes < 1_000_000 { return "\(bytes / 1000) ko" }
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10),\(tenths % 10) Mo"
    }

    /// What happened to a competency during the period, in positive words: a step back is a
    /// level « à consolider », never a failure.
    static func change(_ change: CompetencyProgress.Change?, previous: Scale.Level?) -> String? {
        switch change {
        case .firstLevel?: "Premier niveau sur la période"
        case .progressed?: "A progressé sur la période (avant : « \(previous?.studentLabel ?? "—") »)"
        case .regressed?: "À consolider : le niveau était « \(previous?.studentLabel ?? "—") »"
        case .confirmed?: "Confirmé sur la période"
        case nil: nil
        }
    }

    /// « 8 secondes », « 4 minutes »: a wait rounded up, in the unit a person reads.
    public static func duration(_ duration: Duration) -> String {
        let seconds = max(1, Int((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18).rounded(.up)))
        guard seconds >= 60 else { return count(seconds, "seconde") }
        return count((seconds + 59) / 60, "minute")
    }

    /// « 22/11/2026 », in the machine's time zone.
    public static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }

    static func generated(_ date: Date) -> String { "Document généré par Acquis le \(timestamp(date))" }
}
