/// Counted words in French, shared by explanations and signals.
public enum French {
    /// « 1 compétence acquise », « 2 compétences acquises »: `words` are given singular and
    /// take an « s » each from 2 on.
    public static func counted(_ count: Int, _ words: String...) -> String {
        counted(count, words)
    }

    public static func counted(_ count: Int, _ words: [String]) -> String {
        let text = words.joined(separator: " ")
        guard count > 1 else { return "\(count) \(text)" }
        return "\(count) " + text.split(separator: " ").map { plural(of: String($0)) }.joined(separator: " ")
    }

    /// The plural of a noun or an adjective, by the regular rules the app's words follow: -s,
    /// -x after -au and -eu (« niveaux »), nothing after -s, -x or -z.
    public static func plural(of word: String) -> String {
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("z") { return word }
        return word.hasSuffix("au") || word.hasSuffix("eu") ? word + "x" : word + "s"
    }

    /// The text ending as a sentence does: a full stop is added unless it already ends with
    /// one, or with « ! », « ? » or « … ».
    public static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingSpaces
        guard let last = trimmed.last, !".!?…".contains(last) else { return trimmed }
        return trimmed + "."
    }

    /// « de CAP-EPC », « d’ACC-MAG »: the preposition elided before a vowel or a mute h.
    public static func of(_ word: String) -> String {
        guard let first = word.first else { return "de " }
        return "AEIOUYHÂÊÎÔÛÉÈaeiouyhâêîôûéè".contains(first) ? "d’\(word)" : "de \(word)"
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(String(drop(while: \.isWhitespace).reversed()).drop(while: \.isWhitespace).reversed())
    }
}
