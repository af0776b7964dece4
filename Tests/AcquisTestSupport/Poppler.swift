import Foundation

/// Tools from Debian's poppler-utils, which CI installs: PDF text and fonts as a reader sees them.
public enum Poppler {
    public static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

    public static func run(_ tool: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }

    /// The text of a PDF with its lines joined, so that a sentence wrapped over two lines is found whole.
    public static func text(_ path: String) throws -> String {
        try run("pdftotext", "-enc", "UTF-8", path, "-").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
