import AcquisBadges
import Foundation

/// Which Open Badges version a baked image carries; each has its own PNG keyword and SVG element.
public enum OpenBadgesVersion: Int, Sendable, CaseIterable, CustomStringConvertible {
    case v2 = 2
    case v3 = 3

    /// The `iTXt` keyword of the Open Badges baking specifications.
    public var pngKeyword: String {
        switch self {
        case .v2: "openbadges"
        case .v3: "openbadgecredential"
        }
    }

    var svgNamespace: String {
        switch self {
        case .v2: "http://openbadges.org"
        case .v3: "https://purl.imsglobal.org/ob/v3p0"
        }
    }

    var svgElement: String {
        switch self {
        case .v2: "assertion"
        case .v3: "credential"
        }
    }

    public var description: String { "Open Badges \(rawValue).0" }
}

public enum BakingError: Error, Equatable, CustomStringConvertible {
    case notPNG
    case notSVG
    case truncatedPNG(offset: Int)
    case compressedText

    public var description: String {
        switch self {
        case .notPNG: "ce fichier n’est pas une image PNG"
        case .notSVG: "ce fichier n’est pas une image SVG (élément <svg> introuvable)"
        case .truncatedPNG(let offset): "image PNG tronquée ou abîmée (octet \(offset))"
        case .compressedText: "le badge est dans un bloc iTXt compressé, que les vérificateurs Open Badges ne lisent pas"
        }
    }
}

/// Puts a signed badge into a PNG image and takes it out again: an uncompressed `iTXt` chunk
/// with an empty language tag and translated keyword, right after `IHDR`, as the Open Badges
/// baking specifications and their reference tools expect.
public enum PNGBaker {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether the bytes start like a PNG image.
    public static func isPNG(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    struct Chunk {
        var type: String
        var range: Range<Int>
        var data: Range<Int>
    }

    static func chunks(_ bytes: [UInt8]) throws(BakingError) -> [Chunk] {
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { throw .notPNG }
        var chunks: [Chunk] = []
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw .truncatedPNG(offset: offset) }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 12 + length
            guard end <= bytes.count else { throw .truncatedPNG(offset: offset) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            chunks.append(Chunk(type: type, range: offset..<end, data: offset + 8..<offset + 8 + length))
            offset = end
            if type == "IEND" { break }
        }
        guard chunks.first?.type == "IHDR" else { throw .notPNG }
        return chunks
    }

    /// The image with `text` baked in; an earlier badge of the same version is replaced.
    public static func bake(_ text: String, into png: [UInt8], version: OpenBadgesVersion) throws(BakingError) -> [UInt8] {
        let chunks = try chunks(png)
        var result = Array(png[0..<chunks[0].range.upperBound])
        result.reserveCapacity(png.count + text.utf8.count + 64)
        appendITXtChunk(keyword: version.pngKeyword, text: text, to: &result)
        for chunk in chunks.dropFirst() where !(chunk.type == "iTXt" && keyword(of: chunk, in: png) == version.pngKeyword) {
            result += png[chunk.range]
        }
        return result
    }

    /// The baked text, if the image holds a badge of that version.
    public static func unbake(_ png: [UInt8], version: OpenBadgesVersion) throws(BakingError) -> String? {
        for chunk in try chunks(png) where chunk.type == "iTXt" && keyword(of: chunk, in: png) == version.pngKeyword {
            let data = png[chunk.data]
            let afterKeyword = data.startIndex + version.pngKeyword.utf8.count + 1
            guard afterKeyword + 2 <= data.endIndex else { throw .truncatedPNG(offset: chunk.range.lowerBound) }
            guard data[afterKeyword] == 0 else { throw .compressedText }
            // Skip the compression flag and method, then the language tag and translated keyword.
            var index = afterKeyword + 2
            for _ in 0..<2 {
                guard let zero = data[index...].firstIndex(of: 0) else { throw .truncatedPNG(offset: chunk.range.lowerBound) }
                index = zero + 1
            }
            return String(decoding: data[index...], as: UTF8.self)
        }
        return nil
    }

