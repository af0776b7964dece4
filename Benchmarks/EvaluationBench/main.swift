// Times the recording of single evaluations in a populated database, each in its own
// transaction with the mastery update, as a teacher's click does.
//
//     evaluation-bench DATABASE REFERENTIAL COUNT
import AcquisCore
import AcquisStore
import Foundation
import GRDB

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: evaluation-bench DATABASE REFERENTIAL COUNT\n".utf8))
    exit(2)
}
let database = try AcquisDatabase(path: arguments[1])
let (students, competencies) = try database.writer.read { db in
    (try String.fetchAll(db, sql: "SELECT ine FROM student WHERE ine IS NOT NULL"),
     try ReferentialStore().target(code: arguments[2], in: db).referential.evaluableNodes.map(\.code))
}
var generator = SystemRandomNumberGenerator()
let codes = ["PE", "EC", "A", "M"]
var durations: [Duration] = []
let clock = ContinuousClock()
for index in 0..<count {
    let entry = EvaluationEntry(
        student: .ine(students.randomElement(using: &generator)!), referentialCode: arguments[2],
        competencyCode: competencies.randomElement(using: &generator)!, code: codes[index % codes.count],
        observedOn: CalendarDate(year: 2027, month: 1, day: 1 + index % 28)!, evaluator: "bench")
    let elapsed = try clock.measure {
        try database.writer.write { db in _ = try EvaluationStore().record(entry, recordedBy: "bench", in: db) }
    }
    durations.append(elapsed)
}
durations.sort()
func milliseconds(_ duration: Duration) -> String {
    String(format: "%.3f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
}
print("record one evaluation + mastery update, \(count) runs: median \(milliseconds(durations[count / 2])), "
      + "p95 \(milliseconds(durations[count * 95 / 100])), max \(milliseconds(durations[count - 1]))")
