import Foundation
import ZIPFoundation

/// Where a batch of exported files goes: a folder, or a ZIP archive written to a temporary
/// name and moved into place once complete, so that an interrupted export leaves no half file.
protocol ExportDestination {
    mutating func write(_ bytes: [UInt8], to relativePath: String) throws
    mutating func finish() throws
}

/// Files into a folder. Each file is written under a temporary name and renamed, so that an
/// interrupted export leaves whole files only; the batch is flushed to disk once at the end
/// (`syncfs`) instead of once per file, which cost more than writing 9,000 files.
struct FolderDestination: ExportDestination {
    let root: URL
    private var folders: Set<String> = []

    init(path: String) throws {
        root = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    struct WriteFailure: UserFacingError {
        var description: String

        /// Reads `errno` at once, before another call changes it.
        init(path: String) {
            description = "impossible d’écrire \(path) (\(String(cString: strerror(errno))))"
        }
    }

    mutating func write(_ bytes: [UInt8], to relativePath: String) throws {
        let url = root.appendingPathComponent(relativePath)
        let folder = url.deletingLastPathComponent()
        if folders.insert(folder.path).inserted {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).part")
        try Data(bytes).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw WriteFailure(path: url.path) }
    }

    mutating func finish() throws {
        let descriptor = open(root.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw WriteFailure(path: root.path) }
        defer { close(descriptor) }
        guard syncfs(descriptor) == 0 else { throw WriteFailure(path: root.path) }
    }
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

/// glibc's `syncfs(2)`: flushes the file system holding a descriptor, in one call. Swift's Glibc
/// module leaves it out (it is declared under `_GNU_SOURCE` only).
@_silgen_name("syncfs")
private func syncfs(_ descriptor: Int32) -> Int32
