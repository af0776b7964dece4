import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisVigilance

extension App {
    /// What the académie sees across its schools.
    public var academy: Academy { Academy(app: self) }
}

/// The académie's overview: counts across every school of the database, for inspectors and
/// the académie's team (DANE, a programme's team), never a name or an INE. Nothing here is
/// logged as a view of a student's records, since no student's record is shown.
public struct Academy: Sendable {
    let app: App

    /// Referentials in use, evaluations by month, students with each signal today, follow-ups
    /// and what followed them, badges by diploma and block. Lines about fewer than five
    /// students are kept with their counts for the front ends to withhold
    /// (``AcademyOverview/isShown(students:)``).
    public func overview(by person: ActingPerson) async throws -> AcademyOverview {
        try app.access(person).require(.inspector, .academy)
        let (year, today) = (app.year, app.today)
        return try await app.read { tx in
            let schools = try tx.academy.schoolIDs()
            var students = Set<Int64>(), signalled: [Signal.Kind: Set<Int64>] = [:]
            for school in schools {
                for (student, signals) in try tx.vigilance.signals(schoolID: school, year: year, asOf: today) {
                    students.insert(student)
                    for signal in signals { signalled[signal.kind, default: []].insert(student) }
                }
            }
            let signals = Signal.Kind.allCases.map { SignalShare(signal: $0.title, students: signalled[$0]?.count ?? 0, outOf: students.count) }
            return AcademyOverview(schools: schools.count, students: students.count, referentials: try tx.academy.referentialUse(),
                                   months: try tx.academy.monthlyActivity(), signals: signals,
                                   followUps: try Self.followUpEffects(tx, asOf: today), badges: try tx.academy.badgeTallies())
        }
    }

    /// Each usual action's follow-ups, with what happened to their students since, summed.
    private static func followUpEffects(_ tx: any StorageTransaction, asOf today: CalendarDate) throws -> [FollowUpEffect] {
        var tallies: [String: FollowUpTally] = [:]
        for (studentID, followUps) in Dictionary(grouping: try tx.academy.followUps(asOf: today), by: \.studentID) {
            let outcomes = try tx.followUps.outcomes(studentID: studentID, since: followUps.map(\.decidedOn), asOf: today)
            for (followUp, outcome) in zip(followUps, outcomes) {
                tallies[FollowUpEffect.action(of: followUp.action, usual: FollowUp.usualActions), default: FollowUpTally()]
                    .add(outcome, of: studentID)
            }
        }
        return (FollowUp.usualActions + [FollowUpEffect.other]).compactMap { action in tallies[action]?.effect(action) }
    }
}

/// One action's follow-ups as they are counted.
private struct FollowUpTally {
    var followUps = 0, evaluationsSince = 0, acquiredBefore = 0, acquiredNow = 0
    var students = Set<Int64>(), progressing = Set<Int64>()

    mutating func add(_ outcome: Outcome, of studentID: Int64) {
        followUps += 1
        evaluationsSince += outcome.newEvaluations
        acquiredBefore += outcome.acquiredBefore
        acquiredNow += outcome.acquiredNow
        students.insert(studentID)
        if !outcome.progressed.isEmpty { progressing.insert(studentID) }
    }

    func effect(_ action: String) -> FollowUpEffect {
        FollowUpEffect(action: action, followUps: followUps, students: students.count, studentsProgressing: progressing.count,
                       evaluationsSince: evaluationsSince, acquiredBefore: acquiredBefore, acquiredNow: acquiredNow)
    }
}
