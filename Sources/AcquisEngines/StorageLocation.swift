import AcquisPostgres
import Foundation
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

    /// Copies the database into a new file while it is in use: SQLite's online backup. A
    /// PostgreSQL database is saved with the server's own tool, `pg_dump`
    /// (``BackupUnsupported``).
    public func backup(to path: String) throws {
        switch engine {
        case let .sqlite(source):
            guard FileManager.default.fileExists(atPath: source) else { throw BackupUnsupported.noDatabase(source) }
            try AcquisDatabase(path: source).backup(to: path)
        case let .postgres(location):
            throw BackupUnsupported.postgres(location.description)
        }
    }
}

/// A location this command cannot save.
public enum BackupUnsupported: Error, Equatable, CustomStringConvertible {
    case postgres(String)
    case noDatabase(String)

    public var description: String {
        switch self {
        case let .postgres(location):
            "\(location) est une base PostgreSQL : sauvegardez-la avec pg_dump --format=custom (voir le README)"
        case let .noDatabase(path):
            "aucune base à sauvegarder : \(path) n’existe pas"
        }
    }
}
