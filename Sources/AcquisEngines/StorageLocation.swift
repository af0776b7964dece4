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

extension StorageLocation {
    /// Copies the schools of this database, a school's SQLite file, into `destination` (an
    /// académie's PostgreSQL): one transaction per school, each copied whole or not at all
    /// (``SchoolCopy``). `uai` copies that school only. Schools copied before a refusal stay
    /// copied; the refusal names the school it stopped at.
    public func copySchools(to destination: StorageLocation, uai: String? = nil) throws -> [SchoolCopyReport] {
        guard case let .sqlite(path) = engine else { throw SchoolCopyRefusal.sourceNotSQLite(description) }
        guard FileManager.default.fileExists(atPath: path) else { throw SchoolCopyRefusal.noSource(path) }
        guard destination.description != description else { throw SchoolCopyRefusal.sameDatabase }
        let source: AcquisDatabase
        do {
            source = try AcquisDatabase(path: path)
        } catch {
            throw SchoolCopyRefusal.unreadableSource(path)
        }
        var schools = try source.writer.read { try SchoolCopy.schools(in: $0) }
        if let uai {
            schools = schools.filter { $0.uai.caseInsensitiveCompare(uai) == .orderedSame }
            guard !schools.isEmpty else { throw SchoolCopyRefusal.noSuchUAI(uai) }
        }
        guard !schools.isEmpty else { throw SchoolCopyRefusal.noSchool(path) }
        let target = try destination.openForTools()
        var reports: [SchoolCopyReport] = []
        for school in schools {
            do {
                reports.append(try target.writeNow { academy in
                    try source.writer.read { try SchoolCopy(from: $0, into: academy).copy(schoolID: school.id) }
                })
            } catch let error as SchoolCopyError {
                throw SchoolCopyRefusal.refused(uai: school.uai, copied: reports.map(\.uai), error)
            }
        }
        return reports
    }

    /// The database, for a tool that runs its transactions on the calling thread.
    private func openForTools() throws -> any BlockingStorage {
        switch engine {
        case let .sqlite(path): try AcquisDatabase(path: path)
        case let .postgres(location): try PostgresStorage(location)
        }
    }
}

/// Storage whose write transactions a command-line tool may run on its own thread.
private protocol BlockingStorage {
    func writeNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}

extension AcquisDatabase: BlockingStorage {
    func writeNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try writer.write { try body($0) } }
}

extension PostgresStorage: BlockingStorage {
    func writeNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try writeSQLNow(body) }
}

/// Why schools were not copied.
public enum SchoolCopyRefusal: Error, Equatable, CustomStringConvertible {
    case sourceNotSQLite(String)
    case noSource(String)
    /// The source file is not a database Acquis can open (another file, a damaged one).
    case unreadableSource(String)
    case sameDatabase
    case noSuchUAI(String)
    case noSchool(String)
    /// The school `uai` was refused, nothing of it written; `copied` went before it.
    case refused(uai: String, copied: [String], SchoolCopyError)

    public var description: String {
        switch self {
        case let .sourceNotSQLite(location):
            "\(location) n’est pas une base SQLite : la copie part de la base d’un établissement (fichier SQLite)"
        case let .noSource(path):
            "aucune base à copier : \(path) n’existe pas"
        case let .unreadableSource(path):
            "\(path) n’est pas une base SQLite d’Acquis lisible : rien n’a été copié"
        case .sameDatabase:
            "la base d’origine et la base de destination sont la même"
        case let .noSuchUAI(uai):
            "aucun établissement \(uai) dans la base d’origine"
        case let .noSchool(path):
            "\(path) ne contient aucun établissement"
        case let .refused(uai, copied, error):
            "\(uai) non copié : \(error)" + (copied.isEmpty ? "" : " (déjà copiés : \(copied.joined(separator: ", ")))")
        }
    }
}
