import AcquisCSV
import AcquisCore
import AcquisStorage
import Foundation

/// One cell of a class grid: a student, a competency, a level code.
public struct GridCell: Hashable, Sendable {
    public var studentID: Int64
    public var competency: String
    public var level: String

    public init(studentID: Int64, competency: String, level: String) {
        self.studentID = studentID
        self.competency = competency
        self.level = level
    }
}

/// A grid cell refused: nothing of the grid was recorded. Carries the store's reason.
public struct GridCellRefused: Error, Sendable {
    public var cell: GridCell
    public var studentName: String
    public var reason: EvaluationError
}

/// What importing a file of evaluations did, line by line up to a limit.
public struct EvaluationFileImport: Sendable {
    /// Evaluations recorded and duplicates skipped on one line of the file.
    public struct Line: Sendable {
        public var line: Int
        public var recorded: Int
        public var duplicates: Int
    }

    public var summary: EvaluationImportSummary
    /// The first lines, up to the limit asked for.
    public var lines: [Line] = []
    /// Lines with evaluations beyond the limit.
    public var moreLines = 0
}

/// Recording, correcting and withdrawing evidence. Every use case here changes masteries,
/// and each goes through ``MasteryStore``, which checks the badge rules in the same
/// transaction: a level never changes without its badges following.
public struct Evaluations: Sendable {
    let app: App

    /// Records one observation (a teacher through the API or the command line, a student's
    /// self-evaluation) and returns the level it counts towards.
    ///
    /// A teacher records for the students they follow; a student only self-evaluates, in a
    /// referential their class follows; a family or an inspector records nothing.
    public func record(_ entry: EvaluationEntry, by person: ActingPerson) async throws -> RecordedEvaluation {
        try await record(entry, by: person) { tx in try tx.schools.student(entry.student, year: nil) }
    }

    /// ``record(_:by:)`` for the student of id `studentID`, as the API names students: the
    /// student is read in the same transaction, and the entry's `student` is not looked up.
    /// An id no student has is refused as a student not followed is, so ids cannot be probed.
    public func record(_ entry: EvaluationEntry, studentID: Int64, by person: ActingPerson) async throws -> RecordedEvaluation {
        try await record(entry, by: person) { tx in
            do {
                return try tx.schools.student(studentID: studentID, year: nil)
            } catch SchoolStoreError.unknownStudent {
                throw AccessRefusal.student
            }
        }
    }

    private func record(_ entry: EvaluationEntry, by person: ActingPerson,
                        student find: @Sendable @escaping (any StorageTransaction) throws -> StoredStudent) async throws -> RecordedEvaluation {
        let access = app.access(person), today = app.today
        // One student's evaluation: clicks of different teachers run side by side.
        return try await app.write(.students) { tx in
            let student = try find(tx)
            if entry.context == .autoEvaluation {
                try access.require(.student, .teacher, .admin)
                try access.requireStudent(student, in: tx)
                try access.requireOwnWriting(studentID: student.id, referential: entry.referentialCode, in: tx)
            } else {
                try access.require(.teacher, .admin)
                try access.requireStudent(student, in: tx)
            }
            return try tx.evaluations.record(entry, studentID: student.id, recordedBy: person.signature, at: Date(), today: today)
        }
    }

    /// Records the filled cells of a class grid in one transaction, all observed on the same
    /// day in the same context: one cell refused and nothing is recorded (``GridCellRefused``).
    /// Only students still in the class on the day may be evaluated from its grid.
    @discardableResult
    public func recordGrid(division code: String, referential: String, version: String?, cells: [GridCell],
                           observedOn day: CalendarDate, context: EvaluationContext, evaluator: String?, comment: String?,
                           by person: ActingPerson) async throws -> Int {
        let access = app.access(person), today = app.today
        // A class's students: grids and clicks for other students run side by side.
        return try await app.write(.students) { tx in
            try access.require(.teacher, .admin)
            let division = try access.requireDivision(code, uai: nil, in: tx)
            let students = try tx.schools.students(in: division, asOf: today)
            let byID = Dictionary(uniqueKeysWithValues: students.map { ($0.id, $0) })
            try tx.evaluations.lockStudents(cells.map(\.studentID))
            for cell in cells {
                guard let student = byID[cell.studentID] else { throw AccessRefusal.student }
                let entry = EvaluationEntry(student: student.reference, referentialCode: referential,
                                            referentialVersion: version, competencyCode: cell.competency, code: cell.level,
                                            observedOn: day, context: context, evaluator: evaluator, comment: comment)
                do {
                    try tx.evaluations.record(entry, studentID: student.id, recordedBy: person.signature, at: Date(), today: today)
                } catch let error as EvaluationError {
                    throw GridCellRefused(cell: cell, studentName: student.fullName,
                                          reason: error)
                }
            }
            return cells.count
        }
    }

