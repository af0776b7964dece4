import Foundation

/// Writes CSV the way French spreadsheets open it without an import dialog: UTF-8 with a
/// byte order mark, `;` between fields, CRLF line ends, quotes only where needed.
public struct CSVWriter {
    public private(set) var text = "\u{FEFF}"
    public let separator: Character

    public init(separator: Character = ";") {
        self.separator = separator
    }

    public mutating func appendRow(_ fields: [String]) {
        text += fields.map(quoted).joined(separator: String(separator))
        text += "\r\n"
    }

    private func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || field.first == " " || field.last == " "
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
