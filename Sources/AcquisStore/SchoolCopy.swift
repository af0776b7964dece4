import AcquisStorage
import Foundation
import GRDB

/// Copies one school of a database (a school's SQLite file) into another database (an
/// académie's PostgreSQL), in the caller's write transaction: everything or nothing.
///
/// Rows get new ids in the destination, table by table, and every reference follows them.
/// Referentials, which schools share, are merged by code and version: a school's evaluations
/// of BACPRO-ACCUEIL 2019 point to the académie's copy of it, provided it is the same (same
/// competency codes, same scale, same mastery settings). The school itself is merged by UAI
/// with a school the destination knows without any data yet (created for its accounts);
/// one that already holds students is refused, as are logins and INE another school holds.
///
/// Which tables to copy is read from the schema: a table belongs to a school when its rows
/// reference a school's rows (its `schoolId`, its student, its class…), so that a table added
/// by a later migration is copied without being listed here. Tables of the running server
/// (sessions, throttling, pending uploads, SAML replay) stay behind, as do referential drafts
/// and the accounts of no school (inspection, académie: the académie has its own).
///
/// ```swift
/// let report = try SchoolCopy(from: school, into: academy).copy(schoolID: 1)
/// ```
public struct SchoolCopy {
    let source: any SQLConnection
    let target: any SQLConnection
    private let schema: Schema

    /// - Parameters:
    ///   - source: a transaction of the school's database (SQLite, whose catalogue gives the schema).
    ///   - target: a write transaction of the destination, unconfined.
    public init(from source: any SQLConnection, into target: any SQLConnection) throws {
        self.source = source
        self.target = target
        schema = try Schema(source)
    }

    /// The schools of a database, as the copy names them.
    public static func schools(in db: any SQLConnection) throws -> [(id: Int64, uai: String)] {
        try db.rows(sql: "SELECT id, uai FROM school ORDER BY uai").map { ($0["id"], $0["uai"]) }
    }

    /// Copies the school `schoolID` of the source, with the referentials of the source, and
    /// tells what was copied. Throws ``SchoolCopyError`` for a conflict; nothing is written then
    /// (the caller's transaction rolls back).
    public func copy(schoolID: Int64) throws -> SchoolCopyReport {
        guard let school = try source.row(sql: "SELECT * FROM school WHERE id = ?", arguments: [schoolID]) else {
            throw SchoolCopyError.noSuchSchool(schoolID)
        }
        var run = Run(copy: self, report: SchoolCopyReport(uai: school["uai"], name: school["name"]))
        let waiting = try run.schoolWaiting()
        try run.refuseTakenIdentifiers(schoolID: schoolID)
        try run.placeSchool(school, into: waiting)
        try run.mergeReferentials()
        for table in schema.schoolTables where table != "school" {
            try run.copyRows(of: table)
        }
        return run.report
    }
}

extension SchoolCopy {
    /// The tables of the schema, sorted into those that stay behind, the shared referentials
    /// and the school's own, with the references between them.
    struct Schema {
        /// Tables of the running server or of no school: not copied.
        static let leftBehind: Set<String> = [
            "grdb_migrations", "webSession", "webSecret", "signInFailure", "signInKnownAddress", "samlAssertion",
            "samlRequest", "setupToken", "pendingUpload", "referentialDraft",
        ]
        /// Tables of the referentials, shared by schools: merged by code and version.
        static let referential = "referential", node = "referentialNode"
        static let referentialParts = ["scaleLevel", "scaleSpecialCode", "referentialPolicy", "externalCode"]
        static let links = "competencyLink"

        struct Table {
            var columns: [String]
            /// The column of a generated integer key, to be given a new value.
            var generatedKey: String?
            /// Column → the table it references.
            var references: [String: String]
        }

        var tables: [String: Table] = [:]
        /// Tables whose rows belong to a school, parents before children.
        var schoolTables: [String] = []

