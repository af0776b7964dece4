import AcquisStorage
import AcquisCore
import Foundation
import GRDB

/// SQL for the evidence of competencies across the versions of a referential.
///
/// A competency's evidence is its own evaluations and those of every earlier competency it
/// continues (``CompetencyLink``), however many versions back. Every query that reads
/// evidence for a level goes through ``cte(seed:)``, so that no view counts less.
enum Lineage {
    /// A `lineage(nodeId, sourceId)` table: each node id chosen by `seed` (a SELECT of one
    /// column) paired with itself and with every earlier node whose evidence counts towards it.
    static func cte(seed: String) -> String {
        """
        WITH RECURSIVE seed(id) AS (\(seed)),
        lineage(nodeId, sourceId) AS (
            SELECT id, id FROM seed
            UNION SELECT lineage.nodeId, l.sourceNodeId FROM lineage JOIN competencyLink l ON l.nodeId = lineage.sourceId)
        """
    }

    /// The later nodes whose evidence includes `nodeID`'s, nearest versions first.
    static func laterNodes(of nodeID: Int64, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: """
            WITH RECURSIVE later(id, depth) AS (
                SELECT nodeId, 1 FROM competencyLink WHERE sourceNodeId = ?
                UNION SELECT l.nodeId, later.depth + 1 FROM later JOIN competencyLink l ON l.sourceNodeId = later.id)
            SELECT id FROM later GROUP BY id ORDER BY MIN(depth), id
            """, arguments: [nodeID])
    }

    /// Whether any link exists: a database with a single version of each referential skips
    /// the work of following them.
    static func exists(in db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT EXISTS (SELECT 1 FROM competencyLink)") ?? false
    }
}

extension ReferentialStore {
    /// The stored version of `code` just before `version`, if any.
    func earlierVersion(code: String, before version: String, in db: any SQLConnection) throws -> Int64? {
        let versions = try db.rows(sql: "SELECT id, version FROM referential WHERE code = ?", arguments: [code])
        return versions.filter { VersionOrder.precedes($0["version"], version) }
            .max { VersionOrder.precedes($0["version"], $1["version"]) }?["id"]
    }

    /// How `referential`, about to be published, would continue the version stored before it
    /// (nil when there is none): what an inspector reads before publishing.
    public func continuity(of referential: Referential, correspondence: Correspondence? = nil,
                           in db: any SQLConnection) throws -> VersionContinuity? {
        guard let earlierID = try earlierVersion(code: referential.code, before: referential.version, in: db) else { return nil }
        let earlier = try fetch(id: earlierID, in: db)
        let lineage = VersionLineage(from: earlier, to: referential, correspondence: correspondence)
        let earlierNodes = try nodeIDs(referentialID: earlierID, db)
        let evaluated = try lineage.unaccounted.filter { code in
            try earlierNodes[code].map { try hasEvidence(nodeID: $0, db) } ?? false
        }
        return VersionContinuity(earlierID: earlierID, earlierVersion: earlier.version, lineage: lineage,
                                 unaccountedWithEvidence: evaluated)
    }

    /// Links a newly stored version to the one before it, then computes the levels its
    /// continued competencies already have. Refuses the version when evaluated competencies
    /// would silently stop counting.
    func continueEarlierVersion(of referential: Referential, id: Int64, correspondence: Correspondence?,
                                in db: any SQLConnection) throws {
        guard let continuity = try continuity(of: referential, correspondence: correspondence, in: db) else {
            if correspondence != nil {
                throw VersionContinuityError.noEarlierVersion(code: referential.code, version: referential.version)
            }
            return
        }
        let lineage = continuity.lineage
        guard lineage.problems.isEmpty else { throw VersionContinuityError.correspondence(lineage.problems) }
        guard continuity.unaccountedWithEvidence.isEmpty else {
            throw VersionContinuityError.evidenceWouldBeLost(code: referential.code, from: continuity.earlierVersion,
                                                             to: referential.version, competencies: continuity.unaccountedWithEvidence)
        }
        try link(lineage, earlierID: continuity.earlierID, laterID: id, db)
        if !lineage.links.isEmpty {
            try MasteryStore().recompute(referentialID: id, cause: .newVersion(referential.version), in: db)
        }
    }

    private func link(_ lineage: VersionLineage, earlierID: Int64, laterID: Int64, _ db: any SQLConnection) throws {
        let earlierNodes = try nodeIDs(referentialID: earlierID, db), laterNodes = try nodeIDs(referentialID: laterID, db)
        for link in lineage.links {
            guard let node = laterNodes[link.code], let source = earlierNodes[link.earlierCode] else { continue }
            try db.run(sql: "INSERT INTO competencyLink (nodeId, sourceNodeId, relation) VALUES (?, ?, ?)",
                       arguments: [node, source, link.relation.rawValue])
        }
    }

