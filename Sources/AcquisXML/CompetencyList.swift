import AcquisCore
import CLibXML2
import Foundation

/// Splits the HTML of an RNCP `LISTE_COMPETENCES` field into competencies and their
/// savoir-faire.
///
/// Real fiches write these lists in many ways: `<ul>/<li>` (possibly nested),
/// paragraphs with `*`, `-` or `•` bullets and `o` for the second level, `<br>` or
/// newline separated lines, `;` separated enumerations, "BLOC DE COMPÉTENCES n°1"
/// headings. HTML entities (`&eacute;`) are decoded by libxml2's HTML parser.
public enum CompetencyList {
    public struct Entry: Hashable, Sendable {
        public var title: String
        public var items: [String]

        public init(title: String, items: [String] = []) {
            self.title = title
            self.items = items
        }
    }

    public static func split(html: String) -> [Entry] {
        var entries: [Entry] = []
        let lines = textLines(html: html)
        for (index, line) in lines.enumerated() {
            var text = line.text
            if text.hasSuffix(":") {
                // An introduction ("Le titulaire est capable de :") unless deeper lines follow it.
                let next = lines.index(after: index)
                guard next < lines.endIndex, lines[next].depth > line.depth else { continue }
                text = cleaned(String(text.dropLast()))
                if text.isEmpty { continue }
            }
            if line.depth > 0, !entries.isEmpty {
                entries[entries.count - 1].items.append(text)
            } else {
                entries.append(Entry(title: text))
            }
        }
        return entries
    }

    struct Line: Equatable {
        var depth: Int
        var text: String
    }

