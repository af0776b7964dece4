import Foundation

/// The real sign-in servers the tests talk to, from PyPI (installed by
/// `Tests/Validators/install.sh` in `.venv-validators/sso`): django-mama-cas as the ENT's CAS
/// server and a pysaml2 identity provider standing in for EduConnect. Each test starts its own
/// on a free loopback port and stops it when done.
public enum SSOServers {
    public static let python = "\(Validators.root)/sso/bin/python"
    public static let scripts = Fixtures.repositoryRoot.appendingPathComponent("Tests/SSO").path

    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.isExecutableFile(atPath: "/usr/bin/xmlsec1")
    }

    /// A person the servers know: login, password and the attributes released for them.
    public struct Person: Encodable, Sendable {
        public var password: String
        public var attributes: [String: [String]]

        public init(password: String, attributes: [String: [String]]) {
            self.password = password
            self.attributes = attributes
        }
    }

    /// A server process, stopped when the value is released.
    public final class Running: @unchecked Sendable {
        public let port: Int
        let process: Process
        public let folder: URL

        init(port: Int, process: Process, folder: URL) {
            self.port = port
            self.process = process
            self.folder = folder
        }

        public var base: String { "http://127.0.0.1:\(port)" }

        deinit {
            // SIGKILL: the child inherits the test runner's blocked signals, SIGTERM among them.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// django-mama-cas at `base/cas`, accepting any service on 127.0.0.1.
    public static func cas(people: [String: Person]) throws -> Running {
        try start("cas_server.py", people: people, extra: [])
    }

    /// The pysaml2 identity provider; its metadata at `base/idp.xml`. It reads the service
    /// provider's metadata from `serviceProviderMetadata` (http or file URL) on first use.
    public static func identityProvider(people: [String: Person], serviceProviderMetadata: String) throws -> Running {
        try start("saml_idp.py", people: people, extra: [serviceProviderMetadata])
    }

    private static func start(_ script: String, people: [String: Person], extra: [String]) throws -> Running {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-sso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let users = folder.appendingPathComponent("users.json")
        try JSONEncoder().encode(people).write(to: users)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["\(scripts)/\(script)", "0", folder.path, users.path] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The first line says the port it bound: « ready 40123 ».
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("ready "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw StartError(script: script)
        }
        return Running(port: port, process: process, folder: folder)
    }

    public struct StartError: Error, CustomStringConvertible {
        public var script: String
        public var description: String { "\(script) did not start: run Tests/Validators/install.sh" }
    }
}
