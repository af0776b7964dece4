import Foundation
import GRDB
import Synchronization

/// One step of the schema's history, as the SQL statements SQLite ran for it.
public struct SchemaMigration: Sendable, Equatable {
    /// The migration's name, as GRDB's migrator knows it (« v1 referentials »…).
    public let identifier: String
    /// Its statements that create, change or fill tables, in order.
    public let statements: [String]
}

extension AcquisDatabase {
    /// The schema's history, migration by migration: what another engine translates to build
    /// the same tables from the one description, GRDB's migrator.
    ///
    /// Each migration runs on a blank SQLite database in memory and the statements it runs are
    /// recorded. A migration that moves data must therefore do it in SQL: what Swift code
    /// computes from rows leaves no statement behind on an empty database.
    public static func schemaHistory() throws -> [SchemaMigration] {
        let queue = try DatabaseQueue(configuration: configuration)
        let recorded = Mutex<[String]>([])
        queue.inDatabase { db in
            db.trace(options: .statement) { event in
                if case let .statement(statement) = event { recorded.withLock { $0.append(statement.expandedSQL) } }
            }
        }
        var history: [SchemaMigration] = []
        for identifier in migrator.migrations {
            recorded.withLock { $0.removeAll() }
            try migrator.migrate(queue, upTo: identifier)
            let statements = recorded.withLock { $0 }.filter(isSchemaStatement)
            history.append(SchemaMigration(identifier: identifier, statements: statements))
        }
        return history
    }

    /// Statements of the schema itself, not of the migrator's bookkeeping or SQLite's catalogue.
    private static func isSchemaStatement(_ sql: String) -> Bool {
        let head = sql.prefix(while: { !$0.isWhitespace }).uppercased()
        guard ["CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"].contains(head) else { return false }
        return !sql.contains("grdb_migrations") && !sql.contains("sqlite_")
    }
}
