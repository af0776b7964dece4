import AcquisCore
import Foundation

/// Reads a CSV file as exported by spreadsheets: separator `;`, `,` or tab (detected on the
/// header line), optional quotes with `""` escapes and line breaks inside, optional UTF-8
/// byte order mark. A file that is not UTF-8 is read as Windows-1252, the encoding French
/// Excel saves « CSV (séparateur : point-virgule) » in; one that starts with a UTF-16 byte
/// order mark (Excel's « Texte Unicode », tab-separated) is read as UTF-16.
///
/// Fields are handed out one row at a time and decoded only when asked for: a bulk import
/// of a million rows reads only the columns it uses.
public struct CSVReader {
    public let file: String
    public let separator: UInt8
    /// True when the file was not UTF-8 and was read as Windows-1252 or UTF-16.
    public let wasTranscoded: Bool
    /// The file's bytes as read or as transcoded to UTF-8.
    private let bytes: Data
    /// The file mapped, when it is UTF-8 and could be: read in place and given back behind
    /// the rows read, never copied.
    private let mapped: MappedFile?
    private let start: Int

    public init(path: String) throws(InvalidInput) {
        if let mapped = MappedFile(path: path), Self.isUTF8(mapped) {
            let buffer = mapped.buffer
            let start = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let separator = try Self.separator(of: UnsafeBufferPointer(rebasing: buffer[start...]), file: path)
            self.init(file: path, separator: separator, wasTranscoded: false, bytes: Data(), mapped: mapped, start: start)
            return
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "fichier introuvable ou illisible"
            throw InvalidInput(Diagnostic(file: path, message: "impossible d’ouvrir le fichier (\(reason))"))
        }
        try self.init(data: data, file: path)
    }

    /// Checks a mapped file is UTF-8 a few megabytes at a time, giving each back once checked;
    /// a chunk ends on an ASCII byte, so that no character is cut in two.
    private static func isUTF8(_ mapped: MappedFile) -> Bool {
        let buffer = mapped.buffer
        var position = 0
        while position < buffer.count {
            var end = min(buffer.count, position + (4 << 20))
            while end < buffer.count && end > position && buffer[end] >= 0x80 { end -= 1 }
            if end == position { end = buffer.count }
            guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: buffer[position..<end])) else {
                mapped.releaseAll()
                return false
            }
            position = end
            mapped.releaseBefore(position)
        }
        mapped.releaseAll()
        return true
    }

    /// The separator of a file's bytes after any byte order mark; refused when they are blank.
    private static func separator(of body: some Collection<UInt8>, file: String) throws(InvalidInput) -> UInt8 {
        guard body.contains(where: { $0 != 10 && $0 != 13 && $0 != 32 }) else {
            throw InvalidInput(Diagnostic(file: file, line: 1, message: "le fichier est vide ; une ligne d’en-tête est attendue"))
        }
        return detectSeparator(body)
    }

    private init(file: String, separator: UInt8, wasTranscoded: Bool, bytes: Data, mapped: MappedFile?, start: Int) {
        self.file = file
        self.separator = separator
        self.wasTranscoded = wasTranscoded
        self.bytes = bytes
        self.mapped = mapped
        self.start = start
    }

    public init(data: Data, file: String) throws(InvalidInput) {
        var bytes = data
        var transcoded = false
        // Excel's « Texte Unicode » is UTF-16 (little-endian on Windows) with a byte order mark.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes.first == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            guard let text = String(data: data.dropFirst(2), encoding: encoding) else {
                throw InvalidInput(Diagnostic(file: file, line: 1, message: "texte Unicode (UTF-16) illisible ; enregistrez le fichier en CSV UTF-8"))
            }
            bytes = Data(text.utf8)
            transcoded = true
        } else if !UTF8Validation.isValid(data) {
            guard let text = String(data: data, encoding: .windowsCP1252) else {
                throw InvalidInput(Diagnostic(file: file, line: 1, message: "encodage illisible ; enregistrez le fichier en CSV UTF-8"))
            }
            bytes = Data(text.utf8)
            transcoded = true
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let separator = try Self.separator(of: bytes.dropFirst(start), file: file)
        self.init(file: file, separator: separator, wasTranscoded: transcoded, bytes: bytes, mapped: nil, start: start)
    }

    /// The most frequent of `;`, tab and `,` outside quotes on the first line; `;` if none.
    private static func detectSeparator(_ bytes: some Collection<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in bytes {
            if byte == 34 { quoted.toggle() }
            if !quoted && (byte == 10 || byte == 13) { break }
            if !quoted && (byte == 59 || byte == 44 || byte == 9) { counts[byte, default: 0] += 1 }
        }
        return [59, 9, 44].max { counts[$0, default: 0] < counts[$1, default: 0] }
            .flatMap { counts[$0, default: 0] > 0 ? $0 : nil } ?? 59
    }

    /// Calls `body` with each row, blank rows skipped. Stops at the first error `body` throws.
    public func forEachRow(_ body: (CSVRow) throws -> Void) throws {
        if let mapped {
            defer { mapped.releaseAll() }
            return try forEachRow(in: mapped.buffer, releasing: mapped, body)
        }
        try bytes.withUnsafeBytes { raw in try forEachRow(in: raw.bindMemory(to: UInt8.self), releasing: nil, body) }
    }

    private func forEachRow(in buffer: UnsafeBufferPointer<UInt8>, releasing mapped: MappedFile?, _ body: (CSVRow) throws -> Void) throws {
        var row = CSVRow(buffer: buffer)
        var position = start
        var line = 1
        let end = buffer.count
        while position < end {
            row.reset(line: line)
            var fieldStart = position
            var needsUnquoting = false
            var inQuotes = false
            // One record: may span several lines when a quoted field holds line breaks.
            while position < end {
                let byte = buffer[position]
                if inQuotes {
                    if byte == 34 {
                        if position + 1 < end && buffer[position + 1] == 34 {
                            position += 2
                            continue
                        }
                        inQuotes = false
                    } else if byte == 10 {
                        line += 1
                    }
                    position += 1
                    continue
                }
                if byte == 34 {
                    inQuotes = true
                    needsUnquoting = true
                    position += 1
                } else if byte == separator {
                    row.append(fieldStart..<position, quoted: needsUnquoting)
                    position += 1
                    fieldStart = position
                    needsUnquoting = false
                } else if byte == 10 || byte == 13 {
                    break
                } else {
                    position += 1
                }
            }
            row.append(fieldStart..<position, quoted: needsUnquoting)
            if position < end && buffer[position] == 13 { position += 1 }
            if position < end && buffer[position] == 10 { position += 1 }
            line += 1
            if !row.isBlank { try body(row) }
            // Rows before this one are never read again.
            mapped?.releaseBefore(position)
        }
    }
}

