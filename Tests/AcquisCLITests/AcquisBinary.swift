import AcquisTestSupport
import Foundation

/// The real `acquis` binary, run as users run it, on a database of its own.
struct AcquisBinary {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Built next to the test bundle.
    static let url: URL = {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("acquis")
    }()

    /// An SQLite file by default; any location `--db` takes.
    let database: String
    /// The issuer's private keys, apart from every other test's.
    let keys = Fixtures.folder.appendingPathComponent("cles-\(UUID().uuidString)").path

    init(database: String = Fixtures.folder.appendingPathComponent("cli-\(UUID().uuidString).sqlite").path) {
        self.database = database
    }

    func callAsFunction(_ arguments: String...) throws -> Run {
        try callAsFunction(arguments)
    }

    /// Runs `acquis` with `arguments`; `input`, if any, is its standard input (a password).
    func callAsFunction(_ arguments: [String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["ACQUIS_DB": database, "ACQUIS_KEYS": keys]) { $1 }
        let output = Pipe(), errors = Pipe(), typed = Pipe()
        process.standardOutput = output
        process.standardError = errors
        if input != nil { process.standardInput = typed }
        try process.run()
        if let input {
            typed.fileHandleForWriting.write(Data(input.utf8))
            try typed.fileHandleForWriting.close()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   output: String(decoding: outData, as: UTF8.self), errors: String(decoding: errData, as: UTF8.self))
    }
}