    /// Uncompressed, without language tag or translated keyword.
    static func appendITXtChunk(keyword: String, text: String, to bytes: inout [UInt8]) {
        appendChunk(type: "iTXt", to: &bytes) { data in
            data += keyword.utf8
            data += [0, 0, 0, 0, 0]
            data += text.utf8
        }
    }

    static func chunk(type: String, data: [UInt8]) -> [UInt8] {
        var chunk: [UInt8] = []
        appendChunk(type: type, to: &chunk) { $0 += data }
        return chunk
    }

    /// Appends a chunk: its length, type, the data `write` appends, and the CRC of type and
    /// data. Written in place: a badge's chunk is a few kilobytes, copied once.
    static func appendChunk(type: String, to bytes: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let start = bytes.count
        bytes += [0, 0, 0, 0]
        bytes += type.utf8
        write(&bytes)
        let length = UInt32(bytes.count - start - 8)
        for (offset, byte) in bigEndian(length).enumerated() { bytes[start + offset] = byte }
        let crc = bytes.withUnsafeBufferPointer { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[(start + 4)...])) }
        bytes += bigEndian(crc)
    }

    private static func keyword(of chunk: Chunk, in png: [UInt8]) -> String? {
        guard let zero = png[chunk.data].firstIndex(of: 0) else { return nil }
        return String(decoding: png[chunk.data.lowerBound..<zero], as: UTF8.self)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Puts a signed badge into an SVG image: an `openbadges:assertion` (2.0) or
/// `openbadges:credential` (3.0) element right after the opening `<svg>` tag, whose `verify`
/// attribute holds the JWS, with the namespace declared on `<svg>`.
public enum SVGBaker {
    public static func bake(_ token: String, into svg: String, version: OpenBadgesVersion) throws(BakingError) -> String {
        guard let open = svg.range(of: "<svg"), let close = svg[open.upperBound...].firstIndex(of: ">") else {
            throw .notSVG
        }
        var tag = String(svg[open.lowerBound..<close])
        let selfClosing = tag.hasSuffix("/")
        if selfClosing { tag.removeLast() }
        if !tag.contains("xmlns:openbadges=") {
            tag += " xmlns:openbadges=\"\(version.svgNamespace)\""
        }
        let element = "<openbadges:\(version.svgElement) verify=\"\(escaped(token))\"/>"
        let rest = svg[svg.index(after: close)...]
        return String(svg[..<open.lowerBound]) + tag + ">" + element + (selfClosing ? "</svg>" + rest : String(rest))
    }

    /// The `verify` attribute of the first Open Badges element, whatever its prefix.
    public static func unbake(_ svg: String, version: OpenBadgesVersion) -> String? {
        var search = svg.startIndex..<svg.endIndex
        while let match = svg.range(of: ":\(version.svgElement)", range: search) {
            search = match.upperBound..<svg.endIndex
            guard let open = svg[..<match.lowerBound].lastIndex(of: "<"),
                  svg[svg.index(after: open)..<match.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                  let end = svg[match.upperBound...].firstIndex(of: ">") else { continue }
            let tag = svg[match.upperBound..<end]
            guard let attribute = tag.range(of: "verify=") else { continue }
            let quoteIndex = attribute.upperBound
            guard quoteIndex < tag.endIndex else { continue }
            let quote = tag[quoteIndex]
            let valueStart = tag.index(after: quoteIndex)
            guard quote == "\"" || quote == "'", let valueEnd = tag[valueStart...].firstIndex(of: quote) else { continue }
            return unescaped(String(tag[valueStart..<valueEnd]))
        }
        return nil
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// CRC-32 (ISO 3309, as PNG chunks use it).
enum CRC32 {
    /// Slicing-by-8: eight tables of 256 entries, one after the other, so that the loop reads
    /// eight bytes a step; table 0 is the classic one.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
            tables[index] = value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer(checksum)
    }

    static func checksum(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            var index = 0
            while index + 8 <= buffer.count {
                let low = crc ^ (UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8
                                 | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24)
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(buffer[index + 4])] ^ t[2 * 256 + Int(buffer[index + 5])]
                    ^ t[256 + Int(buffer[index + 6])] ^ t[Int(buffer[index + 7])]
                index += 8
            }
            while index < buffer.count {
                crc = t[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
            return crc ^ 0xFFFF_FFFF
        }
    }
}
