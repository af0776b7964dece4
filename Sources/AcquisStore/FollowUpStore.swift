import AcquisStorage
import AcquisCore
import AcquisGrading
import AcquisVigilance
import Foundation
import GRDB

/// Follow-ups are history: recorded, listed, never changed or deleted.
public struct FollowUpStore: Sendable {
    public init() {}

    @discardableResult
    public func record(studentID: Int64, action: String, decidedOn: CalendarDate, note: String?, author: String,
                       today: CalendarDate = .today, at instant: Date = Date(), in db: any SQLConnection) throws -> FollowUp {
        let action = action.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !action.isEmpty else { throw FollowUpError.emptyAction }
        guard decidedOn <= today else { throw FollowUpError.inTheFuture(decidedOn) }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.run(sql: """
            INSERT INTO followUp (studentId, action, decidedOn, note, author, recordedAt) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [studentID, action, decidedOn.iso, note?.isEmpty == false ? note : nil, author, instant])
        return FollowUp(id: (try db.insertedID()), studentID: studentID, action: action, decidedOn: decidedOn,
                        note: note?.isEmpty == false ? note : nil, author: author,
                        authorName: try AccountStore().personName(login: author, in: db),
                        recordedAt: instant)
    }

    /// A student's follow-ups decided by `day`, the latest first.
    public func followUps(studentID: Int64, asOf day: CalendarDate = .today, in db: any SQLConnection) throws -> [FollowUp] {
        try db.rows(sql: "SELECT *, \(AccountStore.personName("author")) AS authorName FROM followUp "
                            + "WHERE studentId = ? AND decidedOn <= ? ORDER BY decidedOn DESC, id DESC",
                         arguments: [studentID, day.iso]).map(Self.followUp)
    }

    /// The latest follow-up decided by `day` of each of these students that has one: as of a
    /// day means as of that day.
    public func latest(studentIDs: [Int64], asOf day: CalendarDate = .today, in db: any SQLConnection) throws -> [Int64: FollowUp] {
        var latest: [Int64: FollowUp] = [:]
        for row in try db.rows(sql: """
            SELECT *, \(AccountStore.personName("author")) AS authorName FROM followUp
            WHERE studentId IN (SELECT value FROM json_each(?)) AND decidedOn <= ? ORDER BY decidedOn, id
            """, arguments: [String(describing: studentIDs), day.iso]) {
            let followUp = Self.followUp(row)
            latest[followUp.studentID] = followUp
        }
        return latest
    }

    /// What happened to a student since each of `days`: levels the day before against levels
    /// today, in every referential they are evaluated in. Each referential is loaded once.
    public func outcomes(studentID: Int64, since days: [CalendarDate], asOf today: CalendarDate,
                         in db: any SQLConnection) throws -> [Outcome] {
        let targets = try ReferentialStore().referentialIDsInUse(studentIDs: [studentID], in: db)
            .map { try ReferentialStore().target(id: $0, in: db) }
        return try days.map { day in
            try targets.reduce(into: Outcome(since: day)) { outcome, target in
                outcome.add(try self.outcome(studentID: studentID, since: day, asOf: today, in: target, db: db))
            }
        }
    }

    /// What happened since `day` in one referential, on some of its competencies or all.
    public func outcome(studentID: Int64, since day: CalendarDate, asOf today: CalendarDate, in target: ReferentialTarget,
                        competencies codes: Set<String>? = nil, db: any SQLConnection) throws -> Outcome {
        let observations = try ProgressStore().observationsByCompetency(studentID: studentID, target: target, asOf: today, db)
        let competencies = target.referential.evaluableNodes
            .filter { codes?.contains($0.code) ?? true }
            .compactMap { node in
                observations[node.code].map { CompetencyEvidence(code: node.code, title: node.title, observations: $0) }
            }
        return Outcome.measure(since: day, competencies: competencies, calculator: target.calculator, asOf: today)
    }

    private static func followUp(_ row: SQLRow) -> FollowUp {
        FollowUp(id: row["id"], studentID: row["studentId"], action: row["action"],
                 decidedOn: CalendarDate(iso: row["decidedOn"]) ?? CalendarDate(dayNumber: 0), note: row["note"],
                 author: row["author"], authorName: row["authorName"] ?? row["author"], recordedAt: row["recordedAt"])
    }
}

/// Who looked at signals, follow-ups or need groups: every view is kept, by student id.
public struct SensitiveViewLog: Sendable {
    public typealias Subject = SensitiveSubject

    public init() {}

    /// One row per student shown: nothing is kept when nobody was shown.
    public func record(viewer: String, subject: Subject, studentIDs: [Int64], division: String? = nil,
                       at instant: Date = Date(), in db: any SQLConnection) throws {
        // One statement for a whole class on a server, not one per student.
        try db.copy(into: "sensitiveView", columns: ["viewer", "subject", "studentId", "division", "viewedAt"], rows: studentIDs.map { id in
            [viewer.databaseValue, subject.rawValue.databaseValue, id.databaseValue, division.databaseValue, instant.databaseValue]
        })
    }

    /// Who viewed a student's sensitive records, newest first.
    public func views(studentID: Int64, in db: any SQLConnection) throws -> [(viewer: String, subject: String, at: Date)] {
        try db.rows(sql: """
            SELECT viewer, subject, viewedAt FROM sensitiveView WHERE studentId = ? ORDER BY viewedAt DESC, id DESC
            """, arguments: [studentID]).map { ($0[0], $0[1], $0[2]) }
    }
}
