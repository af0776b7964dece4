import AcquisStorage
import AcquisCore
import AcquisGrading
import AcquisReports
import AcquisVigilance
import Foundation
import GRDB

public struct NeedGroupStore: Sendable {
    public init() {}

    /// Groups suggested from each student's levels on `competencies` as of `today`.
    public func suggest(division: DivisionRef, target: ReferentialTarget, competencies: [String], period: Period,
                        asOf today: CalendarDate, in db: any SQLConnection) throws -> NeedGroupSet {
        guard !competencies.isEmpty else { throw NeedGroupError.noCompetency }
        let unknown = competencies.filter { target.nodes[$0]?.isEvaluable != true }
        guard unknown.isEmpty else {
            throw NeedGroupError.unknownCompetencies(unknown, referential: "\(target.referential.code) \(target.referential.version)")
        }
        let students = try SchoolStore().students(in: division, asOf: today, in: db)
        let levels = try students.map { student in
            (student: student, masteries: try ProgressStore().masteries(studentID: student.id, target: target, asOf: today, in: db))
        }
        let placements = NeedGroupSuggester(scale: target.scale).suggest(levels.map { ($0.student.id, $0.masteries) },
                                                                         competencies: competencies)
        let members = zip(students, placements).map { student, placement in
            NeedGroupMember(student: student, group: placement.group, suggested: placement.group, reason: placement.reason)
        }
        return NeedGroupSet(id: nil, division: division.code, referentialID: target.id, referentialCode: target.referential.code,
                            competencies: competencies, period: period, members: members, savedBy: nil)
    }

    /// Saves the groups of a period, replacing what was saved for the same class, competencies and period.
    @discardableResult
    public func save(_ set: NeedGroupSet, division: DivisionRef, by author: String, at instant: Date = Date(),
                     in db: any SQLConnection) throws -> Int64 {
        try db.run(sql: """
            INSERT INTO needGroupSet (divisionId, referentialId, competencies, periodCode, periodTitle, startsOn, savedBy, savedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (divisionId, referentialId, competencies, periodCode)
            DO UPDATE SET periodTitle = excluded.periodTitle, startsOn = excluded.startsOn, savedBy = excluded.savedBy,
                          savedAt = excluded.savedAt
            """, arguments: [division.id, set.referentialID, set.competencies.joined(separator: " "), set.period.code,
                             set.period.title, set.period.start.iso, author, instant])
        let id = try db.value(Int64.self, sql: """
            SELECT id FROM needGroupSet WHERE divisionId = ? AND referentialId = ? AND competencies = ? AND periodCode = ?
            """, arguments: [division.id, set.referentialID, set.competencies.joined(separator: " "), set.period.code])!
        try db.run(sql: "DELETE FROM needGroupMember WHERE setId = ?", arguments: [id])
        for member in set.members {
            try db.run(sql: """
                INSERT INTO needGroupMember (setId, studentId, groupName, suggested, reason) VALUES (?, ?, ?, ?, ?)
                """, arguments: [id, member.student.id, member.group?.rawValue, member.suggested?.rawValue, member.reason])
        }
        return id
    }

    /// The saved sets of a class, the latest period first.
    public func sets(division: DivisionRef, in db: any SQLConnection) throws -> [NeedGroupSet] {
        try db.values(Int64.self, sql: "SELECT id FROM needGroupSet WHERE divisionId = ? ORDER BY startsOn DESC, id DESC",
                           arguments: [division.id]).map { try set(id: $0, year: division.year, in: db) }
    }

    public func set(id: Int64, year: SchoolYear, in db: any SQLConnection) throws -> NeedGroupSet {
        guard let row = try db.row(sql: """
            SELECT g.*, d.code AS divisionCode, r.code AS referentialCode, \(AccountStore.personName("g.savedBy")) AS savedByName
            FROM needGroupSet g
            JOIN division d ON d.id = g.divisionId JOIN referential r ON r.id = g.referentialId WHERE g.id = ?
            """, arguments: [id])
        else { throw NeedGroupError.unknownSet(id) }
        let members = try db.rows(sql: """
            SELECT m.* FROM needGroupMember m JOIN student s ON s.id = m.studentId WHERE m.setId = ?
            ORDER BY s.lastName COLLATE FRENCH, s.firstName COLLATE FRENCH
            """, arguments: [id]).map { member in
            NeedGroupMember(student: try SchoolStore().student(studentID: member["studentId"], year: year, in: db),
                            group: (member["groupName"] as String?).flatMap(NeedGroup.init(rawValue:)),
                            suggested: (member["suggested"] as String?).flatMap(NeedGroup.init(rawValue:)),
                            reason: member["reason"])
        }
        let start = CalendarDate(iso: row["startsOn"]) ?? CalendarDate(dayNumber: 0)
        let period = Period.named(row["periodCode"], in: SchoolYear(containing: start))
            ?? Period(code: row["periodCode"], title: row["periodTitle"], start: start, end: start)
        return NeedGroupSet(id: id, division: row["divisionCode"], referentialID: row["referentialId"],
                            referentialCode: row["referentialCode"],
                            competencies: (row["competencies"] as String).split(separator: " ").map(String.init),
                            period: period, members: members, savedBy: row["savedByName"] ?? row["savedBy"])
    }

    /// What happened to each group since its period started, on the set's competencies.
    public func outcomes(of set: NeedGroupSet, asOf today: CalendarDate, in db: any SQLConnection) throws -> [NeedGroup: Outcome] {
        let target = try ReferentialStore().target(id: set.referentialID, in: db)
        var outcomes: [NeedGroup: Outcome] = [:]
        for member in set.members {
            guard let group = member.group else { continue }
            let outcome = try FollowUpStore().outcome(studentID: member.student.id, since: set.period.start, asOf: today,
                                                      in: target, competencies: Set(set.competencies), db: db)
            outcomes[group, default: Outcome(since: set.period.start)].add(outcome)
        }
        return outcomes
    }
}
