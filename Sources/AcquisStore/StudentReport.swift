import AcquisStorage
import AcquisCore
import AcquisGrading
import GRDB

extension ProgressStore {
    /// The report of a student on a referential version, at `date` (today's evidence when nil).
    public func report(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate? = nil,
                       in db: any SQLConnection) throws -> StudentReport {
        let student = try SchoolStore().student(studentID: studentID, in: db)
        let observations = try observationsByCompetency(studentID: studentID, target: target, asOf: date, db)
        let calculator = target.calculator
        let masteries = observations.mapValues { calculator.mastery(of: $0) }
        let rollUp = RollUp(rule: target.rollUpRule, policy: target.policy)
        let lines = target.referential.entries.map { entry -> StudentReport.Line in
            let node = entry.node
            let seen = observations[node.code] ?? []
            var latestByEvaluator: [String: Observation] = [:]
            for observation in seen where observation.context != .autoEvaluation {
                latestByEvaluator[observation.evaluator ?? "non précisé"] = observation
            }
            return StudentReport.Line(
                node: node, depth: entry.depth,
                mastery: node.isEvaluable ? masteries[node.code] : nil,
                summary: node.isEvaluable ? nil : rollUp.summary(of: node, masteries: masteries),
                byEvaluator: latestByEvaluator.values.sorted { $0.date > $1.date },
                selfEvaluation: seen.last { $0.context == .autoEvaluation })
        }
        return StudentReport(student: student, target: target, asOf: date, lines: lines)
    }
}
