import Foundation

/// The independent Open Badges validators from PyPI, installed by `Tests/Validators/install.sh`
/// (CI runs it; locally, run it once). One virtual environment each.
public enum Validators {
    public static let root = ProcessInfo.processInfo.environment["ACQUIS_VALIDATORS"]
        ?? Fixtures.repositoryRoot.appendingPathComponent(".venv-validators").path
    public static let scripts = Fixtures.repositoryRoot.appendingPathComponent("Tests/Validators").path
    public static let environments = ["obcore", "bakery", "ob3"]

    public static var available: Bool {
        environments.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/python") }
    }

    public static var runningInCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Runs a check script; its output lists one `ok`/`FAIL` line per check.
    public static func run(_ environment: String, _ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Validators.run("\(root)/\(environment)/bin/python", ["\(scripts)/\(script)"] + arguments)
    }

    /// Runs a program to its end; its standard output and error, interleaved, as one text.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
