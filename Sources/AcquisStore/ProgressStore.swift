import AcquisStorage
import AcquisCore
import AcquisGrading
import GRDB

/// Levels at past dates and what changed in a period, computed from the evaluations as they
/// stand (corrections included).
public struct ProgressStore: Sendable {
    public init() {}

    /// The level of every evaluated competency of `target` for a student, counting only the
    /// observations made on or before `date`.
    public func masteries(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate,
                          in db: any SQLConnection) throws -> [String: Mastery] {
        let calculator = target.calculator
        return try observationsByCompetency(studentID: studentID, target: target, asOf: date, db)
            .mapValues { calculator.mastery(of: $0) }
    }

    /// How many competencies of `target` were acquired on each of `dates`, reading the evidence once.
    public func acquiredCounts(studentID: Int64, target: ReferentialTarget, on dates: [CalendarDate],
                               in db: any SQLConnection) throws -> [Int] {
        let calculator = target.calculator
        let observations = try observationsByCompetency(studentID: studentID, target: target, asOf: dates.max(), db)
        return dates.map { date in
            observations.values.filter { calculator.mastery(of: $0.filter { $0.date <= date }).isAcquired }.count
        }
    }

    /// The observations in force (not withdrawn), made on or before `date` when given;
    /// those made under earlier versions included.
    func observationsByCompetency(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate?,
                                  _ db: any SQLConnection) throws -> [String: [Observation]] {
        try evidenceByCompetency(studentID: studentID, target: target, asOf: date, db).mapValues { $0.map(\.observation) }
    }

    /// The evaluations in force (not withdrawn), made on or before `date` when given, by the
    /// code of the competency of `target` they count for.
    func evidenceByCompetency(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate?,
                              _ db: any SQLConnection) throws -> [String: [StoredEvaluation]] {
        var evidence: [String: [StoredEvaluation]] = [:]
        for evaluation in try EvaluationStore().evaluations(studentID: studentID, referentialID: target.id, in: db)
        where evaluation.withdrawnAt == nil && date.map({ evaluation.observation.date <= $0 }) ?? true {
            evidence[evaluation.competencyCode, default: []].append(evaluation)
        }
        return evidence
    }

    /// The competencies whose level changed or was confirmed by evidence observed between
    /// `start` and `end` (both included), in the order of the referential.
    public func progress(studentID: Int64, target: ReferentialTarget, from start: CalendarDate, to end: CalendarDate,
                         in db: any SQLConnection) throws -> [CompetencyProgress] {
        let observations = try observationsByCompetency(studentID: studentID, target: target, asOf: end, db)
        let calculator = target.calculator
        return target.referential.evaluableNodes.compactMap { node in
            observations[node.code].flatMap { seen in
                Self.progress(of: node.code, seen: seen, now: calculator.mastery(of: seen), since: start, calculator: calculator)
            }
        }
    }

    /// How the observations `seen` (up to the day of interest), whose mastery is `now`, moved a
    /// competency since `start`; nil without new evidence or without a level.
    static func progress(of code: String, seen: [Observation], now: Mastery, since start: CalendarDate,
                         calculator: MasteryCalculator) -> CompetencyProgress? {
        guard seen.contains(where: { $0.date >= start }) else { return nil }
        guard let rank = now.rank else { return nil }
        let earlier = seen.filter { $0.date < start }
        let previous = earlier.isEmpty ? nil : calculator.mastery(of: earlier)
        let change: CompetencyProgress.Change
        switch (previous?.rank, rank) {
        case (nil, _): change = .firstLevel
        case let (old?, new) where new > old: change = .progressed
        case let (old?, new) where new < old: change = .regressed
        default: change = .confirmed
        }
        return CompetencyProgress(code: code, change: change, before: previous, after: now)
    }

    /// Students of a class with no observation since `since`, the longest silent first.
    public func quietStudents(_ students: [StoredStudent], since: CalendarDate, in db: any SQLConnection) throws -> [QuietStudent] {
        let latest = try db.rows(sql: """
            SELECT studentId, MAX(observedOn) FROM evaluation
            WHERE studentId IN (SELECT value FROM json_each(?)) AND withdrawnAt IS NULL AND context <> 'auto'
            GROUP BY studentId
            """, arguments: [String(describing: students.map(\.id))])
        var lastObserved: [Int64: CalendarDate] = [:]
        for row in latest { lastObserved[row[0]] = CalendarDate(iso: row[1]) }
        let quiet = students.compactMap { student -> QuietStudent? in
            let last = lastObserved[student.id]
            return last.map({ $0 < since }) ?? true ? QuietStudent(student: student, lastObservedOn: last) : nil
        }
        return quiet.sorted { ($0.lastObservedOn?.dayNumber ?? Int.min) < ($1.lastObservedOn?.dayNumber ?? Int.min) }
    }
}
