import AcquisCore
import AcquisStorage
import Foundation
import GRDB

/// Legal guardians of a school's students, from SIECLE. A guardian is known by their
/// `PERSONNE_ID` within the school; each re-import replaces their links to children.
public struct GuardianStore: Sendable {
    public init() {}

    /// Stores the guardians of a file for a school: added, updated or unchanged by their
    /// `PERSONNE_ID`. Children are looked up among the school's students by `ELEVE_ID`;
    /// another school's student is never linked.
    public func importGuardians(_ roster: GuardianRoster, schoolID: Int64, in db: any SQLConnection) throws -> GuardianImport {
        var result = GuardianImport()
        let students = Dictionary(try db.rows(sql: "SELECT localId, id FROM student WHERE schoolId = ? AND localId IS NOT NULL",
                                                   arguments: [schoolID]).map { ($0["localId"] as String, $0["id"] as Int64) },
                                  uniquingKeysWith: { first, _ in first })
        for guardian in roster.guardians {
            let children = guardian.children.compactMap { students[$0] }
            result.unknownChildren += guardian.children.filter { students[$0] == nil }
            guard !children.isEmpty else { result.withoutChild.append(guardian.displayName); continue }
            let existing = try db.row(sql: "SELECT id, civility, lastName, firstName FROM guardian WHERE schoolId = ? AND personId = ?",
                                            arguments: [schoolID, guardian.personID])
            let id: Int64
            if let existing {
                id = existing["id"]
                if existing["civility"] as String? == guardian.civility, existing["lastName"] == guardian.lastName,
                   existing["firstName"] == guardian.firstName {
                    result.unchanged += 1
                } else {
                    try db.run(sql: "UPDATE guardian SET civility = ?, lastName = ?, firstName = ? WHERE id = ?",
                                   arguments: [guardian.civility, guardian.lastName, guardian.firstName, id])
                    result.updated += 1
                }
                try db.run(sql: "DELETE FROM guardianship WHERE guardianId = ?", arguments: [id])
            } else {
                try db.run(sql: "INSERT INTO guardian (schoolId, personId, civility, lastName, firstName) VALUES (?, ?, ?, ?, ?)",
                               arguments: [schoolID, guardian.personID, guardian.civility, guardian.lastName, guardian.firstName])
                id = (try db.insertedID())
                result.inserted += 1
            }
            for child in Set(children) {
                try db.run(sql: "INSERT INTO guardianship (guardianId, studentId) VALUES (?, ?)", arguments: [id, child])
                result.links += 1
            }
        }
        return result
    }

    /// The school's guardians with their children, by name.
    public func guardians(schoolID: Int64, in db: any SQLConnection) throws -> [StoredGuardian] {
        let links = Dictionary(grouping: try db.rows(sql: """
            SELECT gs.guardianId, gs.studentId FROM guardianship gs JOIN guardian g ON g.id = gs.guardianId WHERE g.schoolId = ?
            ORDER BY gs.studentId
            """, arguments: [schoolID]), by: { $0["guardianId"] as Int64 }).mapValues { $0.map { $0["studentId"] as Int64 } }
        return try db.rows(sql: "SELECT * FROM guardian WHERE schoolId = ? ORDER BY lastName, firstName, id",
                                arguments: [schoolID]).map { row in
            let id: Int64 = row["id"]
            return StoredGuardian(id: id, guardian: Guardian(personID: row["personId"], civility: row["civility"], lastName: row["lastName"],
                                                             firstName: row["firstName"], children: []),
                                  childIDs: links[id] ?? [])
        }
    }

    /// The children a guardian is responsible for, by id.
    public func childIDs(guardianID: Int64, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: "SELECT studentId FROM guardianship WHERE guardianId = ? ORDER BY studentId", arguments: [guardianID])
    }

    /// The guardians of a school who already have a family account.
    public func guardiansWithAccount(schoolID: Int64, in db: any SQLConnection) throws -> Set<Int64> {
        Set(try db.values(Int64.self, sql: "SELECT guardianId FROM account WHERE schoolId = ? AND guardianId IS NOT NULL", arguments: [schoolID]))
    }
}
