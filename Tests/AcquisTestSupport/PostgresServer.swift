import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for the tests: a temporary cluster made with Debian's `initdb`
/// and started with `pg_ctl` on a free loopback port, once per test process, stopped when the
/// process exits. As root (CI), the cluster belongs to the `postgres` user, since PostgreSQL
/// refuses to run as root. Each test asks for a database of its own.
public final class PostgresServer: Sendable {
    /// The role Acquis connects as: an ordinary role that creates and owns its databases, as in
    /// a deployment (a superuser would pass through the wall between schools).
    public static let user = "acquis"
    /// The cluster's superuser, for what only it may do.
    public static let administrator = "postgres"
    public static let password = "mot-de-passe-de-test"

    public let port: Int
    let folder: String
    let binaries: String

    /// The server of this process, started on first use; nil when PostgreSQL is not installed
    /// (CI installs it: there, its absence fails the tests that need it).
    public static let shared: PostgresServer? = {
        guard let binaries = findBinaries() else { return nil }
        do {
            return try PostgresServer(binaries: binaries)
        } catch {
            FileHandle.standardError.write(Data("PostgreSQL did not start: \(error)\n".utf8))
            return nil
        }
    }()

    /// Whether tests on PostgreSQL must run: in CI, a missing server is a failure, not a skip.
    public static var required: Bool { Validators.runningInCI }

    /// A new empty database; its address, password included.
    public func newDatabase() throws -> String {
        let name = "acquis_\(UUID().uuidString.prefix(8).lowercased())"
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, name])
        return address(database: name)
    }

    /// The address of a database of this server, password included.
    public func address(database: String, user: String = PostgresServer.user, password: String = PostgresServer.password) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)"
    }

    private init(binaries: String) throws {
        self.binaries = binaries
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-pg-\(UUID().uuidString.prefix(8))").path
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.password.write(toFile: "\(folder)/password", atomically: true, encoding: .utf8)
        if getuid() == 0 { try runAsOwner("/bin/chown", ["-R", "postgres:postgres", folder], asRoot: true) }
        try runAsOwner("\(binaries)/initdb", ["-D", "\(folder)/data", "-U", Self.administrator, "--pwfile=\(folder)/password",
                                              "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"])
        try start()
        _ = try query("CREATE ROLE \(Self.user) LOGIN CREATEDB PASSWORD '\(Self.password)'", database: "postgres", as: Self.administrator)
        let first = Self.running.withLock { list in
            list.append((binaries, folder))
            return list.count == 1
        }
        guard first else { return }
        atexit {
            for (binaries, folder) in PostgresServer.running.withLock({ $0 }) {
                let arguments = ["-D", "\(folder)/data", "-m", "immediate", "stop"]
                _ = try? PostgresServer.execute(getuid() == 0 ? "/usr/sbin/runuser" : "\(binaries)/pg_ctl",
                                                getuid() == 0 ? ["-u", "postgres", "--", "\(binaries)/pg_ctl"] + arguments : arguments,
                                                environment: ProcessInfo.processInfo.environment)
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }

    private static let running = LockedValue<[(String, String)]>([])

    /// A server of the test's own, for tests that stop or restart it (never the shared one).
    public static func startPrivate() throws -> PostgresServer {
        guard let binaries = findBinaries() else {
            throw Failure(command: "initdb", output: "PostgreSQL is not installed (Debian: apt-get install postgresql)")
        }
        return try PostgresServer(binaries: binaries)
    }

    /// Stops the server at once, as a crash or a failover would; `restarting` starts it again.
    public func stop(restarting: Bool) throws {
        try runAsOwner("\(binaries)/pg_ctl", ["-D", "\(folder)/data", "-m", "immediate", "-w", "stop"])
        if restarting { try start() }
    }

    /// Starts the stopped server again on the same port.
    public func start() throws {
        try runAsOwner("\(binaries)/pg_ctl", ["-D", "\(folder)/data", "-l", "\(folder)/server.log", "-w", "-o",
                                              "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
                                              "start"])
    }

    /// The rows of a query run with psql on a database of this server, one line each, fields
    /// separated by `|`.
    public func query(_ sql: String, database: String) throws -> [String] {
        try query(sql, database: database, as: Self.user)
    }

    func query(_ sql: String, database: String, as user: String) throws -> [String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = Self.password
        let result = try Self.execute("\(binaries)/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-At", "-c", sql, database],
                                      environment: environment)
        guard result.status == 0 else { throw Failure(command: "psql", output: result.output) }
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Runs one of the server's client programs as the test process's user.
    public func run(_ program: String, _ arguments: [String]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = Self.password
        let result = try Self.execute("\(binaries)/\(program)", arguments, environment: environment)
        guard result.status == 0 else { throw Failure(command: program, output: result.output) }
    }

    /// Runs a program as the cluster's owner: `postgres` when the tests run as root.
    private func runAsOwner(_ executable: String, _ arguments: [String], asRoot: Bool = false) throws {
        let asPostgres = getuid() == 0 && !asRoot
        let result = try Self.execute(asPostgres ? "/usr/sbin/runuser" : executable,
                                      asPostgres ? ["-u", "postgres", "--", executable] + arguments : arguments,
                                      environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw Failure(command: (executable as NSString).lastPathComponent, output: result.output) }
    }

    /// Runs a program to its end through posix_spawn and waitpid. Not Foundation's `Process`:
    /// it learns of a child's exit from a descriptor the child inherits, and the server that
    /// `pg_ctl start` leaves running inherits it too, so `Process` would wait for the server.
    private static func execute(_ executable: String, _ arguments: [String], environment: [String: String]) throws
        -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure(command: executable, output: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// Debian's binaries (`/usr/lib/postgresql/VERSION/bin`, the newest), else `initdb` on the PATH.
    private static func findBinaries() -> String? {
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []).compactMap(Int.init).sorted()
        if let newest = versions.last, FileManager.default.isExecutableFile(atPath: "\(debian)/\(newest)/bin/initdb") {
            return "\(debian)/\(newest)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(folder)/initdb") {
            return String(folder)
        }
        return nil
    }

    /// A loopback port nothing listens on, for tests of a server that does not answer.
    public static func unusedPort() throws -> Int { try freePort() }

    /// A port nothing listens on now: the kernel's choice for a socket bound to port 0.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failure(command: "bind", output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var output: String

        public init(command: String, output: String) {
            self.command = command
            self.output = output
        }

        public var description: String { "\(command) failed: \(output)" }
    }
}

/// A value shared between threads behind a lock.
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Databases for tests that run on PostgreSQL as well as SQLite.
public enum PostgresTestDatabase {
    /// Whether the PostgreSQL runs take place: always in CI, elsewhere when PostgreSQL is installed.
    public static var enabled: Bool { PostgresServer.required || PostgresServer.shared != nil }

    /// The address of a new empty database on the test server.
    public static func address() throws -> String {
        guard let server = PostgresServer.shared else {
            throw PostgresServer.Failure(command: "initdb", output: "PostgreSQL is not installed (Debian: apt-get install postgresql)")
        }
        return try server.newDatabase()
    }
}