        init(_ db: any SQLConnection) throws {
            let names: [String] = try db.values(String.self, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name
                """)
            for name in names {
                let columns = try db.rows(sql: "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
                var references: [String: String] = [:]
                for row in try db.rows(sql: #"SELECT "from" AS col, "table" AS parent FROM pragma_foreign_key_list(?)"#, arguments: [name]) {
                    references[row["col"]] = row["parent"]
                }
                // A key of its own (not a reference, as an issuer's `schoolId` is) is generated.
                let keys = columns.filter { ($0["pk"] as Int) > 0 }
                let generated = keys.count == 1 && (keys[0]["type"] as String).uppercased() == "INTEGER"
                    && references[keys[0]["name"]] == nil ? keys[0]["name"] as String : nil
                tables[name] = Table(columns: columns.map { $0["name"] }, generatedKey: generated, references: references)
            }
            schoolTables = try Self.ordered(tables)
        }

        /// The school's tables in an order where each comes after those it references.
        private static func ordered(_ tables: [String: Table]) throws -> [String] {
            let shared = Set([referential, node, links] + referentialParts)
            var owned: Set<String> = ["school"]
            // A table is the school's when it references a table of the school; repeat until stable.
            var grew = true
            while grew {
                grew = false
                for (name, table) in tables where !owned.contains(name) && !leftBehind.contains(name) && !shared.contains(name) {
                    if table.references.values.contains(where: owned.contains) {
                        owned.insert(name)
                        grew = true
                    }
                }
            }
            if let stray = tables.keys.sorted().first(where: { !owned.contains($0) && !leftBehind.contains($0) && !shared.contains($0) }) {
                throw SchoolCopyError.unknownTable(stray)
            }
            var order: [String] = [], placed: Set<String> = []
            while order.count < owned.count {
                let ready = owned.subtracting(placed).sorted().filter { name in
                    tables[name]!.references.values.allSatisfy { $0 == name || placed.contains($0) || !owned.contains($0) }
                }
                guard !ready.isEmpty else { throw SchoolCopyError.unknownTable(owned.subtracting(placed).sorted().joined(separator: ", ")) }
                order += ready
                placed.formUnion(ready)
            }
            return order
        }
    }

    /// One copy under way: the new id of every row copied so far, by table.
    struct Run {
        let copy: SchoolCopy
        var report: SchoolCopyReport
        var newIDs: [String: [Int64: Int64]] = [:]

        var source: any SQLConnection { copy.source }
        var target: any SQLConnection { copy.target }
        var schema: Schema { copy.schema }

        init(copy: SchoolCopy, report: SchoolCopyReport) {
            self.copy = copy
            self.report = report
        }

        /// Refuses logins and INE the destination gives someone else, before writing anything,
        /// naming them all.
        func refuseTakenIdentifiers(schoolID: Int64) throws {
            let logins = try source.values(String.self, sql: """
                SELECT login FROM account WHERE schoolId = ? OR teacherId IN (SELECT id FROM teacher WHERE schoolId = ?)
                    OR studentId IN (SELECT id FROM student WHERE schoolId = ?) OR guardianId IN (SELECT id FROM guardian WHERE schoolId = ?)
                UNION SELECT login FROM teacher WHERE schoolId = ?
                """, arguments: [schoolID, schoolID, schoolID, schoolID, schoolID])
            let takenLogins = try taken(logins, sql: "SELECT login FROM account WHERE lower(login) IN (%@)", lowercased: true)
                .union(taken(logins, sql: "SELECT login FROM teacher WHERE lower(login) IN (%@)", lowercased: true))
            guard takenLogins.isEmpty else { throw SchoolCopyError.loginsTaken(takenLogins.sorted()) }
            let ines = try source.values(String.self, sql: "SELECT ine FROM student WHERE schoolId = ? AND ine IS NOT NULL", arguments: [schoolID])
            let uai: String = report.uai
            let takenINEs = try taken(ines, sql: """
                SELECT ine FROM student WHERE ine IN (%@) AND schoolId NOT IN (SELECT id FROM school WHERE uai = ?)
                """, extra: [uai])
            guard takenINEs.isEmpty else { throw SchoolCopyError.inesTaken(takenINEs.sorted()) }
        }

        /// Those of `values` the destination's query finds, as the source writes them; `%@` stands
        /// for the list, `extra` for the arguments after it.
        private func taken(_ values: [String], sql: String, lowercased: Bool = false, extra: [String] = []) throws -> Set<String> {
            var found: Set<String> = []
            let wanted = Dictionary(values.map { (lowercased ? $0.lowercased() : $0, $0) }, uniquingKeysWith: { first, _ in first })
            let keys = Array(wanted.keys)
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let list = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for value in try target.values(String.self, sql: sql.replacingOccurrences(of: "%@", with: list),
                                               arguments: SQLArguments(chunk + extra)) {
                    found.insert(wanted[lowercased ? value.lowercased() : value] ?? value)
                }
            }
            return found
        }

        /// The destination's school of the same UAI, when it holds no data yet (created for its
        /// accounts, waiting for the copy); refuses one that holds students or classes.
        func schoolWaiting() throws -> Int64? {
            guard let existing = try target.value(Int64.self, sql: "SELECT id FROM school WHERE uai = ?", arguments: [report.uai]) else {
                return nil
            }
            let holdsData = try target.value(Bool.self, sql: """
                SELECT EXISTS (SELECT 1 FROM student WHERE schoolId = ?) OR EXISTS (SELECT 1 FROM division WHERE schoolId = ?)
                    OR EXISTS (SELECT 1 FROM teacher WHERE schoolId = ?) OR EXISTS (SELECT 1 FROM badgeClass WHERE schoolId = ?)
                """, arguments: [existing, existing, existing, existing]) ?? false
            guard !holdsData else { throw SchoolCopyError.schoolHoldsData(uai: report.uai) }
            return existing
        }

        /// Adds the school to the destination, or completes the one waiting for it.
        mutating func placeSchool(_ school: SQLRow, into waiting: Int64?) throws {
            let sourceID: Int64 = school["id"]
            guard let waiting else { return try copyRows(of: "school", where: "id = ?", arguments: [sourceID]) }
            try target.run(sql: """
                UPDATE school SET name = COALESCE(name, ?), holidayZone = COALESCE(holidayZone, ?),
                    periodScheme = COALESCE(periodScheme, ?), leaverMonths = COALESCE(leaverMonths, ?) WHERE id = ?
                """, arguments: [school["name"] as String?, school["holidayZone"] as String?, school["periodScheme"] as String?,
                                 school["leaverMonths"] as Int?, waiting])
            newIDs["school"] = [sourceID: waiting]
            report.mergedIntoExistingSchool = true
        }

        /// Maps every referential of the source to the destination's of the same code and
        /// version, checking they are the same; copies those the destination lacks.
        mutating func mergeReferentials() throws {
            for referential in try source.rows(sql: "SELECT id, code, version FROM referential ORDER BY id") {
                let (id, code, version): (Int64, String, String) = (referential["id"], referential["code"], referential["version"])
                let name = "\(code) \(version)"
                if let existing = try target.value(Int64.self, sql: "SELECT id FROM referential WHERE code = ? AND version = ?",
                                                   arguments: [code, version]) {
                    try mapSharedReferential(id, onto: existing, code: code, version: version)
                    report.referentialsShared.append(name)
                } else {
                    try copyRows(of: Schema.referential, where: "id = ?", arguments: [id])
                    try copyRows(of: Schema.node, where: "referentialId = ?", arguments: [id])
                    for part in Schema.referentialParts {
                        try copyRows(of: part, where: "referentialId = ?", arguments: [id])
                    }
                    report.referentialsAdded.append(name)
                }
            }
            // Links between competencies of two referentials: the destination may have them already.
            try copyRows(of: Schema.links, onConflict: "ON CONFLICT (nodeId, sourceNodeId) DO NOTHING")
        }

        /// Maps a referential the destination has onto the source's, competency by code,
        /// refusing one whose competencies, scale or settings differ (the school's levels were
        /// computed with them).
        private mutating func mapSharedReferential(_ id: Int64, onto existing: Int64, code: String, version: String) throws {
            newIDs[Schema.referential, default: [:]][id] = existing
            let nodes = "SELECT id, code FROM referentialNode WHERE referentialId = ?"
            let theirs = Dictionary(try target.rows(sql: nodes, arguments: [existing]).map { ($0["code"] as String, $0["id"] as Int64) },
                                    uniquingKeysWith: { first, _ in first })
            for node in try source.rows(sql: nodes, arguments: [id]) {
                guard let match = theirs[node["code"]] else {
                    throw SchoolCopyError.referentialDiffers(code: code, version: version, what: "la compétence \(node["code"] as String) y manque")
                }
                newIDs[Schema.node, default: [:]][node["id"]] = match
            }
            let scale = "SELECT rank, code, isAcquired FROM scaleLevel WHERE referentialId = ? ORDER BY rank"
            guard try source.rows(sql: scale, arguments: [id]).map(\.values) == target.rows(sql: scale, arguments: [existing]).map(\.values) else {
                throw SchoolCopyError.referentialDiffers(code: code, version: version, what: "échelle différente")
            }
            let policy = "SELECT masteryMethod, rollUpRule FROM referentialPolicy WHERE referentialId = ?"
            guard try source.row(sql: policy, arguments: [id])?.values == target.row(sql: policy, arguments: [existing])?.values else {
                throw SchoolCopyError.referentialDiffers(code: code, version: version, what: "réglages de calcul des niveaux différents")
            }
        }

        /// Copies the rows of `table` whose references all lead to rows copied before (the
        /// school's), with new ids; rows that reference no school at all (accounts of the
        /// inspection) stay behind.
        mutating func copyRows(of table: String, where condition: String? = nil, arguments: SQLArguments = [],
                               onConflict: String? = nil) throws {
            guard let description = schema.tables[table] else { return }
            let columns = description.columns
            let key = description.generatedKey.flatMap { columns.firstIndex(of: $0) }
            let references = columns.enumerated().compactMap { index, column in
                description.references[column].map { (index: index, table: $0) }
            }
            let selfReferencing = references.contains { $0.table == table }
            var batch: [[DatabaseValue]] = []
            var copied = 0
            func flush(_ run: inout Run) throws {
                guard !batch.isEmpty else { return }
                if let key {
                    let ids = try run.reserveIDs(table, key: columns[key], count: batch.count)
                    for index in batch.indices {
                        run.newIDs[table, default: [:]][batch[index][key].int64!] = ids[index]
                        batch[index][key] = ids[index].databaseValue
                    }
                }
                // References are rewritten once the batch's own rows have their ids (a node's parent).
                for index in batch.indices {
                    for reference in references {
                        let old = batch[index][reference.index]
                        guard let id = old.int64 else { continue }
                        guard let new = run.newIDs[reference.table]?[id] else {
                            throw SchoolCopyError.danglingReference(table: table, column: columns[reference.index])
                        }
                        batch[index][reference.index] = new.databaseValue
                    }
                }
                do {
                    try run.target.copy(into: table, columns: columns, rows: batch, onConflict: onConflict)
                } catch where run.target.violatesUniqueness(error) {
                    throw SchoolCopyError.rowExists(table: table)
                }
                copied += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            let order = description.generatedKey.map { " ORDER BY \($0)" } ?? ""
            let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "") + order
            try source.forEachRow(sql: sql, arguments: arguments) { row in
                switch belonging(row.values, references: references, table: table) {
                case .school:
                    batch.append(row.values)
                    if table == "issuerKey" { report.signingKeys.append(row["id"]) }
                    // A table whose rows reference each other goes in one batch: a parent may come later.
                    if !selfReferencing && batch.count >= Self.batchSize { try flush(&self) }
                case .noSchool:
                    if table == "account" { report.accountsLeft.append(row["login"]) }
                case .anotherSchool:
                    break
                }
            }
            try flush(&self)
            if copied > 0 { report.rows[table, default: 0] += copied }
        }

        private static let batchSize = 10_000

        enum Belonging { case school, anotherSchool, noSchool }

        /// Whether a row is the school's: each of its references leads to a row copied (or
        /// merged) before, and at least one does unless it is a shared table's.
        private func belonging(_ values: [DatabaseValue], references: [(index: Int, table: String)], table: String) -> Belonging {
            var referencesSome = false
            for reference in references where reference.table != table {
                guard let id = values[reference.index].int64 else { continue }
                referencesSome = true
                if newIDs[reference.table]?[id] == nil { return .anotherSchool }
            }
            return referencesSome || references.isEmpty ? .school : .noSchool
        }

        /// `count` ids of `table`'s generated key that no row has and no other insert will take.
        private func reserveIDs(_ table: String, key: String, count: Int) throws -> [Int64] {
            switch target.engine {
            case .postgres:
                return try target.values(Int64.self, sql: "SELECT nextval(pg_get_serial_sequence('\(table)', '\(key)')) FROM generate_series(1, ?)",
                                         arguments: [count]).sorted()
            case .sqlite:
                // The write transaction holds the file: nobody inserts meanwhile. AUTOINCREMENT
                // tables never reuse an id, even of a row deleted since.
                let used = try target.value(Int64.self, sql: "SELECT COALESCE(MAX(\(key)), 0) FROM \(table)") ?? 0
                let sequence = try target.value(Int64.self, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table]) ?? 0
                let last = max(used, sequence)
                return (1...Int64(count)).map { last + $0 }
            }
        }
    }
}

private extension DatabaseValue {
    var int64: Int64? { Int64.fromDatabaseValue(self) }
}
