import AcquisStore
import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One PostgreSQL connection inside a transaction, as the stores see it.
///
/// The stores' code is synchronous and runs on a thread of its own (never an event loop), so
/// each statement waits for its result: the transaction is one conversation with the server,
/// as it is with SQLite.
final class PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    private let prepared: PreparedStatements
    private let logger: Logger
    private(set) var changedRows = 0
    /// How many times the connection waited for the server: each is a round trip, which costs
    /// a click more than the statement itself.
    private(set) var roundTrips = 0
    /// Whether a statement completed on this connection: until then, a failure changed nothing.
    private(set) var hasSentStatements = false
    /// Rows the transaction inserted, updated or deleted so far, as the server counted them.
    private(set) var writtenRows = 0
    /// Whether the transaction runs beside other writes (``WriteScope/students``), and so
    /// locks each student whose levels it computes.
    var locksStudents = false
    /// The most statements the unit of work may run (one, outside a transaction); nil for any.
    var statementLimit: Int?
    private var statements = 0

    /// Counts a statement of the unit of work, refusing one past ``statementLimit``.
    private func countStatement() throws {
        statements += 1
        if let statementLimit, statements > statementLimit { throw PostgresStorageError.oneStatementOnly }
    }

    init(_ connection: PostgresConnection, prepared: PreparedStatements, logger: Logger) {
        self.connection = connection
        self.prepared = prepared
        self.logger = logger
    }

    var engine: SQLEngine { .postgres }

    func run(sql: String, arguments: SQLArguments) throws {
        _ = try query(sql, arguments)
    }

    func rows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        try query(sql, arguments)
    }

    func row(sql: String, arguments: SQLArguments) throws -> SQLRow? {
        try query(sql, arguments).first
    }

    /// The rows come through a cursor of the transaction, a few thousand at a time: memory stays
    /// that of one batch however many rows there are, and `body` may run other statements
    /// between batches (a connection answers one statement at a time).
    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
        cursors += 1
        let cursor = "acquis_rows_\(cursors)"
        // Its first FETCH waits for the DECLARE's answer too: one round trip fewer per read.
        try send("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", arguments)
        let fetch = "FETCH \(Self.fetchSize) FROM \(cursor)"
        try requireOpen()
        var next = try start(fetch, [])
        while true {
            let rows = try rows(of: next)
            let isLast = rows.count < Self.fetchSize
            // The next batch is asked for before this one is handed out: the server reads it
            // while `body` works (statements `body` runs are answered after it).
            if !isLast {
                try requireOpen()
                next = try start(fetch, [])
            }
            for row in rows { try body(row) }
            if isLast { break }
        }
        // Read to its end, the cursor is closed with the transaction: a CLOSE would be one
        // more round trip for every query read this way.
    }

    private var cursors = 0
    private static let writingCommands: Set<String> = ["INSERT", "UPDATE", "DELETE", "MERGE"]
    private static let fewRows = 16
    private static let fetchSize = 5_000

    func violatesUniqueness(_ error: any Error) -> Bool {
        guard case let .statementFailed(state, _) = error as? PostgresStorageError else { return false }
        return state == "23505"
    }

    /// `COPY … FROM STDIN` in PostgreSQL's text format: the rows travel as one stream, without a
    /// statement each. PostgreSQL refuses COPY into a table under row-level security, so they
    /// land in a temporary table of the transaction and enter `table` by one `INSERT … SELECT`,
    /// which the wall between schools checks as any insert.
    func copy(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws {
        try copy(into: table, columns: columns, rows: rows, onConflict: onConflict, waiting: true)
    }

    /// The insert from the temporary table, where foreign keys are checked (two thirds of an
    /// evaluation import's time on the server), is sent without waiting for it: the caller
    /// reads and checks its next rows meanwhile.
    func copyAhead(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws {
        try copy(into: table, columns: columns, rows: rows, onConflict: onConflict, waiting: false)
    }

    private func copy(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?, waiting: Bool) throws {
        guard !rows.isEmpty else { return }
        // A few rows (a click's one mastery) go in one statement: COPY costs four round trips.
        // Copied ahead, it is not waited for: the next statement waited for is answered after
        // it, and throws its failure.
        guard rows.count > Self.fewRows else {
            let sql = PortableInsert.sql(into: table, columns: columns, rows: rows.count, onConflict: onConflict)
            let arguments = SQLArguments(rows.flatMap { $0 })
            guard waiting else {
                try send(sql, arguments)
                changedRows = rows.count
                return
            }
            return try run(sql: sql, arguments: arguments)
        }
        let staging = "acquis_copy_\(table.lowercased())", names = columns.joined(separator: ", ")
        // The COPY that follows waits for this one's answer too.
        send(raw: "CREATE TEMPORARY TABLE IF NOT EXISTS \(staging) ON COMMIT DROP AS SELECT \(names) FROM \(table) WITH NO DATA")
        try copy(into: staging, columns: columns, rows)
        // `WHERE TRUE` parts the SELECT from an ON CONFLICT clause that follows.
        for statement in ["INSERT INTO \(table) (\(names)) SELECT \(names) FROM \(staging) WHERE TRUE \(onConflict ?? "")",
                          "TRUNCATE \(staging)"] {
            if waiting { try execute(raw: statement) } else { send(raw: statement) }
        }
        changedRows = rows.count
    }

    /// Streams `rows` into `table` by COPY.
    private func copy(into table: String, columns: [String], _ rows: [[DatabaseValue]]) throws {
        try countStatement()
        try requireOpen()
        var data = ByteBuffer()
        data.reserveCapacity(rows.count * 96)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { data.writeInteger(UInt8(ascii: "\t")) }
                Self.writeCopyText(value, to: &data)
            }
            data.writeInteger(UInt8(ascii: "\n"))
        }
        let (connection, logger) = (self.connection, self.logger)
        let outcome = CopyOutcome()
        // postgres-nio streams COPY from async code only; this thread waits, as for every statement.
        // The task runs on threads of its own: the waiting thread may be one of the cooperative
        // pool's, which the task must not need.
        Task(executorPreference: CopyExecutor.shared) {
            do {
                // postgres-nio quotes the names; the schema's are unquoted, hence lower case.
                try await connection.copyFrom(table: table.lowercased(), columns: columns.map { $0.lowercased() }, logger: logger) { writer in
                    try await writer.write(data)
                }
                outcome.finish(nil)
            } catch {
                outcome.finish(error)
            }
        }
        if let error = try heard({ outcome.wait() }) {
            if let error = error as? PSQLError, error.code == .server { throw Self.refusal(error, sql: "COPY \(table)") }
            throw error
        }
        hasSentStatements = true
        writtenRows += rows.count
    }

    /// After a bulk write (an import), brings the planner's statistics of the tables it changed
    /// much up to date, before the transaction commits: autovacuum would do it only a minute or
    /// so later, and until then the planner takes a table of 4,500 students for one of a few
    /// rows — listing a class's students then read all of them, 24 ms instead of 0.1 ms. The
    /// rule is autovacuum's own (more than 50 rows plus 10 % of the table changed), applied
    /// only after a thousand rows written: a click costs no statement more.
    func refreshStatisticsAfterBulkWrite() throws {
        guard writtenRows >= Self.bulkWrite else { return }
        let tables = try query("""
            SELECT s.relname FROM pg_stat_xact_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE c.relpersistence = 'p' AND s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 50 + 0.1 * GREATEST(c.reltuples, 0)
            ORDER BY s.relname
            """, []).map { $0[0] as String }
        guard !tables.isEmpty else { return }
        try execute(raw: "ANALYZE " + tables.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", "))
    }

    private static let bulkWrite = 1_000

    /// One value in COPY's text format: `\N` for NULL, backslash escapes for the separators.
    private static func writeCopyText(_ value: DatabaseValue, to data: inout ByteBuffer) {
        switch value.storage {
        case .null: data.writeString("\\N")
        case let .int64(integer): data.writeString(String(integer))
        case let .double(real): data.writeString(real.description)
        case let .blob(bytes): data.writeString("\\\\x" + bytes.map { String(format: "%02x", $0) }.joined())
        case let .string(text):
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): data.writeString("\\\\")
                case UInt8(ascii: "\t"): data.writeString("\\t")
                case UInt8(ascii: "\n"): data.writeString("\\n")
                case UInt8(ascii: "\r"): data.writeString("\\r")
                default: data.writeInteger(byte)
                }
            }
        }
    }

    func insertedID() throws -> Int64 {
        guard let id = try query("SELECT lastval()", []).first?.values.first.flatMap(Int64.fromDatabaseValue) else {
            throw PostgresStorageError.noInsertedID
        }
        return id
    }

    /// Runs SQL written for the stores, without translating it: schema statements, settings.
    func execute(raw sql: String) throws {
        try countStatement()
        try requireOpen()
        _ = try answer(to: sql) { try awaitAnswer(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)) }
        hasSentStatements = true
    }

    /// A transaction-scoped advisory lock per student, in the order of their keys (ids past
    /// 2³¹ share a lock with another student: they wait a little more, nothing else), sent
    /// without waiting: the evidence read next waits for them. A lock the transaction holds is
    /// taken again at no cost. A write that waits for every other one needs none.
    func lockStudents(_ studentIDs: [Int64]) throws {
        guard locksStudents else { return }
        for key in Set(studentIDs.map { Int32(truncatingIfNeeded: $0) }).sorted() {
            send(raw: "SELECT pg_advisory_xact_lock(\(Self.studentLockSpace), \(key))")
        }
    }

    /// The first key of students' locks (two keys: apart from the writers' lock of one key).
    static let studentLockSpace: Int32 = 0x4163_7175

    /// Sends a statement whose answer nobody needs yet (BEGIN, the writer's lock) without
    /// waiting for it: the connection answers in order, so the next statement waited for comes
    /// after it, and throws its failure. Each wait costs the calling thread two wake-ups, half
    /// a click's CPU on PostgreSQL.
    func send(raw sql: String) {
        // The next statement waited for says the connection is closed (``requireOpen()``).
        guard !connection.isClosed else { return }
        send(PostgresQuery(unsafeSQL: sql), sql: sql)
    }

    /// Sends `query` without waiting; its failure, if any, is kept for the next wait. A failed
    /// `prepared` statement is forgotten then, as a statement waited for would be.
    private func send(_ query: PostgresQuery, sql: String, prepared: PostgresStatement? = nil) {
        let failure = unheardFailure
        connection.query(query, logger: logger).whenFailure { error in
            failure.first.withLock { if $0 == nil { $0 = (error, sql) } }
            if let prepared { failure.prepared.withLock { $0.append(prepared) } }
        }
    }

    /// Waits for a statement's answer, looking every second whether the connection closed
    /// meanwhile: postgres-nio never answers a statement written on a channel that closed
    /// between ``requireOpen()`` and the write, and its thread would wait forever (a server
    /// that cannot stop). Such a statement is ``PostgresConnectionLost``.
    /// `inFlight`: the answer of a statement sent together with the one waited for before it,
    /// which arrives with it (not another round trip).
    func awaitAnswer<T: Sendable>(_ answer: EventLoopFuture<T>, inFlight: Bool = false) throws -> T {
        if !inFlight { roundTrips += 1 }
        let arrived = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        answer.whenComplete { result in
            outcome.withLock { $0 = result }
            arrived.signal()
        }
        while arrived.wait(timeout: .now() + .seconds(1)) == .timedOut {
            if connection.isClosed, outcome.withLock({ $0 == nil }) { throw PostgresConnectionLost() }
        }
        return try outcome.withLock { $0! }.get()
    }

    /// Refuses to send on a connection already closed (the server restarted, or ended it):
    /// postgres-nio drops what is written on a closed channel without failing it, and the
    /// statement's answer would be waited for forever.
    private func requireOpen() throws {
        guard !connection.isClosed else { throw PostgresConnectionLost() }
    }

    /// The first failure of a statement sent without waiting, recorded on the event loop before
    /// the answer to any later statement arrives.
    private let unheardFailure = UnheardFailure()

    private final class UnheardFailure: Sendable {
        let first = Mutex<(error: any Error, sql: String)?>(nil)
        /// Prepared statements among those that failed, to prepare again at their next use.
        let prepared = Mutex<[PostgresStatement]>([])
    }

    /// Waits for `answer`, then throws the failure of a statement sent before it, if any:
    /// that failure, not what followed from it, is what went wrong.
    private func heard<T>(_ answer: () throws -> T) throws -> T {
        let result = Result { try answer() }
        for statement in unheardFailure.prepared.withLock({ failed in defer { failed = [] }; return failed }) {
            prepared.forget(statement)
        }
        if let (error, sql) = unheardFailure.first.withLock({ failure in defer { failure = nil }; return failure }) {
            if let error = error as? PSQLError, error.code == .server { throw Self.refusal(error, sql: sql) }
            throw error
        }
        return try result.get()
    }

    /// A statement the server refused, as a storage error: its SQLSTATE and primary message
    /// only (the detail may quote values). A transaction the server ended because it waited
    /// for another that waited for it (or could not be serialised with it) is
    /// ``PostgresTransactionConflict``: nothing of it was kept, and it can be tried again.
    /// `ACQUIS_DEBUG_SQL` also prints the statement (never its values) on standard error, for
    /// developers.
    private static func refusal(_ error: PSQLError, sql: String) -> any Error {
        let message = error.serverInfo?[.message] ?? ""
        if ProcessInfo.processInfo.environment["ACQUIS_DEBUG_SQL"] != nil {
            FileHandle.standardError.write(Data("PostgreSQL refused: \(message) :: \(sql)\n".utf8))
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        if PostgresTransactionConflict.states.contains(state) { return PostgresTransactionConflict() }
        return PostgresStorageError.statementFailed(sqlState: state, message: message)
    }

    /// Runs a statement of the stores, as a statement prepared on this connection when it can
    /// be: the server parses and plans it once (then reuses its plan) instead of at every use,
    /// a third of a click's time.
    private func query(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try requireOpen()
        return try rows(of: try start(sql, arguments))
    }

    /// All sent before the first answer is awaited: the server answers them in order.
    func rows(of queries: [SQLQuery]) throws -> [[SQLRow]] {
        try requireOpen()
        let started = try queries.map { try start($0.sql, $0.arguments) }
        return try started.enumerated().map { index, query in try rows(of: query, inFlight: index > 0) }
    }

    /// A statement sent, its answer to come.
    private struct Started {
        var statement: PostgresStatement
        var prepared: String?
        var answer: EventLoopFuture<PostgresQueryResult>
    }

    private func start(_ sql: String, _ arguments: SQLArguments) throws -> Started {
        let (statement, sent, prepared) = try message(sql, arguments)
        return Started(statement: statement, prepared: prepared, answer: connection.query(sent, logger: logger))
    }

    /// Waits for a statement's answer and reads its rows.
    private func rows(of started: Started, inFlight: Bool = false) throws -> [SQLRow] {
        let (statement, prepared) = (started.statement, started.prepared)
        let result: PostgresQueryResult
        do {
            result = try answer(to: statement.sql) { try awaitAnswer(started.answer, inFlight: inFlight) }
        } catch {
            // Prepared again at its next use: its PREPARE may be what failed, or its plan may no
            // longer fit the tables (another process migrated them: « cached plan must not
            // change result type »).
            if prepared != nil { self.prepared.forget(statement) }
            throw error
        }
        hasSentStatements = true
        changedRows = result.metadata.rows ?? 0
        if Self.writingCommands.contains(result.metadata.command) { writtenRows += changedRows }
        var columns: [String]?
        return try result.rows.map { row in
            let names = columns ?? row.map(\.columnName)
            columns = names
            return SQLRow(columns: names, values: try row.map(Self.databaseValue(of:)))
        }
    }

    /// What is sent for `sql` and its arguments: an `EXECUTE` of the statement prepared on this
    /// connection when its values can be written into it, else the
    /// statement with its values beside it.
    private func message(_ sql: String, _ arguments: SQLArguments) throws -> (statement: PostgresStatement, sent: PostgresQuery, prepared: String?) {
        try countStatement()
        let statement = PostgresStatement.translating(sql)
        var values: [UntypedValue] = []
        values.reserveCapacity(statement.parameters.count)
        for (offset, parameter) in statement.parameters.enumerated() {
            let value: DatabaseValue
            switch parameter {
            case let .position(index):
                guard index < arguments.values.count else { throw PostgresStorageError.missingArgument(sql: sql) }
                value = arguments.values[index]
            case let .name(name):
                guard let named = arguments.named[name] else { throw PostgresStorageError.missingArgument(sql: sql) }
                value = named
            }
            values.append(UntypedValue(value, asArray: statement.arrays.contains(offset + 1)))
        }
        if PreparedStatements.canExecute(values), let prepared = self.prepared.name(of: statement, on: self) {
            return (statement, PostgresQuery(unsafeSQL: PreparedStatements.execute(prepared, values)), prepared)
        }
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return (statement, PostgresQuery(unsafeSQL: statement.sql, binds: bindings), nil)
    }

    /// Sends a statement of the stores without waiting for its answer (see
    /// ``send(raw:)``): the next statement waited for throws its failure.
    private func send(_ sql: String, _ arguments: SQLArguments) throws {
        try requireOpen()
        let (statement, sent, prepared) = try message(sql, arguments)
        send(sent, sql: statement.sql, prepared: prepared == nil ? nil : statement)
    }

    /// Waits for the server's answer to `sql`, its refusal a storage error.
    private func answer<T>(to sql: String, _ wait: () throws -> T) throws -> T {
        do {
            return try heard(wait)
        } catch let error as PSQLError where error.code == .server {
            throw Self.refusal(error, sql: sql)
        }
    }

    /// A cell as SQLite would have given it: integers, reals, text, blobs, NULL. Booleans come
    /// back as 0 and 1, numerics (SUM of integers) as integers when whole.
    static func databaseValue(of cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return try cell.decode(Int64.self).databaseValue
        case .float4, .float8:
            return try cell.decode(Double.self).databaseValue
        case .numeric:
            let real = NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue
            if real == real.rounded(), abs(real) < 9_007_199_254_740_992 { return Int64(real).databaseValue }
            return real.databaseValue
        case .bool:
            return (try cell.decode(Bool.self) ? 1 : 0 as Int64).databaseValue
        case .bytea:
            var bytes = cell.bytes!
            return Data(bytes.readBytes(length: bytes.readableBytes) ?? []).databaseValue
        default:
            return try cell.decode(String.self).databaseValue
        }
    }
}

