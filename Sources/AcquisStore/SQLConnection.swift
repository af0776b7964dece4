import Foundation
import GRDB

/// The engines the stores' SQL runs on.
public enum SQLEngine: Sendable, Equatable {
    /// SQLite through GRDB: the embedded default, one file per school.
    case sqlite
    /// PostgreSQL: an académie's many schools in one database.
    case postgres
}

/// One transaction's connection, as the stores see it: the same SQL and the same rows on
/// SQLite and on PostgreSQL.
///
/// The stores write SQLite's dialect with `?` and `:name` placeholders; an engine that speaks
/// another translates it (see the PostgreSQL engine). Values travel as GRDB's
/// `DatabaseValue`, so that dates, booleans and blobs read back the same way on both engines.
///
/// ```swift
/// let names = try db.values(String.self, sql: "SELECT lastName FROM student WHERE schoolId = ?", arguments: [id])
/// ```
public protocol SQLConnection: AnyObject {
    /// The engine behind the connection, for the rare statement that must differ.
    var engine: SQLEngine { get }

    /// Runs a statement that returns no rows.
    func run(sql: String, arguments: SQLArguments) throws

    /// Every row of a query.
    func rows(sql: String, arguments: SQLArguments) throws -> [SQLRow]

    /// The first row of a query; nil when it has none.
    func row(sql: String, arguments: SQLArguments) throws -> SQLRow?

    /// Calls `body` with each row of a query in turn, without keeping them all.
    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws

    /// The id the last insert into a table with an auto-incremented key gave its row.
    func insertedID() throws -> Int64

    /// How many rows the last statement inserted, changed or deleted.
    var changedRows: Int { get }

    /// Whether `error`, thrown by a statement of this connection, refused a row whose unique
    /// key another row holds: perhaps a row out of the transaction's sight (another school's,
    /// behind ``SchoolConfinement``'s wall), which only the insert can reveal.
    func violatesUniqueness(_ error: any Error) -> Bool

