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
            for (index, key) in members.keys.sorted(by: keyOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(string: key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The order `JSONEncoder.OutputFormatting.sortedKeys` gives: Swift's string order
    /// (« a10 » before « a2 », « é » after « z »).
    static func keyOrder(_ a: String, _ b: String) -> Bool { a < b }

    private static func write(string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copied whole.
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: string.utf8)
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

    private static func write(number: Double, to out: inout [UInt8]) {
        if let exact = Int(exactly: number) {
            out.append(contentsOf: Array(String(exact).utf8))
        } else {
            // Fractions are rare in badges; JSONEncoder's own formatting keeps the bytes equal.
            out.append(contentsOf: (try? JSONEncoder().encode(number)) ?? Data("null".utf8))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
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
