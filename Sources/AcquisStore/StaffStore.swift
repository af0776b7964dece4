import AcquisCore
import AcquisStorage
import Foundation
import GRDB

/// The school's teachers from STS-web: who they are, what they teach where, whom they lead.
public struct StaffStore: Sendable {
    public init() {}

    public func importTeachers(_ roster: TeacherRoster, schoolID: Int64, year: SchoolYear,
                               newLogin: (RosterTeacher) throws -> String, in db: any SQLConnection) throws -> TeacherImport {
        var result = TeacherImport()
        let divisions = Dictionary(try db.rows(sql: "SELECT code, id FROM division WHERE schoolId = ? AND schoolYear = ?",
                                                    arguments: [schoolID, year.startYear]).map { ($0["code"] as String, $0["id"] as Int64) },
                                   uniquingKeysWith: { first, _ in first })
        let services = Dictionary(grouping: roster.services, by: \.teacherID)
        var unknown: [String: (line: Int, teachers: Set<String>)] = [:]
        for service in roster.services where divisions[service.division] == nil {
            var entry = unknown[service.division] ?? (service.line, [])
            entry.line = min(entry.line, service.line)
            entry.teachers.insert(service.teacherID)
            unknown[service.division] = entry
        }
        result.unknownDivisions = unknown.map { TeacherImport.UnknownDivision(code: $0.key, line: $0.value.line, teachers: $0.value.teachers.count) }
            .sorted { ($0.line, $0.code) < ($1.line, $1.code) }

        for teacher in roster.teachers {
            let wanted = Set((services[teacher.stsID] ?? []).compactMap { service in
                divisions[service.division].map { Pair(divisionID: $0, subject: service.subject) }
            })
            let leads = Set((roster.mainTeachers[teacher.stsID] ?? []).compactMap { divisions[$0] })
            if wanted.isEmpty { result.withoutService.append(teacher) }
            let existing = try db.row(sql: "SELECT id, name FROM teacher WHERE schoolId = ? AND stsId = ?",
                                            arguments: [schoolID, teacher.stsID])
            let id: Int64
            var changed: Bool
            if let existing {
                id = existing["id"]
                changed = existing["name"] as String != teacher.displayName
                if changed {
                    try db.run(sql: "UPDATE teacher SET name = ? WHERE id = ?", arguments: [teacher.displayName, id])
                    try db.run(sql: "UPDATE account SET displayName = ? WHERE teacherId = ?", arguments: [teacher.displayName, id])
                }
            } else {
                try db.run(sql: "INSERT INTO teacher (schoolId, login, name, stsId) VALUES (?, ?, ?, ?)",
                               arguments: [schoolID, try newLogin(teacher), teacher.displayName, teacher.stsID])
                id = (try db.insertedID())
                changed = false
            }
            let had = Set(try db.rows(sql: """
                SELECT s.divisionId, s.subject FROM teachingSubject s JOIN division d ON d.id = s.divisionId
                WHERE s.teacherId = ? AND d.schoolYear = ?
                """, arguments: [id, year.startYear]).map { Pair(divisionID: $0[0], subject: $0[1]) })
            let led = Set(try db.values(Int64.self, sql: """
                SELECT m.divisionId FROM mainTeacher m JOIN division d ON d.id = m.divisionId WHERE m.teacherId = ? AND d.schoolYear = ?
                """, arguments: [id, year.startYear]))
            if had != wanted || led != leads {
                changed = true
                try replaceServices(of: id, year: year, with: wanted, leads: leads, in: db)
            }
            if existing == nil { result.inserted += 1 } else if changed { result.updated += 1 } else { result.unchanged += 1 }
            result.teachings += Set(wanted.map(\.divisionID)).count
            result.mainTeachers += leads.count
        }
        return result
    }

    private struct Pair: Hashable {
        var divisionID: Int64
        var subject: String
    }