    /// Adds `rows` to `table`, each value in the order of `columns`, as fast as the engine
    /// can: PostgreSQL's `COPY`, one statement per row elsewhere. `onConflict`, an upsert
    /// clause (`ON CONFLICT (…) DO UPDATE SET … = excluded.…`), decides for rows whose key is
    /// taken.
    func copy(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws

    /// Adds `rows` to `table` as ``copy(into:columns:rows:onConflict:)`` does, but returns
    /// before the engine has finished taking them where it can (a server): the caller prepares
    /// its next rows meanwhile. The connection's next statement waits for them, and throws their
    /// refusal if any — a caller that tells the user which rows were refused uses `copy`.
    func copyAhead(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws

    /// Waits until no other transaction that computes these students' levels is running, and
    /// keeps them waiting until this one ends: a level computed after this call sees every
    /// evaluation committed before it, whichever process recorded them. Called before reading
    /// a student's evidence. Students are taken in one order whatever the order given, so that
    /// two transactions locking the same students never wait for each other.
    func lockStudents(_ studentIDs: [Int64]) throws

    /// The rows of each query, in the order given: on a server, all are sent before the first
    /// answer is awaited (one round trip instead of one each). For queries that do not depend
    /// on one another's answers. The first refused throws its refusal.
    func rows(of queries: [SQLQuery]) throws -> [[SQLRow]]
}

/// A query and its arguments, for ``SQLConnection/rows(of:)``.
public struct SQLQuery: Sendable {
    public var sql: String
    public var arguments: SQLArguments

    public init(_ sql: String, arguments: SQLArguments = []) {
        self.sql = sql
        self.arguments = arguments
    }
}

extension SQLConnection {
    public func copy(into table: String, columns: [String], rows: [[DatabaseValue]]) throws {
        try copy(into: table, columns: columns, rows: rows, onConflict: nil)
    }

    /// An engine in the caller's process answers each query at once: one after the other.
    public func rows(of queries: [SQLQuery]) throws -> [[SQLRow]] {
        try queries.map { try rows(sql: $0.sql, arguments: $0.arguments) }
    }

    /// An engine that runs one write at a time (SQLite) has nothing to wait for.
    public func lockStudents(_ studentIDs: [Int64]) throws {}

    /// An engine in the caller's process has nothing to do meanwhile: it copies at once.
    public func copyAhead(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws {
        try copy(into: table, columns: columns, rows: rows, onConflict: onConflict)
    }
}

extension SQLConnection {
    /// `INDEXED BY index` where SQLite needs telling which index to read through; nothing on
    /// engines whose planner chooses well by itself.
    public func indexedBy(_ index: String) -> String {
        engine == .sqlite ? "INDEXED BY \(index)" : ""
    }

    /// Runs `body`, throwing `refusal` instead of the engine's error when it inserts a row whose
    /// unique key another row holds.
    public func unique(_ refusal: @autoclosure () -> any Error, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch where violatesUniqueness(error) {
            throw refusal()
        }
    }

    public func run(sql: String) throws { try run(sql: sql, arguments: []) }
    public func rows(sql: String) throws -> [SQLRow] { try rows(sql: sql, arguments: []) }
    public func row(sql: String) throws -> SQLRow? { try row(sql: sql, arguments: []) }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    public func value<T: DatabaseValueConvertible>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws -> T? {
        guard let row = try row(sql: sql, arguments: arguments) else { return nil }
        return T.fromDatabaseValue(row.values[0])
    }

    /// The first column of every row, NULLs left out.
    public func values<T: DatabaseValueConvertible>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws -> [T] {
        try rows(sql: sql, arguments: arguments).compactMap { T.fromDatabaseValue($0.values[0]) }
    }
}

/// The values bound to a statement's placeholders: by position (`?`) or by name (`:name`).
public struct SQLArguments: Sendable, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// Values of the `?` placeholders, in order.
    public private(set) var values: [DatabaseValue]
    /// Values of the `:name` placeholders.
    public private(set) var named: [String: DatabaseValue]

    public init() {
        values = []
        named = [:]
    }

    public init(_ values: some Sequence<(any DatabaseValueConvertible)?>) {
        self.values = values.map { $0?.databaseValue ?? .null }
        named = [:]
    }

    public init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
        self.init(elements)
    }

    public init(dictionaryLiteral elements: (String, (any DatabaseValueConvertible)?)...) {
        values = []
        named = Dictionary(elements.map { ($0.0, $0.1?.databaseValue ?? .null) }, uniquingKeysWith: { _, last in last })
    }

    /// Positional values of both, in order.
    public static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments {
        var sum = lhs
        sum.values += rhs.values
        sum.named.merge(rhs.named) { _, right in right }
        return sum
    }

    public static func += (lhs: inout SQLArguments, rhs: SQLArguments) {
        lhs = lhs + rhs
    }

    /// The same values as GRDB binds them.
    var statementArguments: StatementArguments {
        named.isEmpty ? StatementArguments(bound: values) : StatementArguments(named) + StatementArguments(bound: values)
    }
}

/// One row of a result: its values by position, or by column name whatever its case (PostgreSQL
/// gives unquoted names in lower case).
public struct SQLRow: Sendable, Equatable {
    /// The result's column names, shared by its rows.
    public let columns: [String]
    public let values: [DatabaseValue]

    public init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    /// The index of a column, matched as SQLite matches names: without regard to the case of
    /// ASCII letters (PostgreSQL folds unquoted names to lower case, and only those letters).
    public func index(of column: String) -> Int? {
        if let exact = columns.firstIndex(of: column) { return exact }
        return columns.firstIndex { Self.sameIgnoringASCIICase($0, column) }
    }

