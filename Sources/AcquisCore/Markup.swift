/// Escaping text for HTML and XML, over UTF-8 bytes: the web pages, the HTML exports and the
/// XML files all escape through it. Text with nothing to escape (most of it) is returned as is.
public enum Markup {
    /// Which characters become entities.
    public enum Escaping: Sendable {
        /// `& < > " '`: text and attribute values of an HTML page.
        case html
        /// `& < > "`: XML attribute values.
        case xmlAttribute
        /// `& < >`: XML text.
        case xmlText
    }

    /// `text` with its markup characters written as entities.
    public static func escaped(_ text: String, _ escaping: Escaping = .html) -> String {
        guard text.utf8.contains(where: { entity(for: $0, escaping) != nil }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        append(text, escaping, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text`, escaped, to a page being written as bytes.
    public static func append(_ text: String, _ escaping: Escaping = .html, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            if let entity = entity(for: byte, escaping) {
                bytes.append(contentsOf: entity)
            } else {
                bytes.append(byte)
            }
        }
    }

    // Multi-byte UTF-8 sequences never contain these ASCII bytes, so bytes can be tested alone.
    @inline(__always)
    private static func entity(for byte: UInt8, _ escaping: Escaping) -> [UInt8]? {
        switch byte {
        case UInt8(ascii: "&"): ampersand
        case UInt8(ascii: "<"): lessThan
        case UInt8(ascii: ">"): greaterThan
        case UInt8(ascii: "\"") where escaping != .xmlText: quote
        case UInt8(ascii: "'") where escaping == .html: apostrophe
        default: nil
        }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)
}
