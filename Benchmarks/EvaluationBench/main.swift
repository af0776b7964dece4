// Times the recording of single evaluations in a populated database, each in its own
// transaction with the mastery update and the badge rules, as a teacher's click does: through
// the application core's use case, the path the web app and the command line take.
//
//     evaluation-bench DATABASE REFERENTIAL COUNT
//
// DATABASE is what `--db` takes: an SQLite file or a postgres:// address.
import AcquisApp
import AcquisCore
import AcquisEngines
import AcquisStorage
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: evaluation-bench DATABASE REFERENTIAL COUNT\n".utf8))
    exit(2)
}
let database = try StorageLocation(arguments[1]).open()
let app = App(storage: database)
// The set-up reads the students directly; only the timed clicks go through the app.
let ines = try await database.read { tx in
    try tx.schools.studentIDs().keys.compactMap { reference -> String? in
        if case let .ine(ine) = reference { return ine }
        return nil
    }
}
let competencies = try await app.referentials.referential(code: arguments[2]).evaluableNodes.map(\.code)
var generator = SystemRandomNumberGenerator()
let codes = ["PE", "EC", "A", "M"]
var durations: [Duration] = []
let clock = ContinuousClock()
for index in 0..<count {
    // Observed in the last four weeks: an observation is never dated after today.
    let entry = EvaluationEntry(
        student: .ine(ines.randomElement(using: &generator)!), referentialCode: arguments[2],
        competencyCode: competencies.randomElement(using: &generator)!, code: codes[index % codes.count],
        observedOn: CalendarDate.today.adding(days: -(index % 28)), evaluator: "bench")
    let start = clock.now
    _ = try await app.evaluations.record(entry, by: .console(name: "bench"))
    durations.append(clock.now - start)
}
durations.sort()
func milliseconds(_ duration: Duration) -> String {
    String(format: "%.3f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
}
print("record one evaluation + mastery update + badge rules, \(count) runs: median \(milliseconds(durations[count / 2])), "
      + "p95 \(milliseconds(durations[count * 95 / 100])), max \(milliseconds(durations[count - 1]))")
