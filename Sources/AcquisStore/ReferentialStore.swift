import AcquisStorage
import AcquisCore
import Foundation
import GRDB

/// Reads and writes referentials. Every method works inside the caller's database access,
/// so that an import of many referentials is one transaction.
public struct ReferentialStore: Sendable {
    public init() {}

    /// Stores a referential version. Storing the same content again changes nothing;
    /// storing different content under an existing version is refused, because evaluations
    /// point at versions and must keep their meaning.
    ///
    /// A new version continues the one before it: its competencies that keep their code, and
    /// those `correspondence` accounts for, count the evidence observed under the earlier
    /// version (see ``VersionLineage``). A version that would leave evaluated competencies
    /// unaccounted for is refused (``VersionContinuityError``).
    @discardableResult
    public func save(_ referential: Referential, format: String, correspondence: Correspondence? = nil,
                     in db: any SQLConnection) throws -> SaveOutcome {
        if let existingID = try db.value(
            Int64.self, sql: "SELECT id FROM referential WHERE code = ? AND version = ?",
            arguments: [referential.code, referential.version]) {
            if try fetch(id: existingID, in: db) == referential { return .unchanged }
            throw ReferentialStoreError.versionConflict(code: referential.code, version: referential.version)
        }
        guard let scale = referential.scale else {
            throw ReferentialStoreError.missingScale(code: referential.scaleCode)
        }
        try db.run(sql: """
            INSERT INTO referential (code, version, title, kind, source, validFrom, validUntil,
                                     scaleCode, scaleTitle, format, importedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                referential.code, referential.version, referential.title, referential.kind.rawValue,
                referential.source, referential.validity.from?.iso, referential.validity.until?.iso,
                scale.code, scale.title, format, Date(),
            ])
        let referentialID = (try db.insertedID())
        try insertScale(scale, referentialID: referentialID, db)
        let inserts = try TreeInserts(db)
        try inserts.codes(referential.externalCodes, referentialID: referentialID, nodeID: nil, db)
        try inserts.nodes(referential.children, referentialID: referentialID, parentID: nil, db)
        // Schools that issue badges get the new version's standard badge classes.
        try BadgeStore().installStandardClasses(referentialID: referentialID, in: db)
        try continueEarlierVersion(of: referential, id: referentialID, correspondence: correspondence, in: db)
        return .inserted
    }

    private func insertScale(_ scale: Scale, referentialID: Int64, _ db: any SQLConnection) throws {
        for (rank, level) in scale.levels.enumerated() {
            try db.run(sql: """
                INSERT INTO scaleLevel (referentialId, rank, code, teacherLabel, studentLabel, color, marker,
                                        isAcquired, officialValue)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                referentialID, rank, level.code, level.teacherLabel, level.studentLabel, level.color,
                level.marker, level.isAcquired, level.officialValue,
            ])
        }
        for (position, special) in scale.specialCodes.enumerated() {
            try db.run(sql: """
                INSERT INTO scaleSpecialCode (referentialId, position, code, label, meaning, officialValue)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [
                referentialID, position, special.code, special.label, special.meaning.rawValue, special.officialValue,
            ])
        }
    }

    /// The statements that insert a version's nodes and their codes, prepared once for the
    /// whole tree: a national export inserts three quarters of a million nodes, and binding
    /// through GRDB's arguments was a third of it.
    private struct TreeInserts {
        let node: BulkStatement
        let code: BulkStatement

        init(_ db: any SQLConnection) throws {
            node = try BulkStatement(db, cachedSQL: """
                INSERT INTO referentialNode (referentialId, parentId, position, kind, code, title, titleReliability, term, isEvaluable)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            code = try BulkStatement(db, cachedSQL: """
                INSERT INTO externalCode (referentialId, nodeId, system, value, reliability) VALUES (?, ?, ?, ?, ?)
                """)
        }

        /// Inserts the nodes and, after each, its codes and its children: ids follow the tree
        /// from top to bottom, as outputs that list nodes by id expect.
        func nodes(_ nodes: [ReferentialNode], referentialID: Int64, parentID: Int64?, _ db: any SQLConnection) throws {
            for (position, node) in nodes.enumerated() {
                self.node.bind(1, referentialID)
                self.node.bind(2, parentID)
                self.node.bind(3, Int64(position))
                self.node.bind(4, node.kind.rawValue)
                self.node.bind(5, node.code)
                self.node.bind(6, node.title)
                self.node.bind(7, node.titleReliability.rawValue)
                self.node.bind(8, node.term)
                self.node.bind(9, node.isEvaluable)
                let nodeID = try self.node.insertedID(db)
                try codes(node.externalCodes, referentialID: referentialID, nodeID: nodeID, db)
                try self.nodes(node.children, referentialID: referentialID, parentID: nodeID, db)
            }
        }

        func codes(_ codes: [ExternalCode], referentialID: Int64, nodeID: Int64?, _ db: any SQLConnection) throws {
            for external in codes {
                code.bind(1, referentialID)
                code.bind(2, nodeID)
                code.bind(3, external.system.rawValue)
                code.bind(4, external.value)
                code.bind(5, external.reliability.rawValue)
                _ = try code.step(db)
            }
        }
    }

    // MARK: - Reading

    /// Every stored version, grouped by code, oldest version first.
    public func summaries(in db: any SQLConnection) throws -> [ReferentialSummary] {
        try summaries(where: "", arguments: [], in: db)
    }

    /// Every stored version of the referentials `codes` names, grouped by code, oldest version
    /// first: what a page offers without reading every referential of an académie.
    public func summaries(codes: [String], in db: any SQLConnection) throws -> [ReferentialSummary] {
        guard !codes.isEmpty else { return [] }
        return try summaries(where: "WHERE r.code IN (SELECT value FROM json_each(?))", arguments: [JSONList.text(codes)], in: db)
    }

    /// The `limit` versions imported last, the newest first: what an inspector looks at
    /// before searching among an académie's thousands.
    public func recentSummaries(limit: Int, in db: any SQLConnection) throws -> [ReferentialSummary] {
        try summaries(where: "WHERE r.id IN (SELECT id FROM referential ORDER BY importedAt DESC, id DESC LIMIT ?)",
                      arguments: [limit], in: db)
            .sorted { ($0.importedAt, $0.id) > ($1.importedAt, $1.id) }
    }

    /// How many referential versions are stored.
    public func versionCount(in db: any SQLConnection) throws -> Int {
        try db.value(Int.self, sql: "SELECT COUNT(*) FROM referential") ?? 0
    }

    private func summaries(where filter: String, arguments: SQLArguments, in db: any SQLConnection) throws -> [ReferentialSummary] {
        let rows = try db.rows(sql: """
            SELECT r.id, r.code, r.version, r.title, r.kind, r.scaleCode, r.format, r.importedAt,
                   (SELECT COUNT(*) FROM referentialNode n WHERE n.referentialId = r.id) AS nodeCount,
                   (SELECT COUNT(*) FROM referentialNode n WHERE n.referentialId = r.id AND n.isEvaluable) AS evaluableCount
            FROM referential r \(filter)
            """, arguments: arguments).map(ReferentialSummary.init(row:))
        return rows.sorted { a, b in
            a.code != b.code ? a.code < b.code : VersionOrder.precedes(a.version, b.version)
        }
    }

    /// How many referentials are stored, each counted once whatever its versions.
    public func codeCount(in db: any SQLConnection) throws -> Int {
        try db.value(Int.self, sql: "SELECT COUNT(DISTINCT code) FROM referential") ?? 0
    }

    /// The referentials the classes and groups of a school follow in a school year, by code.
    public func codesFollowed(schoolID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [String] {
        try db.rows(sql: Self.codesFollowedSQL, arguments: [schoolID, year.startYear]).map { $0[0] }
    }

    private static let codesFollowedSQL = """
        SELECT DISTINCT f.referentialCode FROM divisionReferential f JOIN division d ON d.id = f.divisionId
        WHERE d.schoolId = ? AND d.schoolYear = ? ORDER BY f.referentialCode
        """

    /// What a class's offer starts from, read together (one round trip on a server): the
    /// versions the class follows, the codes its school follows, how many referentials are stored.
    public func offerBasis(division: DivisionRef, in db: any SQLConnection) throws -> ReferentialOfferBasis {
        let answers = try db.rows(of: [
            SQLQuery("SELECT referentialCode, referentialId FROM divisionReferential WHERE divisionId = ?", arguments: [division.id]),
            SQLQuery(Self.codesFollowedSQL, arguments: [division.schoolID, division.year.startYear]),
            SQLQuery("SELECT COUNT(DISTINCT code) FROM referential"),
        ])
        return ReferentialOfferBasis(followed: Dictionary(uniqueKeysWithValues: answers[0].map { ($0[0] as String, $0[1] as Int64) }),
                                     schoolCodes: answers[1].map { $0[0] }, storedCount: answers[2].first?[0] ?? 0)
    }

    /// The referentials whose code or title, in any version, contains `text` as a French
    /// reader searches (``FrenchCollation/contains(_:_:)``), by code, at most `limit`.
    public func search(_ text: String, limit: Int, in db: any SQLConnection) throws -> [String] {
        // Compared here rather than in SQL: neither engine ignores accents and punctuation
        // alike, and a search reads code and title only, a few hundred kilobytes for an académie.
        var found = Set<String>()
        for row in try db.rows(sql: "SELECT code, title FROM referential") {
            let (code, title): (String, String) = (row["code"], row["title"])
            if !found.contains(code), FrenchCollation.contains(code, text) || FrenchCollation.contains(title, text) {
                found.insert(code)
            }
        }
        return Array(found.sorted().prefix(limit))
    }

    /// The referentials these students have evidence in, the one with the most competencies
    /// observed first: for each, the newest version they have evidence in, where the evidence
    /// of earlier ones also counts. Counted on the masteries (one per student and competency,
    /// in every version the evidence reaches, so the version with the most of them): a class
    /// has ten times fewer masteries than evaluations, and the grid asks this on every display.
    public func referentialIDsInUse(studentIDs: [Int64], in db: any SQLConnection) throws -> [Int64] {
        try referentialsInUse(studentIDs: studentIDs, in: db).map(\.id)
    }

    /// ``referentialIDsInUse(studentIDs:in:)`` with each version's code. One statement: every
    /// version of the referentials in use, with its code's count and whether the students have
    /// evidence of its own there (the grid asks on every display, a round trip each to a server).
    /// That evidence is a first row found (`LIMIT 1`), not `EXISTS`: PostgreSQL's plan may turn
    /// an `EXISTS` into a table of every evaluation of the class, 20 times slower. Masteries are
    /// counted by competency before meeting their referential: 40 rows to join for a class,
    /// not 1,200 (a third faster on both engines).
    public func referentialsInUse(studentIDs: [Int64], in db: any SQLConnection) throws -> [(code: String, id: Int64)] {
        let students = String(describing: studentIDs)
        let versions = try db.rows(sql: """
            WITH perNode AS (
                SELECT nodeId, COUNT(*) AS observed FROM mastery
                WHERE studentId IN (SELECT value FROM json_each(:students)) AND observationCount > 0 GROUP BY nodeId),
            used AS (
                SELECT code, MAX(observed) AS observed FROM (
                    SELECT r.code, SUM(p.observed) AS observed FROM perNode p
                    JOIN referentialNode n ON n.id = p.nodeId JOIN referential r ON r.id = n.referentialId
                    WHERE n.isEvaluable GROUP BY r.id) AS perVersion
                GROUP BY code)
            SELECT used.code, used.observed, r.id, r.version,
                   (SELECT 1 FROM referentialNode n JOIN evaluation e ON e.nodeId = n.id
                    WHERE n.referentialId = r.id AND e.studentId IN (SELECT value FROM json_each(:students)) LIMIT 1) IS NOT NULL AS evidenced
            FROM used JOIN referential r ON r.code = used.code
            """, arguments: ["students": students])
        let byCode = Dictionary(grouping: versions) { $0["code"] as String }
        // The most observed first; as many, by code.
        return try byCode.values.map { (observed: $0[0]["observed"] as Int, code: $0[0]["code"] as String) }
            .sorted { ($0.observed, $1.code) > ($1.observed, $0.code) }
            .compactMap { _, code in
                // The newest version holding evidence of its own; masteries of later versions
                // are computed from earlier evidence and do not make a version in use.
                let newestFirst = byCode[code]!.sorted { VersionOrder.precedes($1["version"], $0["version"]) }
                return try newestFirst.first { try $0["evidenced"] as Bool }.map { (code: code, id: $0["id"]) }
            }
    }

    /// The given version of a referential, or its latest version when `version` is nil.
    public func referential(code: String, version: String? = nil, in db: any SQLConnection) throws -> Referential {
        try fetch(id: id(code: code, version: version, in: db), in: db)
    }

    /// The database id of a referential version, or of its latest version when `version` is nil.
    func id(code: String, version: String?, in db: any SQLConnection) throws -> Int64 {
        try id(code: code, version: version, among: versions(code: code, db))
    }

    /// The versions of a referential: one query, for the choices that follow.
    func versions(code: String, _ db: any SQLConnection) throws -> [(id: Int64, version: String)] {
        try db.rows(sql: "SELECT id, version FROM referential WHERE code = ?", arguments: [code]).map { ($0[0], $0[1]) }
    }

    /// The version named, or else the newest, among `versions` of `code`.
    func id(code: String, version: String?, among versions: [(id: Int64, version: String)]) throws -> Int64 {
        let wanted = version ?? versions.map(\.version).max(by: VersionOrder.precedes)
        guard let match = versions.first(where: { $0.version == wanted }) else {
            throw ReferentialStoreError.notFound(code: code, version: version)
        }
        return match.id
    }

    func fetch(id: Int64, in db: any SQLConnection) throws -> Referential {
        try fetchStored(id: id, db).referential
    }

    /// A stored version as read: its tree, its frozen scale, and its nodes' ids by code.
    struct StoredVersion {
        var referential: Referential
        var scale: Scale
        var nodes: [String: (id: Int64, isEvaluable: Bool)]
    }

    func fetchStored(id: Int64, _ db: any SQLConnection) throws -> StoredVersion {
        try fetchStored(id: id, alongside: [], db).version
    }

    /// A version read whole — its row, scale, external codes and nodes — with the rows of
    /// `extra`, queries read together with them (one round trip to a server for all).
    func fetchStored(id: Int64, alongside extra: [SQLQuery], _ db: any SQLConnection) throws -> (version: StoredVersion, extra: [[SQLRow]]) {
        let answers = try db.rows(of: [
            SQLQuery("SELECT * FROM referential WHERE id = ?", arguments: [id]),
            Self.scaleQuery(referentialID: id),
            SQLQuery("SELECT * FROM externalCode WHERE referentialId = ? ORDER BY id", arguments: [id]),
            SQLQuery("SELECT * FROM referentialNode WHERE referentialId = ? ORDER BY parentId, position", arguments: [id]),
        ] + extra)
        guard let row = answers[0].first else {
            throw ReferentialStoreError.notFound(code: "#\(id)", version: nil)
        }
        let scale = Self.scale(from: answers[1], code: row["scaleCode"], title: row["scaleTitle"])
        var codesByNode: [Int64?: [ExternalCode]] = [:]
        for codeRow in answers[2] {
            codesByNode[codeRow["nodeId"], default: []].append(ExternalCode(
                system: .init(rawValue: codeRow["system"]), value: codeRow["value"],
                reliability: Reliability(rawValue: codeRow["reliability"]) ?? .unverified))
        }
        var childrenByParent: [Int64?: [(id: Int64, node: ReferentialNode)]] = [:]
        var nodes: [String: (id: Int64, isEvaluable: Bool)] = [:]
        for nodeRow in answers[3] {
            let nodeID: Int64 = nodeRow["id"]
            nodes[nodeRow["code"]] = (nodeID, nodeRow["isEvaluable"])
            let node = ReferentialNode(
                kind: NodeKind(rawValue: nodeRow["kind"]) ?? .competency, code: nodeRow["code"], title: nodeRow["title"],
                titleReliability: Reliability(rawValue: nodeRow["titleReliability"]) ?? .unverified,
                term: nodeRow["term"], isEvaluable: nodeRow["isEvaluable"],
                externalCodes: codesByNode[nodeID] ?? [])
            childrenByParent[nodeRow["parentId"], default: []].append((nodeID, node))
        }
        func tree(_ parent: Int64?) -> [ReferentialNode] {
            (childrenByParent[parent] ?? []).map { entry in
                var node = entry.node
                node.children = tree(entry.id)
                return node
            }
        }
        let scaleCode: String = row["scaleCode"]
        let referential = Referential(
            code: row["code"], version: row["version"], title: row["title"],
            kind: ReferentialKind(rawValue: row["kind"]) ?? .diplome, source: row["source"],
            validity: Validity(from: (row["validFrom"] as String?).flatMap(CalendarDate.init(iso:)),
                               until: (row["validUntil"] as String?).flatMap(CalendarDate.init(iso:))),
            scaleCode: scaleCode,
            embeddedScale: scale == Scale.builtIn(code: scaleCode) ? nil : scale,
            externalCodes: codesByNode[nil] ?? [],
            children: tree(nil))
        return (StoredVersion(referential: referential, scale: scale, nodes: nodes), Array(answers.dropFirst(4)))
    }

    /// A version's frozen scale: its levels and its special codes, in one query (each query is
    /// a round trip to an académie's server, and every page reads a scale).
    func fetchScale(referentialID: Int64, code: String, title: String, _ db: any SQLConnection) throws -> Scale {
        let query = Self.scaleQuery(referentialID: referentialID)
        return Self.scale(from: try db.rows(sql: query.sql, arguments: query.arguments), code: code, title: title)
    }

    private static func scaleQuery(referentialID: Int64) -> SQLQuery {
        scalesQuery(where: "referentialId = ?", [referentialID, referentialID])
    }

    /// The scales of every version of a referential, each row with its version's id.
    static func scalesQuery(code: String) -> SQLQuery {
        scalesQuery(where: "referentialId IN (SELECT id FROM referential WHERE code = ?)", [code, code])
    }

    /// Levels then special codes of the versions `filter` chooses (given twice: once a table).
    private static func scalesQuery(where filter: String, _ arguments: SQLArguments) -> SQLQuery {
        SQLQuery("""
            SELECT referentialId, 0 AS special, rank AS position, code, teacherLabel AS label, studentLabel, color, marker, isAcquired,
                   officialValue, NULL AS meaning FROM scaleLevel WHERE \(filter)
            UNION ALL
            SELECT referentialId, 1, position, code, label, NULL, NULL, NULL, NULL, officialValue, meaning FROM scaleSpecialCode
            WHERE \(filter)
            ORDER BY referentialId, special, position
            """, arguments: arguments)
    }

    static func scale(from rows: [SQLRow], code: String, title: String) -> Scale {
        var levels: [Scale.Level] = [], specials: [Scale.SpecialCode] = []
        for row in rows {
            if row["special"] == false {
                levels.append(Scale.Level(code: row["code"], teacherLabel: row["label"], studentLabel: row["studentLabel"],
                                          color: row["color"], marker: row["marker"], isAcquired: row["isAcquired"],
                                          officialValue: row["officialValue"]))
            } else {
                specials.append(Scale.SpecialCode(code: row["code"], label: row["label"],
                                                  meaning: Scale.SpecialCode.Meaning(rawValue: row["meaning"]) ?? .notEvaluated,
                                                  officialValue: row["officialValue"]))
            }
        }
        return Scale(code: code, title: title, levels: levels, specialCodes: specials)
    }
}