/// One record of a CSV file. Valid only during the call it is handed to.
public struct CSVRow {
    /// The line the record starts on, counted from 1 with the header.
    public private(set) var line = 0
    private let buffer: UnsafeBufferPointer<UInt8>
    private var fields: [(range: Range<Int>, quoted: Bool)] = []

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        fields.reserveCapacity(32)
    }

    mutating func reset(line: Int) {
        self.line = line
        fields.removeAll(keepingCapacity: true)
    }

    mutating func append(_ range: Range<Int>, quoted: Bool) {
        fields.append((range, quoted))
    }

    public var count: Int { fields.count }

    var isBlank: Bool {
        fields.allSatisfy { field in field.range.allSatisfy { buffer[$0] == 32 || buffer[$0] == 9 } && !field.quoted }
    }

    /// The field at `index`, unquoted and trimmed of surrounding spaces; empty when the row is shorter.
    public subscript(index: Int) -> String {
        guard index < fields.count else { return "" }
        let field = fields[index]
        var lower = field.range.lowerBound, upper = field.range.upperBound
        while lower < upper && (buffer[lower] == 32 || buffer[lower] == 9) { lower += 1 }
        while upper > lower && (buffer[upper - 1] == 32 || buffer[upper - 1] == 9) { upper -= 1 }
        let slice = UnsafeBufferPointer(rebasing: buffer[lower..<upper])
        guard field.quoted else { return String(decoding: slice, as: UTF8.self) }
        // Drop the quotes and turn each doubled quote into one.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            if byte == 34 {
                if index + 1 < slice.count && slice[index + 1] == 34 { bytes.append(34); index += 2 } else { index += 1 }
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// The field at `index`, or nil when it is empty.
    public func optional(_ index: Int?) -> String? {
        guard let index else { return nil }
        let value = self[index]
        return value.isEmpty ? nil : value
    }

    public var values: [String] { (0..<count).map { self[$0] } }
}
