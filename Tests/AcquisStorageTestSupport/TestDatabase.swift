import AcquisPostgres
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// The engines a test runs on: SQLite always, PostgreSQL too wherever it is installed (always
/// in CI). Test names carry the engine, so that a run says which engine it used.
public enum Engine: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"

    /// The engines of this run.
    public static var all: [Engine] { PostgresTestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite] }

    public var testDescription: String { rawValue }
}

/// A new empty database of one engine, for tests that call the stores directly as well as
/// through ``Storage``.
public final class TestDatabase: Sendable {
    public let engine: Engine
    /// The database as the application sees it.
    public let storage: any Storage
    private let sqlite: AcquisDatabase?
    private let postgres: PostgresStorage?

    public init(_ engine: Engine) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            let database = try AcquisDatabase()
            (sqlite, postgres, storage) = (database, nil, database)
        case .postgres:
            let database = try PostgresStorage(try PostgresLocation(try PostgresTestDatabase.address()))
            (sqlite, postgres, storage) = (nil, database, database)
        }
    }

    /// A SQLite database file, for tests that read one with the same queries.
    public init(sqliteAt path: String) throws {
        engine = .sqlite
        let database = try AcquisDatabase(path: path)
        (sqlite, postgres, storage) = (database, nil, database)
    }

    /// Runs `body` in a write transaction, blocking the caller.
    @discardableResult
    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        if let sqlite { return try sqlite.writer.write { db in try body(db) } }
        return try postgres!.writeSQLNow(body)
    }

    /// Runs `body` in a read-only transaction, blocking the caller.
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        if let sqlite { return try sqlite.writer.read { db in try body(db) } }
        return try postgres!.readSQLNow(body)
    }

    /// Runs `body` in a write transaction of a SQLite database, counting the statements it
    /// runs: each would be a round trip to an académie's server.
    public func countingStatements<T>(_ body: (any SQLConnection) throws -> T) throws -> (result: T, statements: Int) {
        guard let sqlite else { preconditionFailure("statements are counted on SQLite") }
        return try sqlite.writer.write { db in
            let count = Mutex(0)
            db.trace(options: .statement) { _ in count.withLock { $0 += 1 } }
            defer { db.trace(options: .statement, nil) }
            let result = try body(db)
            return (result, count.withLock { $0 })
        }
    }

    /// How many rows the transaction of `db` inserted, changed or deleted so far.
    public static func rowsWritten(in db: any SQLConnection) throws -> Int {
        if let sqlite = db as? Database { return sqlite.totalChangesCount }
        return try db.value(Int.self, sql: """
            SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables
            """) ?? 0
    }

    /// How many rows a table holds.
    public func count(_ table: String) throws -> Int {
        try read { try $0.value(Int.self, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// Runs tasks on dispatched threads, never the cooperative pool: for tests whose tasks must
/// run at the same time, or block, whatever else the run is doing (the pool has one thread
/// per core, and other tests may keep them busy for minutes).
public final class OwnThreads: TaskExecutor {
    private let queue = DispatchQueue(label: "acquis.tests.own-threads", attributes: .concurrent)

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
