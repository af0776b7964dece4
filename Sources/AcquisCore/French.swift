/// Counted words in French, shared by explanations and signals.
public enum French {
    /// « 1 compétence acquise », « 2 compétences acquises »: `words` are given singular and
    /// take an « s » each from 2 on.
    public static func counted(_ count: Int, _ words: String...) -> String {
        counted(count, words)
    }

    public static func counted(_ count: Int, _ words: [String]) -> String {
        let suffix = count > 1 ? "s" : ""
        return "\(count) " + words.map { $0 + suffix }.joined(separator: " ")
    }
}