    /// Links the versions stored before links existed, by code: what a database created by an
    /// earlier release of Acquis needs once, so that its schools find their progress again.
    func linkStoredVersionsByCode(in db: any SQLConnection) throws {
        let rows = try db.rows(sql: "SELECT id, code, version FROM referential")
        let byCode = Dictionary(grouping: rows, by: { $0["code"] as String })
        for versions in byCode.values where versions.count > 1 {
            let ordered = versions.sorted { VersionOrder.precedes($0["version"], $1["version"]) }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                let lineage = VersionLineage(from: try fetch(id: earlier["id"], in: db), to: try fetch(id: later["id"], in: db))
                try link(lineage, earlierID: earlier["id"], laterID: later["id"], db)
                try MasteryStore().recompute(referentialID: later["id"], cause: .recomputation, in: db)
            }
        }
    }

    private func nodeIDs(referentialID: Int64, _ db: any SQLConnection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try db.rows(sql: "SELECT code, id FROM referentialNode WHERE referentialId = ?", arguments: [referentialID]) {
            result[row[0]] = row[1]
        }
        return result
    }

    private func hasEvidence(nodeID: Int64, _ db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: """
            \(Lineage.cte(seed: "SELECT CAST(? AS BIGINT)"))
            SELECT EXISTS (SELECT 1 FROM lineage JOIN evaluation e ON e.nodeId = lineage.sourceId WHERE e.withdrawnAt IS NULL)
            """, arguments: [nodeID]) ?? false
    }

    // MARK: - The version a class works with

    /// The version of `code` a class or group works with: the one the school chose for it;
    /// else the newest version its students have evidence in, so that publishing a version
    /// never moves a class on its own; else the newest version.
    public func versionID(code: String, divisionID: Int64, in db: any SQLConnection) throws -> Int64 {
        if let chosen = try db.value(Int64.self, sql: """
            SELECT referentialId FROM divisionReferential WHERE divisionId = ? AND referentialCode = ?
            """, arguments: [divisionID, code]) {
            return chosen
        }
        // Newest version first, each asked whether any evidence exists: the answer comes with
        // the first row found instead of after reading every evaluation of the class. Nodes,
        // then students, then one look in the (student, node) index for each pair: CROSS JOIN
        // keeps SQLite's order, and a first row (`LIMIT 1`) keeps PostgreSQL from reading the
        // whole evaluation table into a hash instead (every school's, in an académie).
        let versions = try self.versions(code: code, db).sorted { VersionOrder.precedes($1.version, $0.version) }
        for version in versions where try db.value(Bool.self, sql: """
            SELECT EXISTS (SELECT 1 FROM referentialNode n CROSS JOIN enrollment en
                           WHERE n.referentialId = ? AND en.divisionId = ?
                             AND (SELECT 1 FROM evaluation e WHERE e.studentId = en.studentId AND e.nodeId = n.id
                                  AND e.withdrawnAt IS NULL LIMIT 1) IS NOT NULL)
            """, arguments: [version.id, divisionID]) == true {
            return version.id
        }
        return try id(code: code, version: nil, in: db)
    }

    /// The version a student's evidence in `code` is read in: the newest of the versions
    /// their classes work with and the versions they have evidence in. Evidence flows to
    /// later versions, so the newest of these holds all of it.
    public func versionID(code: String, studentID: Int64, in db: any SQLConnection) throws -> Int64 {
        var candidates = try db.values(Int64.self, sql: """
            SELECT DISTINCT n.referentialId FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId
            JOIN referential r ON r.id = n.referentialId WHERE e.studentId = ? AND r.code = ? AND e.withdrawnAt IS NULL
            """, arguments: [studentID, code])
        for division in try db.values(Int64.self, sql: """
            SELECT d.id FROM enrollment en JOIN division d ON d.id = en.divisionId WHERE en.studentId = ?
              AND d.schoolYear = (SELECT MAX(d2.schoolYear) FROM enrollment e2 JOIN division d2 ON d2.id = e2.divisionId
                                  WHERE e2.studentId = ?)
            """, arguments: [studentID, studentID]) {
            candidates.append(try versionID(code: code, divisionID: division, in: db))
        }
        guard !candidates.isEmpty else { return try id(code: code, version: nil, in: db) }
        let versions = try db.rows(sql: "SELECT id, version FROM referential WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [String(describing: candidates)])
        return versions.max { VersionOrder.precedes($0["version"], $1["version"]) }!["id"]
    }

    /// The version named, or else the version the student's evidence is read in.
    public func target(code: String, version: String?, studentID: Int64, in db: any SQLConnection) throws -> ReferentialTarget {
        try target(id: version.map { try id(code: code, version: $0, in: db) } ?? versionID(code: code, studentID: studentID, in: db), in: db)
    }

    /// The version named, or else the version the class or group works with.
    public func target(code: String, version: String?, divisionID: Int64, in db: any SQLConnection) throws -> ReferentialTarget {
        try target(id: version.map { try id(code: code, version: $0, in: db) } ?? versionID(code: code, divisionID: divisionID, in: db), in: db)
    }

    /// Makes a class or group work with one version of a referential: the grid shows it,
    /// and evaluations recorded from it go to it. Levels need no recomputing: evidence of
    /// earlier versions already counts in later ones.
    /// The referential versions a class or group follows, by code, as direction chose them.
    public func followed(divisionID: Int64, in db: any SQLConnection) throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try db.rows(sql: """
            SELECT referentialCode, referentialId FROM divisionReferential WHERE divisionId = ?
            """, arguments: [divisionID]).map { ($0["referentialCode"] as String, $0["referentialId"] as Int64) })
    }

    /// Stops a class or group following a referential (its evidence stays).
    public func unfollow(code: String, divisionID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM divisionReferential WHERE divisionId = ? AND referentialCode = ?", arguments: [divisionID, code])
    }

    public func chooseVersion(code: String, version: String, divisionID: Int64, in db: any SQLConnection) throws {
        let id = try id(code: code, version: version, in: db)
        try db.run(sql: """
            INSERT INTO divisionReferential (divisionId, referentialCode, referentialId) VALUES (?, ?, ?)
            ON CONFLICT (divisionId, referentialCode) DO UPDATE SET referentialId = excluded.referentialId
            """, arguments: [divisionID, code, id])
    }
}
