import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation
import GRDB

/// A period's bilan beside the team's synthesis: the student's own part, and each family
/// account's acknowledgement, kept with its day.
public struct PeriodBilanStore: Sendable {
    public init() {}

    public func reflection(studentID: Int64, period: Period, in db: any SQLConnection) throws -> StudentReflection? {
        try db.row(sql: """
            SELECT proud, toWork, writtenAt FROM periodReflection WHERE studentId = ? AND schoolYear = ? AND period = ?
            """, arguments: [studentID, period.schoolYear.startYear, period.code]).map {
            StudentReflection(proud: $0["proud"], toWork: $0["toWork"], writtenAt: $0["writtenAt"])
        }
    }

    /// Writes (or rewrites) the student's part of a period.
    public func saveReflection(_ reflection: StudentReflection, studentID: Int64, period: Period, in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO periodReflection (studentId, schoolYear, period, proud, toWork, writtenAt) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (studentId, schoolYear, period) DO UPDATE SET
                proud = excluded.proud, toWork = excluded.toWork, writtenAt = excluded.writtenAt
            """, arguments: [studentID, period.schoolYear.startYear, period.code, reflection.proud, reflection.toWork, reflection.writtenAt])
    }

    public func acknowledgements(studentID: Int64, period: Period, in db: any SQLConnection) throws -> [FamilyAcknowledgement] {
        try db.rows(sql: """
            SELECT a.displayName, p.acknowledgedAt FROM periodAcknowledgement p JOIN account a ON a.id = p.accountId
            WHERE p.studentId = ? AND p.schoolYear = ? AND p.period = ? ORDER BY p.acknowledgedAt
            """, arguments: [studentID, period.schoolYear.startYear, period.code]).map {
            FamilyAcknowledgement(name: $0["displayName"], at: $0["acknowledgedAt"])
        }
    }

    /// Keeps a family account's « Vu » on a period, once: the first day stays.
    public func acknowledge(studentID: Int64, period: Period, accountID: Int64, at date: Date, in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO periodAcknowledgement (studentId, schoolYear, period, accountId, acknowledgedAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, arguments: [studentID, period.schoolYear.startYear, period.code, accountID, date])
    }
}
