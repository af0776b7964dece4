import Foundation
import GRDB

/// The Acquis database: one SQLite file, migrated to the current schema when opened.
public final class AcquisDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, in WAL mode.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        writer = try DatabasePool(path: path, configuration: Self.configuration)
        try Self.migrator.migrate(writer)
    }

    /// A private database that lives in memory, for tests and dry runs.
    public init() throws {
        writer = try DatabaseQueue(configuration: Self.configuration)
        try Self.migrator.migrate(writer)
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return configuration
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 referentials") { db in
            try db.create(table: "referential") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull()
                t.column("version", .text).notNull()
                t.column("title", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("source", .text)
                t.column("validFrom", .text)
                t.column("validUntil", .text)
                t.column("scaleCode", .text).notNull()
                t.column("scaleTitle", .text).notNull()
                t.column("format", .text).notNull()
                t.column("importedAt", .datetime).notNull()
                t.uniqueKey(["code", "version"])
            }
            try db.create(table: "referentialNode") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("referential").notNull()
                t.belongsTo("parent", inTable: "referentialNode")
                t.column("position", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("code", .text).notNull()
                t.column("title", .text).notNull()
                t.column("titleReliability", .text).notNull()
                t.column("term", .text)
                t.column("isEvaluable", .boolean).notNull()
                t.uniqueKey(["referentialId", "code"])
            }
            try db.create(table: "externalCode") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("referential").notNull()
                t.belongsTo("node", inTable: "referentialNode")
                t.column("system", .text).notNull()
                t.column("value", .text).notNull()
                t.column("reliability", .text).notNull()
            }
            try db.create(index: "externalCode_on_system_value", on: "externalCode", columns: ["system", "value"])
            // A referential version keeps the scale it was imported with, so that recorded
            // evaluations keep their meaning even if a built-in scale is reworded later.
            try db.create(table: "scaleLevel") { t in
                t.belongsTo("referential").notNull()
                t.column("rank", .integer).notNull()
                t.column("code", .text).notNull()
                t.column("teacherLabel", .text).notNull()
                t.column("studentLabel", .text).notNull()
                t.column("color", .text).notNull()
                t.column("marker", .text).notNull()
                t.column("isAcquired", .boolean).notNull()
                t.column("officialValue", .text)
                t.primaryKey(["referentialId", "rank"])
            }
            try db.create(table: "scaleSpecialCode") { t in
                t.belongsTo("referential").notNull()
                t.column("position", .integer).notNull()
                t.column("code", .text).notNull()
                t.column("label", .text).notNull()
                t.column("meaning", .text).notNull()
                t.column("officialValue", .text)
                t.primaryKey(["referentialId", "position"])
            }
        }
        return migrator
    }
}
