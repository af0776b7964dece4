import AcquisStorage
import Foundation
import GRDB
import GRDBSQLite

/// A statement run once per row of a bulk import. On SQLite it is prepared once and bound and
/// stepped through the C API: GRDB's `StatementArguments` box every value, which cost a fifth
/// of the time of a million-row import. Other engines get the values bound so far as
/// arguments of the same SQL.
final class BulkStatement {
    private let sql: String
    private let sqlite: Statement?
    private var handle: OpaquePointer? { sqlite?.sqliteStatement }
    private var values: [DatabaseValue] = []
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: any SQLConnection, sql: String) throws {
        self.sql = sql
        sqlite = try (db as? Database)?.makeStatement(sql: sql)
    }

    /// A statement kept in the connection's cache: for one used for a while, many times over
    /// (each version of a national export inserts its tree).
    init(_ db: any SQLConnection, cachedSQL sql: String) throws {
        self.sql = sql
        sqlite = try (db as? Database)?.cachedStatement(sql: sql)
    }

    func bind(_ index: Int32, _ value: Int64) {
        guard let handle else { return keep(index, value.databaseValue) }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else {
            guard let handle else { return keep(index, .null) }
            sqlite3_bind_null(handle, index)
            return
        }
        bind(index, value)
    }

    func bind(_ index: Int32, _ value: Bool) {
        guard let handle else { return keep(index, value.databaseValue) }
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    func bind(_ index: Int32, _ text: String?) {
        guard let handle else { return keep(index, text?.databaseValue ?? .null) }
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(bytes.count), transient)
        }
    }

    private func keep(_ index: Int32, _ value: DatabaseValue) {
        let position = Int(index) - 1
        if values.count <= position { values += Array(repeating: .null, count: position + 1 - values.count) }
        values[position] = value
    }

    /// Runs an insert of one row into a table keyed by `id`; returns the id of the row. On
    /// SQLite the statement is the insert alone: with `RETURNING`, SQLite keeps the returned
    /// row in a temporary table, which made a national export's import two thirds slower.
    func insertedID(_ db: any SQLConnection) throws -> Int64 {
        guard handle != nil, let sqlite = db as? Database else {
            guard let id = try db.value(Int64.self, sql: sql + " RETURNING id", arguments: SQLArguments(values)) else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "no id returned by: \(sql)")
            }
            return id
        }
        _ = try step(db)
        return sqlite.lastInsertedRowID
    }

    /// Runs the statement; returns whether it produced a row.
    func step(_ db: any SQLConnection) throws -> Bool {
        guard let handle, let sqlite = db as? Database else {
            return try db.row(sql: sql, arguments: SQLArguments(values)) != nil
        }
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite.sqliteConnection)))
        }
    }
}
