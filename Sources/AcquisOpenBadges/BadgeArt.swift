import AcquisBadges
import AcquisCore
import Foundation

/// The picture of a badge class, generated from its data: a medal in the colour of the level
/// it recognises, with its title and referential (SVG), or the medal alone (PNG, for places
/// that do not show SVG).
public enum BadgeArt {
    public static let size = 256

    public static func svg(_ badge: BadgeClass, subtitle: String) -> String {
        let color = RGB(hex: badge.color) ?? RGB(red: 46, green: 125, blue: 50)
        // The title sits in the middle, the issuer or referential above it; every line is
        // wrapped to the width of the circle at its height, so no text crosses the ring.
        let titleLines = fit(badge.name, baselines: [97, 119, 141, 163], fontSize: 17, charWidth: 10.6)
        let firstBaseline = 130 - (titleLines.count - 1) * 11
        let title = titleLines.enumerated().map { index, line in
            "<tspan x=\"128\" y=\"\(firstBaseline + index * 22)\">\(Markup.escaped(line, .xmlAttribute))</tspan>"
        }.joined()
        let subtitleLines = fit(subtitle, baselines: [62, 75], fontSize: 10, charWidth: 6.2)
        let top = subtitleLines.count == 1 ? [68] : [62, 75]
        let above = zip(subtitleLines, top).map { line, y in
            "<tspan x=\"128\" y=\"\(y)\">\(Markup.escaped(line, .xmlAttribute))</tspan>"
        }.joined()
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(size)" height="\(size)" viewBox="0 0 256 256" role="img" \
        aria-label="\(Markup.escaped(badge.name, .xmlAttribute))">\
        <title>\(Markup.escaped(badge.name, .xmlAttribute))</title>\
        <circle cx="128" cy="128" r="124" fill="\(color.darker.hex)"/>\
        <circle cx="128" cy="128" r="110" fill="\(color.hex)"/>\
        <circle cx="128" cy="128" r="96" fill="none" stroke="#FFFFFF" stroke-width="3" stroke-dasharray="6 5"/>\
        <text text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="10" \
        fill="\(color.textColor)">\(above)</text>\
        <text text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="17" font-weight="bold" \
        fill="\(color.textColor)">\(title)</text>\
        <path d="M112 200 l16 12 l16 -12" fill="none" stroke="\(color.textColor)" stroke-width="5" stroke-linecap="round"/>\
        </svg>
        """
    }

    /// How many characters fit on a line whose baseline is at `y`: the chord of a circle a
    /// little inside the dashed ring (radius 96), at the line's top or bottom, whichever is
    /// further from the centre.
    static func capacity(baseline y: Int, fontSize: Double, charWidth: Double) -> Int {
        let radius = 91.0
        let far = max(abs(Double(y) - 128), abs(Double(y) - fontSize * 0.75 - 128))
        guard far < radius else { return 0 }
        return Int(2 * (radius * radius - far * far).squareRoot() / charWidth)
    }

    /// Wraps `text` on spaces into lines that each fit the circle at their height; the last
    /// line ends with an ellipsis when the text does not fit.
    static func fit(_ text: String, baselines: [Int], fontSize: Double, charWidth: Double) -> [String] {
        // A short text is centred: try fewer lines first, centred on the middle baselines.
        for count in 1...baselines.count {
            let start = (baselines.count - count) / 2
            let widths = baselines[start..<(start + count)].map { capacity(baseline: $0, fontSize: fontSize, charWidth: charWidth) }
            if let lines = wrap(text, widths: widths) { return lines }
        }
        let widths = baselines.map { capacity(baseline: $0, fontSize: fontSize, charWidth: charWidth) }
        var lines: [String] = []
        var words = text.split(separator: " ").map(String.init)[...]
        for width in widths {
            var line = ""
            while let word = words.first, (line.isEmpty ? word.count : line.count + 1 + word.count) <= width {
                line += line.isEmpty ? word : " " + word
                words = words.dropFirst()
            }
            if line.isEmpty, let word = words.first {
                line = String(word.prefix(max(1, width - 1))) + "…"
                words = words.dropFirst()
            }
            lines.append(line)
        }
        if !words.isEmpty, let last = lines.indices.last {
            lines[last] = truncated(lines[last] + " …", widths[last])
        }
        return lines
    }

    /// `text` in lines of at most these widths, or nil when it needs more lines.
    static func wrap(_ text: String, widths: [Int]) -> [String]? {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let width = widths[min(lines.count, widths.count - 1)]
            if current.isEmpty {
                guard word.count <= width else { return nil }
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                guard lines.count < widths.count, word.count <= widths[lines.count] else { return nil }
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.count <= widths.count ? lines : nil
    }

    public static func png(_ badge: BadgeClass) -> [UInt8] {
        let color = RGB(hex: badge.color) ?? RGB(red: 46, green: 125, blue: 50)
        let palette = [RGB(red: 255, green: 255, blue: 255), color.darker, color, RGB(red: 255, green: 255, blue: 255)]
        var pixels = [UInt8](repeating: 0, count: size * size)
        let center = Double(size - 1) / 2
        for y in 0..<size {
            for x in 0..<size {
                let dx = Double(x) - center, dy = Double(y) - center
                let distance = (dx * dx + dy * dy).squareRoot()
                var index: UInt8 = distance <= 124 ? 1 : 0
                if distance <= 110 { index = 2 }
                let angle = atan2(dy, dx)
                if abs(distance - 96) <= 1.5, Int((angle + .pi) * 96 / 11) % 2 == 0 { index = 3 }
                if onCheckMark(x: Double(x), y: Double(y)) { index = 3 }
                pixels[y * size + x] = index
            }
        }
        return PNGEncoder.indexed(width: size, height: size, palette: palette, transparentIndex: 0, pixels: pixels)
    }

    private static func onCheckMark(x: Double, y: Double) -> Bool {
        distanceToSegment(x, y, 84, 132, 116, 164) <= 9 || distanceToSegment(x, y, 116, 164, 176, 96) <= 9
    }

    private static func distanceToSegment(_ x: Double, _ y: Double, _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> Double {
        let dx = x2 - x1, dy = y2 - y1
        let t = max(0, min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        let px = x1 + t * dx - x, py = y1 + t * dy - y
        return (px * px + py * py).squareRoot()
    }

    static func truncated(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

}

struct RGB: Hashable {
    var red: UInt8, green: UInt8, blue: UInt8

    init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    var hex: String { String(format: "#%02X%02X%02X", red, green, blue) }

    var darker: RGB {
        RGB(red: UInt8(Double(red) * 0.7), green: UInt8(Double(green) * 0.7), blue: UInt8(Double(blue) * 0.7))
    }

    /// Black or white, whichever reads better on this colour (WCAG relative luminance).
    var textColor: String {
        func linear(_ channel: UInt8) -> Double {
            let value = Double(channel) / 255
            return value <= 0.03928 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000000" : "#FFFFFF"
    }
}

/// A minimal PNG writer for palette images: the image data goes in stored (uncompressed)
/// deflate blocks, which every PNG reader accepts.
enum PNGEncoder {
    static func indexed(width: Int, height: Int, palette: [RGB], transparentIndex: UInt8?, pixels: [UInt8]) -> [UInt8] {
        var header = PNGBaker.bigEndian(UInt32(width)) + PNGBaker.bigEndian(UInt32(height))
        header += [8, 3, 0, 0, 0]  // 8-bit palette indices, no interlacing
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter: none
            raw += pixels[row * width..<(row + 1) * width]
        }
        var result = PNGBaker.signature
        result += PNGBaker.chunk(type: "IHDR", data: header)
        result += PNGBaker.chunk(type: "PLTE", data: palette.flatMap { [$0.red, $0.green, $0.blue] })
        if let transparentIndex {
            result += PNGBaker.chunk(type: "tRNS", data: (0...transparentIndex).map { $0 == transparentIndex ? 0 : 255 })
        }
        result += PNGBaker.chunk(type: "IDAT", data: zlibStored(raw))
        result += PNGBaker.chunk(type: "IEND", data: [])
        return result
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var result: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let isLast = offset + length == data.count
            result.append(isLast ? 1 : 0)
            result += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            result += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return result + PNGBaker.bigEndian(b << 16 | a)
    }
}
