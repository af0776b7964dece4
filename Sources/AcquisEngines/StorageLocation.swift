import AcquisPostgres
import AcquisStorage
import AcquisStore

/// Where a database is and which engine keeps it, as people write it after `--db` or in
/// `ACQUIS_DB`: a file path (or `sqlite:PATH`) for the embedded SQLite engine, a
/// `postgres://USER@HOST:PORT/DATABASE` address for an académie's PostgreSQL.
///
/// Front ends open storage here and nowhere else, so that they name no engine.
public struct StorageLocation: Sendable, CustomStringConvertible {
    /// The engines a location can name.
    public enum Engine: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(PostgresLocation)
    }

    public var engine: Engine

    /// Reads a location: a `postgres://` address, `sqlite:PATH`, or a plain path. Throws
    /// ``PostgresStorageError/invalidLocation(_:)`` for an address it cannot read.
    public init(_ text: String) throws {
        if PostgresLocation.names(text) {
            engine = .postgres(try PostgresLocation(text))
        } else {
            engine = .sqlite(path: text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text)
        }
    }

    /// The location as messages may show it: a PostgreSQL address without its password.
    public var description: String {
        switch engine {
        case let .sqlite(path): path
        case let .postgres(location): location.description
        }
    }

    /// Opens the database, creating it (SQLite) and bringing its schema up to date when needed.
    public func open() throws -> any Storage {
        switch engine {
        case let .sqlite(path): try AcquisDatabase(path: path)
        case let .postgres(location): try PostgresStorage(location)
        }
    }
}
