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

    /// - Parameter predecoding: whether named character references are decoded before libxml2
    ///   parses the fragment (``HTMLEntities``); the same text either way.
    static func collect(html: String, predecoding: Bool = true, _ emit: (Int, String) -> Void) {
        _ = LibXML2.configured
        let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        var bytes = Array(html.utf8)
        if bytes.isEmpty { return }
        if predecoding { bytes = HTMLEntities.decodingNamedReferences(in: bytes) }
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
            if !Self.isBlank(current) { emit(currentDepth, current) }
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

    /// Whether `text` is white space only: decided by its first byte unless that is a space or
    /// not ASCII, without Unicode's character properties for every segment.
    static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first, first < 0x80, first != 0x20, !(0x09...0x0D).contains(first) { return false }
        return text.allSatisfy(\.isWhitespace)
    }
}

/// HTML's named character references (`&eacute;`), decoded from the fragment's bytes before
/// libxml2 parses it: its HTML parser looks each one up by comparing it with the names of its
/// table one after another, a tenth of importing a national export whose lists write every
/// accent so. The table is libxml2's own, read once.
///
/// Left to the parser, so that the text is the same: references to markup characters
/// (`&lt;`, `&amp;`…), unknown names, references without their `;`, numeric ones, and every
/// reference of a fragment with an element whose text the parser keeps as written (`script`,
/// `style`…) or a CDATA section.
enum HTMLEntities {
    /// Each name's character as UTF-8, markup characters left out.
    static let table: [[UInt8]: [UInt8]] = {
        var table: [[UInt8]: [UInt8]] = [:]
        // libxml2 lists no names but finds a code point's: HTML 4 names none past U+2666.
        for value in UInt32(1)...0x2666 {
            guard let entity = htmlEntityValueLookup(value), let name = entity.pointee.name,
                  let scalar = Unicode.Scalar(entity.pointee.value), !"<>&\"'".unicodeScalars.contains(scalar) else { continue }
            table[Array(String(cString: name).utf8)] = Array(String(Character(scalar)).utf8)
        }
        return table
    }()

    /// ``table`` by names of up to eight bytes (HTML 4 has no longer one) packed in an integer:
    /// looked up without building a key.
    private static let byPackedName: [UInt64: [UInt8]] = Dictionary(uniqueKeysWithValues: table.compactMap { name, value in
        name.count <= 8 ? (packed(name[...]), value) : nil
    })

    private static func packed(_ name: ArraySlice<UInt8>) -> UInt64 {
        name.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Elements whose text the HTML parser keeps as written, references included.
    private static let rawTextElements: [[UInt8]] = ["script", "style", "xmp", "plaintext", "noscript", "iframe", "noembed", "noframes",
                                                      "textarea", "title"].map { Array($0.utf8) }

    /// `bytes` with the known named references decoded, or unchanged when they must be left to
    /// the parser.
    static func decodingNamedReferences(in bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")), !keepsReferences(bytes) else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&"), let (value, end) = reference(in: bytes, at: index) {
                result.append(contentsOf: value)
                index = end
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    /// The character of the named reference starting at `start` (an `&`) and the index past
    /// its `;`, when the table has it.
    private static func reference(in bytes: [UInt8], at start: Int) -> ([UInt8], Int)? {
        var end = start + 1
        while end < bytes.count, end - start <= 9, isNameByte(bytes[end]) { end += 1 }
        guard end > start + 1, end - start <= 9, end < bytes.count, bytes[end] == UInt8(ascii: ";"),
              let value = byPackedName[packed(bytes[(start + 1)..<end])] else { return nil }
        return (value, end + 1)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether the fragment opens an element whose text keeps its references, or a CDATA section.
    private static func keepsReferences(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            let name = bytes[(open + 1)...].prefix { isNameByte($0) }.map { $0 | 0x20 }
            if rawTextElements.contains(where: { $0.elementsEqual(name) }) { return true }
            if bytes[(open + 1)...].starts(with: "![CDATA[".utf8) { return true }
            index = open + 1
        }
        return false
    }
}
