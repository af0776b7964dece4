import ArgumentParser
import Foundation

/// argument-parser writes its errors in English and exits with 64. Acquis promises a French
/// message and exit code 1 for every command, whatever went wrong: the parser's message is
/// said again in French, with the option's own help (French already) and the usage line.
enum ArgumentErrors {
    /// The French lines for what argument-parser printed, line by line.
    static func french(_ message: String) -> [String] {
        message.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let text = String(line)
            if text.hasPrefix("Error: ") { return "erreur : " + sentence(String(text.dropFirst("Error: ".count))) }
            if text.hasPrefix("Help:  ") { return "aide : " + String(text.dropFirst("Help:  ".count)) }
            if text.hasPrefix("Usage: ") { return "utilisation : " + String(text.dropFirst("Usage: ".count)) }
            if let command = captured(text, #"See '(.*)' for more information\."#) { return "  détail : \(command)" }
            return text
        }
    }

    /// One error sentence of argument-parser, in French; a sentence it does not know is kept,
    /// introduced in French.
    static func sentence(_ text: String) -> String {
        if let (value, option) = capturedPair(text, #"^The value '(.*)' is invalid for '([^']*)'"#) {
            return "la valeur « \(value) » ne convient pas pour \(option.split(separator: " ").first.map(String.init) ?? option)"
                + (hints[String(option.split(separator: " ").first ?? "")].map { " (attendu : \($0))" } ?? "")
        }
        if let name = captured(text, #"^Missing expected argument '([^']*)'"#) { return "il manque \(name)" }
        if let name = captured(text, #"^Missing value for '([^']*)'"#) { return "il manque la valeur de \(name)" }
        if let name = captured(text, #"^Unknown options? '([^']*)'"#) { return "option inconnue : \(name)" }
        if let name = captured(text, #"^Unexpected arguments? '([^']*)'"#) { return "argument en trop : \(name)" }
        if let name = captured(text, #"^Unknown subcommand '([^']*)'"#) ?? captured(text, #"^Unknown command '([^']*)'"#) {
            return "commande inconnue : \(name)"
        }
        if text.hasPrefix("Missing") || text.hasPrefix("Unknown") || text.hasPrefix("Unexpected") || text.hasPrefix("The value") {
            return "arguments incorrects (\(text))"
        }
        return text
    }

    /// What a value looks like, for the options whose help does not say it.
    static let hints: [String: String] = [
        "--date": "une date qui existe, jj/mm/aaaa ou aaaa-mm-jj",
        "--du": "une date qui existe, jj/mm/aaaa ou aaaa-mm-jj",
        "--au": "une date qui existe, jj/mm/aaaa ou aaaa-mm-jj",
        "--calcul": "bienveillante[:N], plus-recente, meilleure, meilleures:K, moyenne[:N], geometrique:N, ponderee:P, "
            + "degressive:R, n-fois:N ou plus-frequente[:basse|haute]",
        "--agregation": "toutes, proportion[:P] ou socle[:S1/S2/S3]",
        "--periode": "T1, T2, T3, S1, S2 ou annee",
        "--annee": "une année scolaire, 2026-2027 ou 2026",
    ]

    private static func captured(_ text: String, _ pattern: String) -> String? {
        groups(text, pattern).first
    }

    private static func capturedPair(_ text: String, _ pattern: String) -> (String, String)? {
        let found = groups(text, pattern)
        return found.count == 2 ? (found[0], found[1]) : nil
    }

    private static func groups(_ text: String, _ pattern: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return [] }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }
}

extension Acquis {
    /// Parses and runs the command; help and version print as usual, every other error
    /// in French with exit code 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            for line in ArgumentErrors.french(fullMessage(for: error)) { Terminal.error(line) }
            Foundation.exit(ExitCode.failure.rawValue)
        }
    }
}