    /// Byte by byte: Foundation's locale-aware comparison took 2 % of a click's time on
    /// PostgreSQL, whose rows are read by name.
    private static func sameIgnoringASCIICase(_ name: String, _ other: String) -> Bool {
        name.utf8.count == other.utf8.count && zip(name.utf8, other.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private func value(named column: String) -> DatabaseValue {
        guard let index = index(of: column) else { preconditionFailure("no column \(column) in the result (\(columns))") }
        return values[index]
    }

    /// The value at `index`, read as an optional type when it may be NULL. Stops the program on
    /// NULL for a non-optional type or on a value of another type, as GRDB does: the query, not
    /// the data, is wrong then.
    public subscript<T: DatabaseValueConvertible>(_ index: Int) -> T {
        Self.decode(values[index], column: columns[index])
    }

    public subscript<T: DatabaseValueConvertible>(_ column: String) -> T {
        Self.decode(value(named: column), column: column)
    }

    /// The text at `index`, nil for NULL or a value of another kind: without the generic
    /// conversion of the subscripts, for the columns read by the million.
    public func text(_ index: Int) -> String? {
        if case let .string(text) = values[index].storage { return text }
        return nil
    }

    /// The boolean at `index` (an integer on both engines), false for NULL.
    public func flag(_ index: Int) -> Bool {
        if case let .int64(value) = values[index].storage { return value != 0 }
        return false
    }

    /// Whether the result has a column of that name.
    public func hasColumn(_ column: String) -> Bool { index(of: column) != nil }

    /// Whether the value of a column is NULL.
    public func isNull(_ column: String) -> Bool { value(named: column).isNull }

    private static func decode<T: DatabaseValueConvertible>(_ value: DatabaseValue, column: String) -> T {
        guard let decoded = T.fromDatabaseValue(value) else {
            preconditionFailure("could not read \(value) of column \(column) as \(T.self)")
        }
        return decoded
    }
}

/// SQLite's connection is GRDB's: every statement is prepared once per connection and cached.
extension Database: SQLConnection {
    public var engine: SQLEngine { .sqlite }

    public func violatesUniqueness(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return [.SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY].contains(error.extendedResultCode)
    }

    public func copy(into table: String, columns: [String], rows: [[DatabaseValue]], onConflict: String?) throws {
        let statement = try cachedStatement(sql: PortableInsert.sql(into: table, columns: columns, rows: 1, onConflict: onConflict))
        // Recomputing 270,000 masteries spent a fifth of its time binding: each row has one
        // value per column, so SQLite binds without GRDB's checks.
        for row in rows {
            statement.setUncheckedArguments(StatementArguments(bound: row))
            try statement.execute()
        }
    }

    public func run(sql: String, arguments: SQLArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments.statementArguments)
    }

    public func rows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql: sql, arguments: arguments) { rows.append($0) }
        return rows
    }

    public func row(sql: String, arguments: SQLArguments) throws -> SQLRow? {
        let statement = try cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchOne(statement, arguments: arguments.statementArguments).map {
            SQLRow(columns: columns, values: Array($0.databaseValues))
        }
    }

    public func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
        let statement = try cachedStatement(sql: sql)
        let columns = statement.columnNames
        let cursor = try Row.fetchCursor(statement, arguments: arguments.statementArguments)
        // One buffer for every row: once `body` has let go of a row, the next one reuses its
        // storage instead of allocating (the recomputation reads millions of rows).
        var values: [DatabaseValue] = []
        values.reserveCapacity(columns.count)
        let count = CInt(columns.count)
        while try cursor.next() != nil {
            values.removeAll(keepingCapacity: true)
            // Straight from the statement's current row: GRDB's `Row.databaseValues` looks each
            // column's name up again, a quarter of the time of recomputing every mastery.
            for index in 0..<count {
                values.append(DatabaseValue(sqliteStatement: statement.sqliteStatement, index: index))
            }
            try body(SQLRow(columns: columns, values: values))
        }
    }

    public func insertedID() throws -> Int64 { lastInsertedRowID }

    public var changedRows: Int { changesCount }
}

/// `INSERT INTO table (columns) VALUES (?, …), (?, …)… [ON CONFLICT …]`, the same words on
/// every engine.
public enum PortableInsert {
    public static func sql(into table: String, columns: [String], rows: Int, onConflict: String?) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ") + (onConflict.map { " " + $0 } ?? "")
    }
}

extension StatementArguments {
    /// Arguments from values already converted. GRDB's initializer for a sequence of
    /// convertible values builds a key path at each call: a tenth of the time of recomputing
    /// every mastery, where each saved row is a call.
    init(bound values: [DatabaseValue]) {
        self.init(values.map { $0 as (any DatabaseValueConvertible)? })
    }
}
