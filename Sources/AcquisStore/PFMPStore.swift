import AcquisCore
import AcquisStorage
import Foundation

/// PFMP periods and their tutors' observations.
struct PFMPStore: PFMPRepository {
    let db: any SQLConnection

    func create(_ new: NewPFMP) throws -> Int64 {
        let id = try db.value(Int64.self, sql: """
            INSERT INTO pfmpPeriod (studentId, company, tutorName, tutorEmail, startsOn, endsOn, referentialId, linkHash, createdBy, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, arguments: [new.studentID, new.company, new.tutorName, new.tutorEmail, new.startsOn.iso, new.endsOn.iso,
                             new.referentialID, new.linkHash, new.createdBy, new.createdAt])!
        for nodeID in Set(new.nodeIDs) {
            try db.run(sql: "INSERT INTO pfmpCompetency (pfmpPeriodId, nodeId) VALUES (?, ?)", arguments: [id, nodeID])
        }
        return id
    }

    func period(_ id: Int64) throws -> PFMPPeriod? {
        try periods(filter: "p.id = ?", arguments: [id]).first
    }

    func period(linkHash: String) throws -> PFMPPeriod? {
        try periods(filter: "p.linkHash = ?", arguments: [linkHash]).first
    }

    func periods(studentID: Int64) throws -> [PFMPPeriod] {
        try periods(filter: "p.studentId = ?", arguments: [studentID])
    }

    func revoke(_ id: Int64, at date: Date) throws {
        try db.run(sql: "UPDATE pfmpPeriod SET revokedAt = COALESCE(revokedAt, ?) WHERE id = ?", arguments: [date, id])
    }

    func observe(periodID: Int64, nodeID: Int64, code: String, on day: CalendarDate, at date: Date) throws {
        try db.run(sql: """
            INSERT INTO pfmpObservation (pfmpPeriodId, nodeId, code, observedOn, recordedAt, status) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [periodID, nodeID, code, day.iso, date, PFMPObservation.Status.pending.rawValue])
    }

    func observations(periodID: Int64) throws -> [PFMPObservation] {
        try observations(filter: "o.pfmpPeriodId = ?", arguments: [periodID])
    }

    func observation(_ id: Int64) throws -> PFMPObservation? {
        try observations(filter: "o.id = ?", arguments: [id]).first
    }

    func decide(_ observationID: Int64, status: PFMPObservation.Status, by teacher: String, at date: Date) throws {
        try db.run(sql: "UPDATE pfmpObservation SET status = ?, decidedBy = ?, decidedAt = ? WHERE id = ?",
                   arguments: [status.rawValue, teacher, date, observationID])
    }

    func setAppreciation(_ periodID: Int64, text: String?, at date: Date) throws {
        let words = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.run(sql: "UPDATE pfmpPeriod SET appreciation = ?, appreciationAt = ? WHERE id = ?",
                   arguments: [words?.isEmpty == false ? words : nil, date, periodID])
    }

    func appreciations(schoolID: Int64, referentialCode: String, from: CalendarDate, to: CalendarDate) throws -> [String: [String]] {
        var byStudent: [String: [String]] = [:]
        for row in try db.rows(sql: """
            SELECT s.ine, p.company, p.appreciation FROM pfmpPeriod p
            JOIN student s ON s.id = p.studentId JOIN referential f ON f.id = p.referentialId
            WHERE s.schoolId = ? AND s.ine IS NOT NULL AND f.code = ? AND p.startsOn <= ? AND p.endsOn >= ? AND p.appreciation IS NOT NULL
            ORDER BY s.id, p.startsOn, p.id
            """, arguments: [schoolID, referentialCode, to.iso, from.iso]) {
            byStudent[row["ine"], default: []].append("\(row["company"] as String) : \(row["appreciation"] as String)")
        }
        return byStudent
    }

    private func periods(filter: String, arguments: SQLArguments) throws -> [PFMPPeriod] {
        var competencies: [Int64: [CompetencyRef]] = [:]
        for row in try db.rows(sql: """
            SELECT c.pfmpPeriodId, f.code AS referentialCode, n.code, n.title
            FROM pfmpCompetency c JOIN pfmpPeriod p ON p.id = c.pfmpPeriodId
            JOIN referentialNode n ON n.id = c.nodeId JOIN referential f ON f.id = n.referentialId
            WHERE \(filter) ORDER BY n.position, n.code
            """, arguments: arguments) {
            competencies[row["pfmpPeriodId"], default: []].append(
                CompetencyRef(referentialCode: row["referentialCode"], code: row["code"], title: row["title"]))
        }
        return try db.rows(sql: """
            SELECT p.*, f.code AS referentialCode FROM pfmpPeriod p JOIN referential f ON f.id = p.referentialId
            WHERE \(filter) ORDER BY p.startsOn DESC, p.id DESC
            """, arguments: arguments).map { row in
            let id: Int64 = row["id"]
            return PFMPPeriod(id: id, studentID: row["studentId"], company: row["company"], tutorName: row["tutorName"],
                              tutorEmail: row["tutorEmail"], startsOn: CalendarDate(iso: row["startsOn"]) ?? CalendarDate(dayNumber: 0),
                              endsOn: CalendarDate(iso: row["endsOn"]) ?? CalendarDate(dayNumber: 0),
                              referentialCode: row["referentialCode"], competencies: competencies[id] ?? [],
                              appreciation: row["appreciation"], appreciationAt: row["appreciationAt"], revokedAt: row["revokedAt"],
                              createdBy: row["createdBy"], createdAt: row["createdAt"])
        }
    }

    private func observations(filter: String, arguments: SQLArguments) throws -> [PFMPObservation] {
        try db.rows(sql: """
            SELECT o.id, o.pfmpPeriodId, o.code, o.observedOn, o.recordedAt, o.status, o.decidedBy,
                   f.code AS referentialCode, n.code AS nodeCode, n.title
            FROM pfmpObservation o JOIN referentialNode n ON n.id = o.nodeId JOIN referential f ON f.id = n.referentialId
            WHERE \(filter) ORDER BY o.observedOn, o.id
            """, arguments: arguments).map { row in
            PFMPObservation(id: row["id"], periodID: row["pfmpPeriodId"],
                            competency: CompetencyRef(referentialCode: row["referentialCode"], code: row["nodeCode"], title: row["title"]),
                            code: row["code"], observedOn: CalendarDate(iso: row["observedOn"]) ?? CalendarDate(dayNumber: 0),
                            recordedAt: row["recordedAt"], status: PFMPObservation.Status(rawValue: row["status"]) ?? .pending,
                            decidedBy: row["decidedBy"])
        }
    }
}
