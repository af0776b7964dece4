import AcquisStorage
import AcquisStore
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// An académie's database: PostgreSQL, shared by every school and by every `acquis serve`
/// process that names it. The stores run the same code and the same schema as on SQLite.
///
/// Writes are serialised, as SQLite's are: each write transaction first takes one advisory
/// lock, held until it commits, so that a mastery always follows every evaluation committed
/// before it, whichever process recorded them. Reads run side by side, each on a snapshot
/// (`REPEATABLE READ`).
public final class PostgresStorage: Storage, Sendable {
    /// Where the database is, without its password.
    public let location: PostgresLocation
    private let pool: ConnectionPool

    /// Connects (checking the address, the account and the database) and brings the schema up
    /// to date; throws ``PostgresStorageError`` when the server cannot be used.
    public init(_ location: PostgresLocation) throws {
        self.location = location
        pool = ConnectionPool(location: location)
        try pool.withConnection(serving: false) { connection in
            let role = try connection.row(sql: "SELECT current_user AS name, rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user")
            if let role, role["bypasses"] == true { throw PostgresStorageError.passesThroughSchoolWall(role: role["name"] ?? "") }
            try PostgresSchema.migrate(connection)
        }
    }

    public func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await transaction(begin: Self.reading(confinedTo: SchoolConfinement.schoolID)) { try body(SQLTransaction(db: $0)) }
    }

    /// Runs `body`'s one statement without `BEGIN` and `COMMIT` (two round trips fewer), unless
    /// the unit of work is confined to a school: the wall is a setting of a transaction.
    public func readStatement<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        guard SchoolConfinement.schoolID == nil else { return try await read(body) }
        return try await transaction(begin: .alone) { try body(SQLTransaction(db: $0)) }
    }

    public func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await write(.everything, body)
    }

    public func write<T: Sendable>(_ scope: WriteScope, _ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await transaction(begin: Self.writing(scope, confinedTo: SchoolConfinement.schoolID)) { try body(SQLTransaction(db: $0)) }
    }

    /// A write transaction with the stores' connection, blocking the calling thread (never call
    /// it from an event loop or a task): for tools and tests that call the stores directly.
    public func writeSQLNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try run(begin: Self.writing(.everything, confinedTo: SchoolConfinement.schoolID), body)
    }

    /// A read transaction with the stores' connection, blocking the calling thread.
    public func readSQLNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try run(begin: Self.reading(confinedTo: SchoolConfinement.schoolID), body)
    }

    /// How a transaction starts, and whether its COMMIT is waited for.
    private struct Opening {
        var statements: [String]
        /// A read's COMMIT is sent without waiting: it can change nothing, and the body's
        /// statements were all answered already (each waits, or precedes one that does). The
        /// connection's next transaction waits for it. A write waits: it may be refused.
        var isReadOnly: Bool
        /// Whether the transaction runs beside other writes, locking each student whose levels
        /// it computes (``SQLConnection/lockStudents(_:)``).
        var locksStudents = false
        /// The most statements the unit of work may run; nil for any number.
        var statementLimit: Int?

        /// Whether a transaction is opened, then committed or rolled back.
        var opensTransaction: Bool { !statements.isEmpty }

        /// One statement on its own: the server runs it in a transaction of its own.
        static let alone = Opening(statements: [], isReadOnly: true, statementLimit: 1)
    }

    /// How a read starts: on a snapshot, refusing writes, behind the wall of its school if any.
    private static func reading(confinedTo school: Int64?) -> Opening {
        Opening(statements: ["BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"] + (school.map { ["SELECT \(confinement($0))"] } ?? []),
                isReadOnly: true)
    }

    /// How a write starts, behind the wall of its school if any (one round trip for both): one
    /// that may change anything after every other process's write has committed (the writers'
    /// lock, exclusive); one of students' evaluations beside the others of its kind (the same
    /// lock, shared), each waiting for another only once it locks the same student.
    private static func writing(_ scope: WriteScope, confinedTo school: Int64?) -> Opening {
        let lock = scope == .students ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock"
        return Opening(statements: ["BEGIN", "SELECT \(lock)(\(writerLock))" + (school.map { ", \(confinement($0))" } ?? "")],
                       isReadOnly: false, locksStudents: scope == .students)
    }

    /// Sets the school the transaction's rows must belong to (``SchoolWall``), until it ends.
    private static func confinement(_ school: Int64) -> String {
        "set_config('acquis.school', '\(school)', true)"
    }

    /// Closes every idle connection.
    public func close() {
        pool.close()
    }

    /// The advisory lock every write transaction holds (an arbitrary number, the same in every process).
    static let writerLock: Int64 = 0x4163_7175_6973

    private static let queue = DispatchQueue(label: "acquis.postgres", attributes: .concurrent)

    private func transaction<T: Sendable>(begin: Opening, _ body: @Sendable @escaping (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try self.run(begin: begin, body) })
            }
        }
    }

    private func run<T>(begin: Opening, _ body: (any SQLConnection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            // The body's first statement waits for these answers too: one wait fewer per transaction.
            for statement in begin.statements { connection.send(raw: statement) }
            connection.locksStudents = begin.locksStudents
            connection.statementLimit = begin.statementLimit
            do {
                let value = try body(connection)
                if !begin.opensTransaction {
                    // The statement committed on its own.
                } else if begin.isReadOnly {
                    connection.send(raw: "COMMIT")
                } else {
                    try connection.refreshStatisticsAfterBulkWrite()
                    try connection.execute(raw: "COMMIT")
                }
                return value
            } catch {
                // A closed connection has nothing to roll back (the server did it), and a statement
                // sent on it would never be answered.
                if begin.opensTransaction, !connection.connection.isClosed { try? connection.execute(raw: "ROLLBACK") }
                throw error
            }
        }
    }
}

