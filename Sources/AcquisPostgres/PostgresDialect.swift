import Foundation
import Synchronization

/// The stores' SQL, written for SQLite, as PostgreSQL reads it.
///
/// The stores keep to what both engines share; the few differences left are rewritten here,
/// once per statement (the translation is cached):
/// - `?` and `:name` placeholders become `$1`, `$2`… (a name used twice keeps its number);
/// - `x IN (SELECT value FROM json_each(?))`, SQLite's way of passing a list as one JSON
///   argument, becomes `x = ANY($n)` with the list sent as an array (`NOT IN` becomes `<> ALL`);
/// - `LIKE` becomes `ILIKE`: SQLite's `LIKE` ignores the case of ASCII letters.
///
/// Values are sent as text without a type, as literals in the statement would be: PostgreSQL
/// gives each the type of the column or expression it meets, as SQLite's affinity does.
struct PostgresStatement: Sendable {
    /// Where each `$n` takes its value from.
    enum Parameter: Sendable, Equatable {
        case position(Int)
        case name(String)
    }

    let sql: String
    let parameters: [Parameter]
    /// Numbers (from 1) of the parameters that carry a JSON list to send as an array.
    let arrays: Set<Int>
    /// Whether SQL's `PREPARE` takes the statement: a query or a change of rows, not a cursor's
    /// `DECLARE` or `FETCH`.
    let isPreparable: Bool

    private static let cache = Mutex<[String: PostgresStatement]>([:])

    /// The statement for SQLite's `sql`, translated once.
    static func translating(_ sql: String) -> PostgresStatement {
        if let known = cache.withLock({ $0[sql] }) { return known }
        let statement = PostgresStatement(translating: sql)
        cache.withLock { $0[sql] = statement }
        return statement
    }

    init(translating source: String) {
        var output = ""
        output.reserveCapacity(source.utf8.count + 16)
        var parameters: [Parameter] = []
        var numbers: [String: Int] = [:]
        var position = 0
        let characters = Array(source)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "'", "\"":
                // A literal or a quoted name, copied as is up to its closing quote.
                var end = index + 1
                while end < characters.count {
                    if characters[end] == character {
                        if end + 1 < characters.count, characters[end + 1] == character { end += 2; continue }
                        break
                    }
                    end += 1
                }
                output += String(characters[index...min(end, characters.count - 1)])
                index = end + 1
            case "?":
                parameters.append(.position(position))
                position += 1
                output += "$\(parameters.count)"
                index += 1
            case ":" where index + 1 < characters.count && (characters[index + 1].isLetter || characters[index + 1] == "_")
                && (index == 0 || characters[index - 1] != ":"):
                var end = index + 1
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" { end += 1 }
                let name = String(characters[(index + 1)..<end])
                if let number = numbers[name] {
                    output += "$\(number)"
                } else {
                    parameters.append(.name(name))
                    numbers[name] = parameters.count
                    output += "$\(parameters.count)"
                }
                index = end
            default:
                output.append(character)
                index += 1
            }
        }
        var arrays = Set<Int>()
        output = Self.rewriteLists(output, arrays: &arrays)
        output = output.replacingOccurrences(of: #"\bLIKE\b"#, with: "ILIKE", options: .regularExpression)
        sql = output
        self.parameters = parameters
        self.arrays = arrays
        let firstWord = output.drop(while: \.isWhitespace).prefix(while: \.isLetter).uppercased()
        isPreparable = ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES"].contains(firstWord)
    }

    /// `NOT IN (SELECT value FROM json_each($n))` → `<> ALL($n)`, `IN (…)` → `= ANY($n)`.
    private static func rewriteLists(_ sql: String, arrays: inout Set<Int>) -> String {
        var result = sql
        for (pattern, replacement) in [(#"\bNOT\s+IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\$(\d+)\)\s*\)"#, #"<> ALL(\$$1)"#),
                                       (#"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\$(\d+)\)\s*\)"#, #"= ANY(\$$1)"#)] {
            let expression = try! NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: result, range: NSRange(result.startIndex..., in: result)) {
                if let range = Range(match.range(at: 1), in: result), let number = Int(result[range]) { arrays.insert(number) }
            }
            result = expression.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                         withTemplate: replacement)
        }
        return result
    }

    /// A JSON list (`[1, 2]`, `["a"]`) as PostgreSQL's array literal (`{1,2}`, `{"a"}`).
    static func arrayLiteral(fromJSON text: String) -> String? {
        guard let data = text.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return nil }
        let elements = list.map { element -> String in
            switch element {
            case let string as String:
                "\"" + string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            case let number as NSNumber: number.stringValue
            default: "NULL"
            }
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}
