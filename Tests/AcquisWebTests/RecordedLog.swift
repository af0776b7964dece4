import Foundation
import Logging

/// Every line a server logs, kept in memory for a test to read: message and metadata as text.
final class RecordedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var lines: [String] { lock.withLock { entries } }

    func append(_ line: String) { lock.withLock { entries.append(line) } }

    /// A logger writing here.
    var logger: Logger {
        Logger(label: "acquis") { _ in Handler(log: self) }
    }

    /// The lines that contain any of `words`: what must stay out of logs.
    func lines(containing words: [String]) -> [String] {
        lines.filter { line in words.contains { line.localizedCaseInsensitiveContains($0) } }
    }

    struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) " + all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))
        }
    }
}