/// A value sent as text with no type, as a literal in the statement would be, so that the
/// server gives it the type of the column or expression it meets.
private struct UntypedValue: PostgresDynamicTypeEncodable {
    let text: String?

    init(_ value: DatabaseValue, asArray: Bool) {
        switch value.storage {
        case .null: text = nil
        case let .int64(integer): text = String(integer)
        case let .double(real): text = real.description
        case let .string(string): text = asArray ? (PostgresStatement.arrayLiteral(fromJSON: string) ?? string) : string
        case let .blob(data): text = "\\x" + data.map { String(format: "%02x", $0) }.joined()
        }
    }

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        if let text { byteBuffer.writeString(text) }
    }
}

extension PostgresBindings {
    fileprivate mutating func append(_ value: UntypedValue) {
        if value.text == nil { appendNull() } else { append(value, context: .default) }
    }
}

/// The end of a COPY run in a task, for the thread that waits for it.
private final class CopyOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var error: (any Error)?

    func finish(_ error: (any Error)?) {
        self.error = error
        done.signal()
    }

    func wait() -> (any Error)? {
        done.wait()
        return error
    }
}

/// Threads for the tasks this module waits for synchronously: dispatched, never the cooperative
/// pool, which the waiting threads may be exhausting.
private final class CopyExecutor: TaskExecutor {
    static let shared = CopyExecutor()
    private let queue = DispatchQueue(label: "acquis.postgres.copy", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job), executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// The statements prepared on one connection (SQL's `PREPARE`), by their text. Used by one
/// thread at a time: the one holding the connection.
///
/// SQL's `PREPARE` and `EXECUTE` rather than the protocol's named statements, which
/// postgres-nio gives only to statements known when it is compiled (or, in its former API,
/// with values in binary that the server's types would have to be known for): `EXECUTE`
/// answers with the command tag of the statement it runs (the count of changed rows), and
/// takes its values as untyped literals, which the server reads as it reads untyped text
/// values sent beside any other statement.
final class PreparedStatements: @unchecked Sendable {
    private var names: [String: String] = [:]
    /// Statements prepared on the connection so far, those forgotten included.
    private var count = 0
    /// Past this many, a statement runs unprepared: the stores' statements are a few hundred,
    /// but one written for a varying number of rows must not fill the server's memory.
    static let limit = 500
    /// Values longer than this go as values beside the statement (a production's bytes).
    static let longestLiteral = 4_096

