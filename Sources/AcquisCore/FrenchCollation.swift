import Foundation

/// Orders names as a French class list does: ÉCHARD among the E, SAÏDI before SANTOS,
/// NASRI before N’DIAYE. Letters are compared first without accents, case, apostrophes,
/// hyphens or spaces (Œ as OE, Æ as AE, ß as SS); names equal at that level are told apart by
/// their accents, then as written, so that the order is total and stable.
public enum FrenchCollation {
    /// The database collation's name.
    public static let name = "FRENCH"

    public static func compare(_ a: String, _ b: String) -> ComparisonResult {
        let (keyA, keyB) = (primaryKey(a), primaryKey(b))
        if keyA != keyB { return keyA.lexicographicallyPrecedes(keyB) ? .orderedAscending : .orderedDescending }
        let (accentsA, accentsB) = (secondaryKey(a), secondaryKey(b))
        if accentsA != accentsB { return accentsA.lexicographicallyPrecedes(accentsB) ? .orderedAscending : .orderedDescending }
        if a == b { return .orderedSame }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? .orderedAscending : .orderedDescending
    }

    /// Whether `a` comes before `b`, for `sorted(by:)`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        compare(a, b) == .orderedAscending
    }

    /// Whether `text` holds every word of `query`, in any order, as a French reader searches:
    /// without regard to accents, case, apostrophes or hyphens (« conseil vente » finds « Vente-
    /// Conseil »). Words are separated by spaces, or by « + » as a form sends them in an
    /// address. A query without letters or digits matches nothing.
    public static func contains(_ text: String, _ query: String) -> Bool {
        let words = query.split { $0.isWhitespace || $0 == "+" }.map { primaryKey(String($0)) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { return false }
        let haystack = primaryKey(text)
        return words.allSatisfy { word in
            haystack.count >= word.count && (0...(haystack.count - word.count)).contains { start in
                haystack[start..<(start + word.count)].elementsEqual(word)
            }
        }
    }

    /// Base letters and digits, upper case: what a reader looks at first.
    static func primaryKey(_ text: String) -> [Unicode.Scalar] {
        var key: [Unicode.Scalar] = []
        for scalar in text.decomposedStringWithCanonicalMapping.uppercased().unicodeScalars {
            switch scalar {
            case "Œ": key += ["O", "E"]
            case "Æ": key += ["A", "E"]
            case "ẞ": key += ["S", "S"]
            default:
                if scalar.properties.isAlphabetic && !scalar.properties.isDiacritic || scalar.properties.numericType != nil {
                    if scalar.properties.generalCategory != .nonspacingMark { key.append(scalar) }
                }
            }
        }
        return key
    }

    /// Letters with their accents, still without case or punctuation.
    static func secondaryKey(_ text: String) -> [Unicode.Scalar] {
        text.precomposedStringWithCanonicalMapping.uppercased().unicodeScalars.filter {
            $0.properties.isAlphabetic || $0.properties.numericType != nil
        }
    }
}
