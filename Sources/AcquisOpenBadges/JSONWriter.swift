import Foundation
import JWTKit

/// Compact JSON of a ``JSONValue`` written straight to UTF-8 bytes: the same bytes as
/// Foundation's `JSONEncoder` with sorted keys and unescaped slashes (a test holds them
/// equal), without its boxing of every value — which was more than half the time of signing
/// an ES256 badge.
enum JSONWriter {
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, to: &out)
        return out
    }

    /// The same JSON indented as `JSONEncoder`'s `.prettyPrinted` writes it: two spaces per
    /// level, `"key" : value`, one member or item per line, an empty object or array on two
    /// lines. Progress files are written this way, for people who open them.
    static func prettyBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        writePretty(value, depth: 0, to: &out)
        return out
    }

    private static func writePretty(_ value: JSONValue, depth: Int, to out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            out.append(0x0A)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x0A]) }
                indent(depth + 1, &out)
                writePretty(item, depth: depth + 1, to: &out)
            }
            out.append(0x0A)
            indent(depth, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            out.append(0x0A)
            for (index, member) in members.sorted(by: { keyOrder($0.key, $1.key) }).enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x0A]) }
                indent(depth + 1, &out)
                write(string: member.key, to: &out)
                out.append(contentsOf: keySeparator)
                writePretty(member.value, depth: depth + 1, to: &out)
            }
            out.append(0x0A)
            indent(depth, &out)
            out.append(UInt8(ascii: "}"))
        default:
            write(value, to: &out)
        }
    }

    private static func indent(_ depth: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string): write(string: string, to: &out)
        case .number(let number): write(number: number, to: &out)
        case .bool(let flag): out.append(contentsOf: flag ? trueBytes : falseBytes)
        case .null: out.append(contentsOf: nullBytes)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Members sorted as pairs: no lookup (and no hashing) per key.
            for (index, member) in members.sorted(by: { keyOrder($0.key, $1.key) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(string: member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The order `JSONEncoder.OutputFormatting.sortedKeys` gives: Swift's string order
    /// (« a10 » before « a2 », « é » after « z »).
    static func keyOrder(_ a: String, _ b: String) -> Bool { a < b }

    private static func write(string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping (an image's data URI is tens of kilobytes): checked
        // eight bytes at a time and copied whole.
        var copy = string
        let copied = copy.withUTF8 { bytes -> Bool in
            guard !needsEscaping(bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any byte is a control character, `"` or `\\`. Word by word: a byte below 0x20
    /// or equal to one of the two leaves a high bit in the classic zero-byte tests, and no
    /// other byte does (each test answers exactly whether *some* byte matched).
    static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let below = (word &- ones &* 0x20) & ~word
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let zeroQuote = (quote &- ones) & ~quote, zeroBackslash = (backslash &- ones) & ~backslash
                if (below | zeroQuote | zeroBackslash) & highs != 0 { return true }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    private static func write(number: Double, to out: inout [UInt8]) {
        if let exact = Int(exactly: number) {
            out.append(contentsOf: Array(String(exact).utf8))
        } else {
            // Fractions are rare in badges; JSONEncoder's own formatting keeps the bytes equal.
            out.append(contentsOf: (try? JSONEncoder().encode(number)) ?? Data("null".utf8))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
    private static let keySeparator = Array(" : ".utf8)
    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)
}

/// The JWT library's encoder for Acquis's claims: ``JSONValue`` payloads through ``JSONWriter``,
/// anything else (the headers) through Foundation's encoder, configured the same way.
struct ClaimsEncoder: JWTJSONEncoder {
    private let fallback = JSONValue.encoder()

    func encode<T: Encodable>(_ value: T) throws -> Data {
        if let claims = value as? Claims { return Data(JSONWriter.bytes(claims.json)) }
        if let header = value as? JWTHeader, let json = JSONValue(header: .object(header.fields)) {
            return Data(JSONWriter.bytes(json))
        }
        return try fallback.encode(value)
    }
}

extension JSONValue {
    /// A header field as JSON; nil for a decimal, which Foundation's encoder formats itself.
    init?(header field: JWTHeaderField) {
        switch field {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .decimal: return nil
        case .string(let string): self = .string(string)
        case .array(let items):
            var values: [JSONValue] = []
            for item in items {
                guard let value = JSONValue(header: item) else { return nil }
                values.append(value)
            }
            self = .array(values)
        case .object(let members):
            var values: [String: JSONValue] = [:]
            for (key, item) in members {
                guard let value = JSONValue(header: item) else { return nil }
                values[key] = value
            }
            self = .object(values)
        }
    }
}