    /// The list as plain lines with their nesting depth, headings and empty lines removed.
    static func textLines(html: String) -> [Line] {
        var raw: [Line] = []
        HTMLText.collect(html: html) { depth, text in raw.append(Line(depth: depth, text: text)) }
        var lines: [Line] = []
        for segment in raw {
            // Split on bytes: grapheme-by-grapheme iteration dominated large imports.
            for physical in segment.text.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
                let (bulletDepth, rest) = stripBullet(String(decoding: physical, as: UTF8.self).collapsingWhitespace())
                for piece in rest.utf8.split(separator: UInt8(ascii: ";")) {
                    let text = cleaned(String(decoding: piece, as: UTF8.self))
                    guard !text.isEmpty, !isHeading(text) else { continue }
                    lines.append(Line(depth: segment.depth + bulletDepth, text: text))
                }
            }
        }
        return lines
    }

    /// Removes a leading bullet or number; `o`, `◦` and `○` mark the second level.
    /// Expects whitespace already collapsed.
    ///
    /// Most lines are decided from their first bytes: Unicode's character properties took a
    /// third of splitting a national export's lists. A line that starts with an ASCII byte
    /// that neither a bullet nor a number starts (a capital, say) has none, whatever follows;
    /// one that starts with four ASCII bytes is read byte by byte, each byte a character. Any
    /// other line is read character by character.
    static func stripBullet(_ trimmed: String) -> (depth: Int, text: String) {
        let utf8 = trimmed.utf8
        if let first = utf8.first, first < 0x80, !Self.mayStartBullet(first) { return (0, trimmed) }
        guard utf8.count >= 4, utf8.prefix(4).allSatisfy({ $0 < 0x80 }), utf8.dropFirst(4).first.map({ $0 < 0x80 }) ?? true else {
            return stripBulletByCharacters(trimmed)
        }
        let bytes = Array(utf8.prefix(4))
        func rest(from offset: Int) -> String { String(decoding: utf8.dropFirst(offset), as: UTF8.self) }
        switch bytes[0] {
        case UInt8(ascii: "*"), UInt8(ascii: "-"): return (0, rest(from: 1))
        case UInt8(ascii: "o") where bytes[1] == UInt8(ascii: " "): return (1, rest(from: 1))
        default: break
        }
        // "1.", "2)", "a)" numbering: one or two digits or lowercase letters.
        func isNumbering(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }
        let numbering = bytes.prefix(while: isNumbering).count
        if (1...2).contains(numbering), bytes[numbering] == UInt8(ascii: ".") || bytes[numbering] == UInt8(ascii: ")"),
           bytes[numbering + 1] == UInt8(ascii: " ") {
            return (0, rest(from: numbering + 1))
        }
        return (0, trimmed)
    }

    /// Whether an ASCII byte may begin a bullet (`*`, `-`, `o`) or a numbering (a digit, a
    /// lowercase letter).
    private static func mayStartBullet(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    /// ``stripBullet(_:)`` for any line, character by character.
    static func stripBulletByCharacters(_ trimmed: String) -> (depth: Int, text: String) {
        let secondLevel: [Character] = ["◦", "○", "▫"]
        let firstLevel: [Character] = ["*", "•", "·", "▪", "■", "●", "-", "–", "—", "►", "✓"]
        if let first = trimmed.first {
            if secondLevel.contains(first) || (first == "o" && trimmed.dropFirst().first == " ") {
                return (1, String(trimmed.dropFirst()))
            }
            if firstLevel.contains(first) {
                return (0, String(trimmed.dropFirst()))
            }
        }
        // "1.", "2)", "a)" numbering
        let numbering = trimmed.prefix { $0.isNumber || $0.isLetter && $0.isLowercase }
        if !numbering.isEmpty, numbering.count <= 2 {
            let after = trimmed.dropFirst(numbering.count)
            if let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " {
                return (0, String(after.dropFirst()))
            }
        }
        return (0, trimmed)
    }

    static func isHeading(_ text: String) -> Bool {
        guard text.first == "B" || text.first == "b" else { return false }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.hasPrefix("bloc de competence") || folded.range(of: #"^bloc\s*(n°|n\.|no)?\s*\d+\s*[:.-]?$"#,
                                                                        options: .regularExpression) != nil
    }

    /// Trims spaces and trailing punctuation and capitalises; expects whitespace already collapsed.
    static func cleaned(_ text: String) -> String {
        var result = Substring(text).drop { $0 == " " }
        while let last = result.last, last == "," || last == "." || last == ";" || last == " " {
            result.removeLast()
        }
        guard let first = result.first else { return "" }
        return first.uppercased() + result.dropFirst()
    }
}

/// Text of an HTML fragment, as (list depth, text) segments split at block boundaries.
enum HTMLText {
    private static let blockElements: Set<String> = [
        "p", "div", "li", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    ]

    static func collect(html: String, _ emit: (Int, String) -> Void) {
        _ = LibXML2.configured
        let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        var bytes = Array(html.utf8)
        if bytes.isEmpty { return }
        bytes.append(0)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count - 1), nil, "UTF-8", options)
            }
        }
        guard let document else { return }
        defer { xmlFreeDoc(document) }
        var current = ""
        var currentDepth = 0
        func flush() {
            if !current.allSatisfy(\.isWhitespace) { emit(currentDepth, current) }
            current = ""
        }
        func visit(_ node: xmlNodePtr, listDepth: Int) {
            var child = node.pointee.children
            while let element = child {
                defer { child = element.pointee.next }
                switch element.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = element.pointee.content {
                        current += String(cString: content)
                    }
                case XML_ELEMENT_NODE:
                    let name = element.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                    let isBlock = blockElements.contains(name)
                    let isList = name == "ul" || name == "ol"
                    if isBlock {
                        flush()
                        currentDepth = name == "li" ? max(0, listDepth - 1) : listDepth > 0 ? listDepth - 1 : 0
                    }
                    visit(element, listDepth: listDepth + (isList ? 1 : 0))
                    if isBlock { flush() }
                default:
                    break
                }
            }
        }
        if let root = xmlDocGetRootElement(document) {
            visit(root, listDepth: 0)
            flush()
        }
    }
}
