extension String {
    /// Trims and collapses every run of white space (no-break spaces included) into one
    /// space, as titles are wrapped freely in the files. Works on UTF-8 bytes: it runs on
    /// every field of national exports.
    func collapsingWhitespace() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var pendingSpace = false
        var iterator = utf8.makeIterator()
        var lookahead: UInt8? = iterator.next()
        while let byte = lookahead {
            lookahead = iterator.next()
            var isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            if byte == 0xC2, lookahead == 0xA0 {
                // U+00A0 NO-BREAK SPACE
                isSpace = true
                lookahead = iterator.next()
            } else if byte == 0xE2, lookahead == 0x80 {
                var probe = iterator
                if let third = probe.next(), third == 0xAF || (0x80...0x8A).contains(third) {
                    // U+202F NARROW NO-BREAK SPACE and U+2000–U+200A spaces
                    isSpace = true
                    iterator = probe
                    lookahead = iterator.next()
                }
            }
            if isSpace {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// Collapses white space inside each line but keeps the lines, for Markdown text such as
    /// badge criteria; blank lines at both ends are dropped.
    func trimmingWhitespace() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map { String($0).collapsingWhitespace() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
