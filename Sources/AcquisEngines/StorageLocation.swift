import AcquisStorage
import AcquisStore

/// Where a database is and which engine keeps it, as people write it after `--db` or in
/// `ACQUIS_DB`: a file path (or `sqlite:PATH`) for the embedded SQLite engine.
///
/// Front ends open storage here and nowhere else, so that they name no engine: adding one
/// (PostgreSQL for an académie) changes this type, not the commands or the web app.
public struct StorageLocation: Sendable, CustomStringConvertible {
    /// The engines a location can name.
    public enum Engine: Sendable, Equatable {
        case sqlite(path: String)
    }

    public var engine: Engine

    /// Reads a location: `sqlite:PATH`, or a plain path.
    public init(_ text: String) {
        let path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
        engine = .sqlite(path: path)
    }

    public var description: String {
        switch engine {
        case let .sqlite(path): path
        }
    }

    /// Opens the database, creating it and bringing its schema up to date when needed.
    public func open() throws -> any Storage {
        switch engine {
        case let .sqlite(path): try AcquisDatabase(path: path)
        }
    }
}