    /// Imports a CSV file of evaluations (one per line, or a filled class grid) in one
    /// transaction: every line is checked, and at the first problem nothing is stored; the
    /// thrown ``InvalidInput`` lists every problem with its line and column.
    ///
    /// - Parameter detailLimit: how many lines the result describes one by one.
    public func importFile(path: String, defaults: EvaluationDefaults, recordedBy: String?, detailLimit: Int,
                           by person: ActingPerson) async throws -> EvaluationFileImport {
        try app.access(person).require(.admin)
        let today = app.today
        return try await app.write { tx in
            let importer = try tx.evaluationBatch(recordedBy: recordedBy, at: Date(), today: today)
            var result = EvaluationFileImport(summary: importer.summary)
            try EvaluationCSV(defaults: defaults).forEachRow(path: path) { row, problems in
                let before = importer.summary
                do {
                    try importer.add(row.entry)
                } catch let found as EvaluationImportProblems {
                    for problem in found.all {
                        problems.add(line: row.line, field: Self.column(problem.field, row), problem.message)
                    }
                    return
                }
                result.count(line: row.line, recorded: importer.summary.recorded - before.recorded,
                             duplicates: importer.summary.duplicates - before.duplicates, limit: detailLimit)
            }
            result.summary = try importer.finish()
            return result
        }
    }

    /// Corrects an evaluation; the version before stays in its history. Returns false when it
    /// already had these values.
    @discardableResult
    public func correct(_ id: Int64, with correction: EvaluationCorrection, reason: String?,
                        by person: ActingPerson) async throws -> Bool {
        let access = app.access(person), today = app.today
        return try await app.write { tx in
            try access.require(.teacher, .admin)
            try access.requireStudent(try Self.studentID(ofEvaluation: id, tx), in: tx)
            return try tx.evaluations.correct(id, with: correction, by: person.signature ?? "", reason: reason, at: Date(),
                                              today: today)
        }
    }

    /// Withdraws an evaluation from every computation; it stays in the history.
    public func withdraw(_ id: Int64, reason: String, by person: ActingPerson) async throws {
        let access = app.access(person)
        try await app.write { tx in
            try access.require(.teacher, .admin)
            try access.requireStudent(try Self.studentID(ofEvaluation: id, tx), in: tx)
            try tx.evaluations.withdraw(id, by: person.signature ?? "", reason: reason, at: Date())
        }
    }

    /// The corrections and withdrawal of an evaluation, oldest first.
    public func history(of id: Int64, by person: ActingPerson) async throws -> [EvaluationChange] {
        let access = app.access(person)
        return try await app.read { tx in
            try access.require(.teacher, .admin)
            try access.requireStudent(try Self.studentID(ofEvaluation: id, tx), in: tx)
            return try tx.evaluations.history(of: id)
        }
    }

    /// Rebuilds every level from the evidence, then checks every badge rule.
    public func recomputeAll(by person: ActingPerson) async throws -> MasteryRecomputation {
        try app.access(person).require(.admin)
        return try await app.write { tx in try tx.masteries.recomputeAll(now: Date()) }
    }

    private static func studentID(ofEvaluation id: Int64, _ tx: any StorageTransaction) throws -> Int64 {
        guard let studentID = try tx.evaluations.studentID(ofEvaluation: id) else {
            throw EvaluationError.unknownEvaluation(id)
        }
        return studentID
    }

    /// The column of the file a problem is about, as the user reads it.
    private static func column(_ field: EvaluationImportProblem.Field, _ row: EvaluationCSV.Row) -> String {
        switch field {
        case .student: if case .localID = row.entry.student { "Identifiant" } else { "INE" }
        case .referential: "Référentiel"
        case .competency: row.field == "Niveau" ? "Compétence" : row.field
        case .level: row.field
        case .date: "Date"
        }
    }
}

extension EvaluationFileImport {
    mutating func count(line: Int, recorded: Int, duplicates: Int, limit: Int) {
        if let last = lines.last, last.line == line {
            lines[lines.count - 1].recorded += recorded
            lines[lines.count - 1].duplicates += duplicates
        } else if lines.count < limit {
            lines.append(Line(line: line, recorded: recorded, duplicates: duplicates))
        } else {
            moreLines += 1
        }
    }
}