    /// The name `statement` is prepared under on this connection, prepared now if it is new by
    /// a `PREPARE` sent without waiting (its failure comes with the next answer). Nil when it
    /// cannot be prepared (a cursor's statement) or the connection has prepared enough.
    fileprivate func name(of statement: PostgresStatement, on connection: PostgresSQLConnection) -> String? {
        if let known = names[statement.sql] { return known }
        guard statement.isPreparable, count < Self.limit else { return nil }
        count += 1
        let name = "acquis_\(count)"
        connection.send(raw: "PREPARE \(name) AS \(statement.sql)")
        names[statement.sql] = name
        return name
    }

    /// Forgets a statement whose run failed; the next use prepares it again, under another name.
    fileprivate func forget(_ statement: PostgresStatement) {
        names[statement.sql] = nil
    }

    /// Whether `values` can be written as literals: none too long, none with a NUL (which
    /// PostgreSQL's text refuses, and a statement's text cannot carry).
    fileprivate static func canExecute(_ values: [UntypedValue]) -> Bool {
        values.allSatisfy { value in
            guard let text = value.text else { return true }
            return text.utf8.count <= longestLiteral && !text.utf8.contains(0)
        }
    }

    /// `EXECUTE name(literal, …)`.
    fileprivate static func execute(_ name: String, _ values: [UntypedValue]) -> String {
        guard !values.isEmpty else { return "EXECUTE \(name)" }
        return "EXECUTE \(name)(" + values.map { PostgresLiteral.untyped($0.text) }.joined(separator: ", ") + ")"
    }
}

/// Values written into a statement's text.
enum PostgresLiteral {
    /// `text` as an untyped string constant, or NULL. An escape string constant (`E'…'`),
    /// whose backslashes and quotes are escaped: read the same whatever the server's
    /// `standard_conforming_strings`.
    static func untyped(_ text: String?) -> String {
        guard let text else { return "NULL" }
        var literal = "E'"
        literal.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            switch character {
            case "\\": literal += "\\\\"
            case "'": literal += "''"
            default: literal.unicodeScalars.append(character)
            }
        }
        return literal + "'"
    }
}