    /// Replaces a teacher's classes, groups and subjects of a year with the file's.
    private func replaceServices(of teacherID: Int64, year: SchoolYear, with services: Set<Pair>, leads: Set<Int64>, in db: any SQLConnection) throws {
        let thisYear = "divisionId IN (SELECT id FROM division WHERE schoolYear = ?)"
        for table in ["teachingSubject", "teaching", "mainTeacher"] {
            try db.run(sql: "DELETE FROM \(table) WHERE teacherId = ? AND \(thisYear)", arguments: [teacherID, year.startYear])
        }
        for service in services {
            try db.run(sql: "INSERT INTO teachingSubject (teacherId, divisionId, subject) VALUES (?, ?, ?)",
                           arguments: [teacherID, service.divisionID, service.subject])
            try db.run(sql: "INSERT INTO teaching (teacherId, divisionId) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [teacherID, service.divisionID])
        }
        for division in leads {
            try db.run(sql: "INSERT INTO mainTeacher (divisionId, teacherId) VALUES (?, ?)", arguments: [division, teacherID])
        }
    }

    /// The school's teachers with what they teach in a school year, by name.
    public func staff(schoolID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [StaffTeacher] {
        let subjects = Dictionary(grouping: try db.rows(sql: """
            SELECT t.teacherId, d.code, s.subject FROM teaching t JOIN division d ON d.id = t.divisionId
            LEFT JOIN teachingSubject s ON s.teacherId = t.teacherId AND s.divisionId = t.divisionId
            WHERE d.schoolId = ? AND d.schoolYear = ? ORDER BY d.kind, d.code, s.subject
            """, arguments: [schoolID, year.startYear]), by: { $0["teacherId"] as Int64 })
        let leads = Dictionary(grouping: try db.rows(sql: """
            SELECT m.teacherId, d.code FROM mainTeacher m JOIN division d ON d.id = m.divisionId
            WHERE d.schoolId = ? AND d.schoolYear = ? ORDER BY d.code
            """, arguments: [schoolID, year.startYear]), by: { $0["teacherId"] as Int64 })
        return try db.rows(sql: """
            SELECT t.id, t.schoolId, t.login, t.name, t.stsId IS NOT NULL AS fromSTS,
                   EXISTS (SELECT 1 FROM account a WHERE a.teacherId = t.id) AS hasAccount
            FROM teacher t WHERE t.schoolId = ? ORDER BY t.name COLLATE NOCASE, t.id
            """, arguments: [schoolID]).map { row in
            let id: Int64 = row["id"]
            var teaching: [StaffTeacher.Teaching] = []
            for row in subjects[id] ?? [] {
                let code: String = row["code"], subject: String? = row["subject"]
                if teaching.last?.code != code { teaching.append(StaffTeacher.Teaching(code: code, subjects: [])) }
                if let subject { teaching[teaching.count - 1].subjects.append(subject) }
            }
            return StaffTeacher(teacher: Teacher(id: id, schoolId: row["schoolId"], login: row["login"], name: row["name"]),
                                fromSTS: row["fromSTS"], hasAccount: row["hasAccount"], teaching: teaching,
                                leads: (leads[id] ?? []).map { $0["code"] })
        }
    }

    /// The classes a teacher is main teacher of in a school year.
    public func leads(teacherID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [String] {
        try db.values(String.self, sql: """
            SELECT d.code FROM mainTeacher m JOIN division d ON d.id = m.divisionId WHERE m.teacherId = ? AND d.schoolYear = ? ORDER BY d.code
            """, arguments: [teacherID, year.startYear])
    }

    public func teachers(divisionID: Int64, in db: any SQLConnection) throws -> [(teacher: Teacher, leads: Bool)] {
        try db.rows(sql: """
            SELECT t.id, t.schoolId, t.login, t.name,
                   EXISTS (SELECT 1 FROM mainTeacher m WHERE m.teacherId = t.id AND m.divisionId = g.divisionId) AS leads
            FROM teaching g JOIN teacher t ON t.id = g.teacherId WHERE g.divisionId = ? ORDER BY t.name COLLATE NOCASE
            """, arguments: [divisionID]).map {
            (Teacher(id: $0["id"], schoolId: $0["schoolId"], login: $0["login"], name: $0["name"]), $0["leads"])
        }
    }

    public func setMainTeachers(_ teacherIDs: [Int64], divisionID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "DELETE FROM mainTeacher WHERE divisionId = ?", arguments: [divisionID])
        for id in Set(teacherIDs) {
            try db.run(sql: "INSERT INTO mainTeacher (divisionId, teacherId) VALUES (?, ?)", arguments: [divisionID, id])
        }
    }

    // MARK: - Period closing

    public func closings(divisionID: Int64, period: String, in db: any SQLConnection) throws -> [PeriodClosing] {
        try db.rows(sql: "SELECT closed, actor, reason, at FROM periodClosing WHERE divisionId = ? AND period = ? ORDER BY id",
                         arguments: [divisionID, period]).map {
            PeriodClosing(closed: $0["closed"], actor: $0["actor"], reason: $0["reason"], at: $0["at"])
        }
    }

    public func recordClosing(_ closing: PeriodClosing, divisionID: Int64, period: String, in db: any SQLConnection) throws {
        try db.run(sql: "INSERT INTO periodClosing (divisionId, period, closed, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [divisionID, period, closing.closed, closing.actor, closing.reason, closing.at])
    }
}
