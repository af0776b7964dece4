import AcquisStorage
import AcquisCore
import AcquisReports
import Foundation
import GRDB

/// Syntheses, one per student and period of a school year; writing again replaces it.
public struct SynthesisStore: Sendable {
    public init() {}

    public func save(studentID: Int64, period: Period, text: String, goals: [String], author: String,
                     on day: CalendarDate, in db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO synthesis (studentId, schoolYear, period, text, goals, author, writtenOn)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (studentId, schoolYear, period) DO UPDATE SET
                text = excluded.text, goals = excluded.goals, author = excluded.author, writtenOn = excluded.writtenOn
            """, arguments: [studentID, period.schoolYear.startYear, period.code, text,
                             goals.joined(separator: "\n"), author, day.iso])
    }

    public func synthesis(studentID: Int64, period: Period, in db: any SQLConnection) throws -> StoredSynthesis? {
        try db.row(sql: """
            SELECT text, goals, author, writtenOn FROM synthesis WHERE studentId = ? AND schoolYear = ? AND period = ?
            """, arguments: [studentID, period.schoolYear.startYear, period.code]).map { row in
            let goals: String = row["goals"]
            return StoredSynthesis(text: row["text"], goals: goals.split(separator: "\n").map(String.init),
                                   author: row["author"], writtenOn: CalendarDate(iso: row["writtenOn"])!)
        }
    }
}

extension AcquisDatabase {
    static func createSyntheses(_ db: Database) throws {
        try db.create(table: "synthesis") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.column("schoolYear", .integer).notNull()
            t.column("period", .text).notNull()
            t.column("text", .text).notNull()
            // One goal per line.
            t.column("goals", .text).notNull()
            t.column("author", .text).notNull()
            t.column("writtenOn", .text).notNull()
            t.uniqueKey(["studentId", "schoolYear", "period"])
        }
    }
}
