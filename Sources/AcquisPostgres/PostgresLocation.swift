import AcquisStorage
import Foundation
import PostgresNIO

/// A PostgreSQL database as people write it: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
/// (`postgresql://` too). Without a password in the address, `PGPASSWORD` gives it, as for
/// PostgreSQL's own tools, so that it need not appear in a command line.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, user: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Whether text names a PostgreSQL database rather than a file.
    public static func names(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads an address; ``PostgresStorageError/invalidLocation`` says what is missing.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.names(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PostgresStorageError.invalidLocation(Self.redacted(text))
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard let user = components.user, !user.isEmpty, !database.isEmpty, !database.contains("/") else {
            throw PostgresStorageError.invalidLocation(Self.redacted(text))
        }
        self.init(host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
                  password: components.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"],
                  database: database.removingPercentEncoding ?? database)
    }

    /// The address without its password: what messages and logs may show.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// An address as typed, its password hidden.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

/// Why a PostgreSQL database could not be used. Front ends word these for their readers; each
/// description says what to check.
public enum PostgresStorageError: Error, Equatable, CustomStringConvertible {
    /// The address is not `postgres://USER@HOST[:PORT]/DATABASE`.
    case invalidLocation(String)
    /// Nothing answers at that host and port.
    case unreachable(String)
    /// The server refused the user or the password.
    case authenticationFailed(String)
    /// The server has no database of that name.
    case unknownDatabase(String)
    /// The server cannot compare names in French (PostgreSQL built without ICU).
    case noFrenchCollation
    /// The server refused a statement: its SQLSTATE and primary message (never the detail,
    /// which may quote the row's values).
    case statementFailed(sqlState: String, message: String)
    /// A statement named an argument it was not given (a fault of the program).
    case missingArgument(sql: String)
    /// `lastval()` had nothing to give: no row was inserted with a generated id.
    case noInsertedID
    /// The role is a superuser or may bypass row-level security: the wall between schools
    /// (``SchoolWall``) would not hold for it.
    case passesThroughSchoolWall(role: String)
    /// A read of one statement (``PostgresStorage/readStatement(_:)``) ran a second one, outside
    /// any transaction (a fault of the program).
    case oneStatementOnly

    public var description: String {
        switch self {
        case let .invalidLocation(text):
            "adresse PostgreSQL « \(text) » illisible : écrivez postgres://UTILISATEUR@HÔTE:PORT/BASE"
        case let .unreachable(location):
            "le serveur PostgreSQL \(location) ne répond pas : vérifiez l’hôte, le port et qu’il est démarré"
        case let .authenticationFailed(location):
            "le serveur PostgreSQL \(location) refuse cet utilisateur ou ce mot de passe (donné dans l’adresse ou par PGPASSWORD)"
        case let .unknownDatabase(location):
            "la base \(location) n’existe pas sur ce serveur : créez-la (createdb) ou corrigez son nom"
        case .noFrenchCollation:
            "ce serveur PostgreSQL ne sait pas trier en français (ICU absent) : installez un serveur construit avec ICU"
        case let .statementFailed(state, message):
            "PostgreSQL a refusé une requête (\(state)) : \(message)"
        case .missingArgument:
            "une requête n’a pas reçu toutes ses valeurs"
        case .noInsertedID:
            "aucun identifiant n’a été créé par l’insertion"
        case let .passesThroughSchoolWall(role):
            "le rôle PostgreSQL « \(role) » est superutilisateur ou passe outre la sécurité par ligne (BYPASSRLS) : "
        case .oneStatementOnly:
            "une lecture prévue en une seule requête en a lancé une seconde"
                + "les données d’un établissement ne seraient plus cloisonnées. Connectez Acquis avec un rôle ordinaire, "
                + "propriétaire de la base (createuser ROLE puis createdb -O ROLE BASE)"
        }
    }

    /// The error a failed connection attempt stands for.
    init(connecting error: any Error, to location: PostgresLocation) {
        if let psql = error as? PSQLError, psql.code == .server, let state = psql.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": self = .authenticationFailed(location.description)
            case "3D000": self = .unknownDatabase(location.description)
            default: self = .unreachable(location.description)
            }
        } else if let psql = error as? PSQLError, psql.code == .authMechanismRequiresPassword {
            self = .authenticationFailed(location.description)
        } else {
            self = .unreachable(location.description)
        }
    }
}

/// The server ended the transaction because it waited for another that waited for it, or
/// could not be serialised with it: nothing of it was kept, and it can be tried again.
public struct PostgresTransactionConflict: TransientStorageError, CustomStringConvertible {
    /// deadlock_detected, serialization_failure.
    static let states: Set<String> = ["40P01", "40001"]

    public var description: String { "PostgreSQL a interrompu la transaction, en conflit avec une autre : rien n’a été enregistré, réessayez" }
}

/// The connection closed during a transaction (the server restarted, the network dropped):
/// nothing of it was kept, and it can be tried again.
public struct PostgresConnectionLost: TransientStorageError, CustomStringConvertible {
    public var description: String { "la connexion à PostgreSQL a été perdue : rien n’a été enregistré, réessayez" }
}
