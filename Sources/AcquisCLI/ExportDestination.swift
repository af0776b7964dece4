import Foundation
import ZIPFoundation

/// Where a batch of exported files goes: a folder, or a ZIP archive written to a temporary
/// name and moved into place once complete, so that an interrupted export leaves no half file.
protocol ExportDestination {
    mutating func write(_ bytes: [UInt8], to relativePath: String) throws
    mutating func finish() throws
}

struct FolderDestination: ExportDestination {
    let root: URL

    init(path: String) throws {
        root = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    mutating func write(_ bytes: [UInt8], to relativePath: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }

    mutating func finish() throws {}
}

struct ZIPDestination: ExportDestination {
    let target: URL
    let temporary: URL
    let archive: Archive

    init(path: String) throws {
        target = URL(fileURLWithPath: path)
        temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).part")
        try? FileManager.default.removeItem(at: temporary)
        archive = try Archive(url: temporary, accessMode: .create)
    }

    mutating func write(_ bytes: [UInt8], to relativePath: String) throws {
        let data = Data(bytes)
        try archive.addEntry(with: relativePath, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    mutating func finish() throws {
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: temporary, to: target)
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
struct ProgressBar {
    let total: Int
    let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDrawn = -1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    mutating func update(_ done: Int) {
        guard isTerminal, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        guard filled != lastDrawn || done == total else { return }
        lastDrawn = filled
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) \(label)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