/// Connections kept open between transactions, at most ``limit`` at a time per process.
final class ConnectionPool: Sendable {
    let location: PostgresLocation
    private let idle = Mutex<[PooledConnection]>([])
    private let slots: DispatchSemaphore
    private let nextID = Atomic<Int>(1)
    static let limit = 8

    init(location: PostgresLocation) {
        self.location = location
        slots = DispatchSemaphore(value: Self.limit)
    }

    /// Runs `body` on a connection of the pool. A pooled connection the server has closed since
    /// (a restart) is replaced once, before `body` has done anything; a connection lost while
    /// `body` runs is ``PostgresConnectionLost``, to be tried again.
    ///
    /// Once serving (`serving`), a server that no longer answers is ``PostgresConnectionLost``
    /// too: the request can be tried again when it is back.
    func withConnection<T>(serving: Bool = true, _ body: (PostgresSQLConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        var pooled = takeIdle()
        while true {
            let connection: PooledConnection
            do {
                connection = try pooled ?? PooledConnection(connect())
            } catch PostgresStorageError.unreachable(_) where serving {
                throw PostgresConnectionLost()
            }
            let adapter = PostgresSQLConnection(connection.connection, prepared: connection.prepared, logger: Self.logger)
            do {
                let value = try body(adapter)
                idle.withLock { $0.append(connection) }
                return value
            } catch {
                guard connection.connection.isClosed || Self.isConnectionLoss(error) else {
                    idle.withLock { $0.append(connection) }
                    throw error
                }
                Self.discard(connection.connection)
                // Nothing was sent on a connection that was already dead when taken from the pool.
                guard pooled != nil, !adapter.hasSentStatements else { throw PostgresConnectionLost() }
                pooled = takeIdle()
            }
        }
    }

    /// A pooled connection still open; those the server closed meanwhile are dropped.
    private func takeIdle() -> PooledConnection? {
        while let pooled = idle.withLock({ $0.popLast() }) {
            guard pooled.connection.isClosed else { return pooled }
            Self.discard(pooled.connection)
        }
        return nil
    }

    /// Closes a connection without waiting (the caller may be on an event loop); the closure
    /// keeps it alive until it is closed, as postgres-nio requires.
    private static func discard(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Whether an error means the connection itself is gone.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code)
    }

    func close() {
        for pooled in idle.withLock({ list in defer { list.removeAll() }; return list }) {
            _ = try? pooled.connection.close().wait()
        }
    }

    /// A storage dropped without ``PostgresStorage/close()`` still says goodbye to the server;
    /// without waiting, as the last reference may go on an event loop.
    deinit {
        for pooled in idle.withLock({ $0 }) {
            Self.discard(pooled.connection)
        }
    }

    private func connect() throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        // What is sent is UTF-8, whatever the database's encoding: text, and the literals of a
        // prepared statement's EXECUTE, whose quotes and backslashes no other byte can hide.
        configuration.options.additionalStartupParameters = [("client_encoding", "UTF8")]
        let id = nextID.add(1, ordering: .relaxed).oldValue
        do {
            let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                                            id: id, logger: Self.logger).wait()
            return connection
        } catch {
            throw PostgresStorageError(connecting: error, to: location)
        }
    }

    /// A connection of the pool with the statements prepared on it, which live as long as it.
    struct PooledConnection: Sendable {
        let connection: PostgresConnection
        let prepared: PreparedStatements

        init(_ connection: PostgresConnection) {
            self.connection = connection
            prepared = PreparedStatements()
        }
    }

    /// postgres-nio logs nothing of ours: statements and values stay out of the logs.
    static let logger = Logger(label: "acquis.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}
