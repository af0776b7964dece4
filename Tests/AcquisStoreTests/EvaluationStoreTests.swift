import AcquisCore
import AcquisGrading
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import Foundation
import Testing

@Suite("Evaluation store")
struct EvaluationStoreTests {
    typealias F = SchoolFixture
    let evaluations = EvaluationStore()

    @Test("recording an evaluation updates the student's mastery, with its explanation", arguments: Engine.all)
    func recordUpdatesMastery(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("PE", on: F.day(10, 9)), F.entry("A", on: F.day(3, 10), context: .pfmp(company: "Boutique Dupont", tutor: "Mme Weber")))
        let mastery = try #require(try school.mastery())
        #expect(mastery.levelCode == "A")
        #expect(mastery.isAcquired)
        #expect(mastery.observationCount == 2)
        #expect(mastery.explanation == "Acquis : meilleur niveau des 2 observations, atteint le 03/10/2026 en PFMP (Boutique Dupont)")
    }

    @Test("recording returns the level as stored: the same values a later read gives", arguments: Engine.all)
    func recordReturnsStoredLevel(engine: Engine) throws {
        let school = try F(engine)
        let entries = [F.entry("PE", on: F.day(10, 9)), F.entry("ec", on: F.day(3, 10), context: .pfmp(company: "Boutique Dupont", tutor: nil)),
                       F.entry("A", on: F.day(4, 10), competency: "B1.2"), F.entry("M", on: F.day(5, 10), student: F.yanis),
                       F.entry("ABS", on: F.day(6, 10))]
        for entry in entries {
            let recorded = try school.database.write { db in try evaluations.record(entry, recordedBy: "mdupont", in: db) }
            let stored = try school.mastery(entry.student, entry.competencyCode)
            #expect(recorded.mastery == stored)
        }
        #expect(try school.mastery()?.observationCount == 3)
    }

    @Test("codes are stored as the scale spells them; unknown levels, blocks and unknown competencies are refused", arguments: Engine.all)
    func refusals(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("ec", on: F.day(10, 9)))
        #expect(try school.mastery()?.levelCode == "EC")
        let unknownLevel = try #require(throws: EvaluationError.self) { try school.record(F.entry("B", on: F.day(10, 9))) }
        #expect(unknownLevel.description == "niveau « B » inconnu de l’échelle acquis-4 ; attendu : PE, EC, A, M, ABS, DI, NE, NR")
        #expect(throws: EvaluationError.notEvaluable(code: "B1")) { try school.record(F.entry("A", on: F.day(10, 9), competency: "B1")) }
        #expect(throws: EvaluationError.self) { try school.record(F.entry("A", on: F.day(10, 9), competency: "Z9")) }
        #expect(throws: EvaluationError.overrideNeedsLevel(code: "ABS")) {
            try school.record(F.entry("ABS", on: F.day(10, 9), override: true))
        }
        #expect(try school.count("evaluation") == 1)
    }

    @Test("a correction keeps who, when, before and after; the mastery follows", arguments: Engine.all)
    func correctionHistory(engine: Engine) throws {
        let school = try F(engine)
        let id = try school.record(F.entry("EC", on: F.day(10, 9)))[0]
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        try school.database.write { db in
            try evaluations.correct(id, with: EvaluationCorrection(code: "A", observedOn: F.day(11, 9)), by: "alefort",
                                    reason: "erreur de saisie", at: when, in: db)
        }
        let history = try school.database.read { try evaluations.history(of: id, in: $0) }
        #expect(history.count == 1)
        #expect(history[0].changedBy == "alefort" && history[0].changedAt == when && history[0].reason == "erreur de saisie")
        #expect(history[0].after.differences(from: history[0].before) == "niveau EC → A, date 10/09/2026 → 11/09/2026")
        #expect(try school.mastery()?.levelCode == "A")
    }

    @Test("a withdrawn evaluation stays stored and in the history, but no longer counts", arguments: Engine.all)
    func withdrawal(engine: Engine) throws {
        let school = try F(engine)
        let ids = try school.record(F.entry("EC", on: F.day(10, 9)), F.entry("M", on: F.day(12, 9)))
        try school.database.write { db in
            try evaluations.withdraw(ids[1], by: "alefort", reason: "mauvais élève", in: db)
        }
        #expect(try school.count("evaluation") == 2)
        #expect(try school.mastery()?.levelCode == "EC")
        #expect(throws: EvaluationError.alreadyWithdrawn(ids[1])) {
            try school.database.write { try evaluations.withdraw(ids[1], by: "alefort", in: $0) }
        }
        let history = try school.database.read { try evaluations.history(of: ids[1], in: $0) }
        #expect(history.map(\.kind) == [.withdrawal])
    }

    @Test("a teacher's decision sets the level and says so; newer evidence takes over again", arguments: Engine.all)
    func override(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("PE", on: F.day(10, 9)), F.entry("A", on: F.day(12, 9), by: "alefort", override: true))
        #expect(try school.mastery()?.explanation.hasPrefix("Acquis : niveau fixé par alefort le 12/09/2026") == true)
        try school.record(F.entry("EC", on: F.day(20, 9)))
        #expect(try school.mastery()?.levelCode == "EC")
    }

    @Test("self-evaluations are stored but never counted", arguments: Engine.all)
    func selfEvaluation(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("EC", on: F.day(10, 9)), F.entry("M", on: F.day(11, 9), context: .autoEvaluation, by: "Léa"))
        let mastery = try #require(try school.mastery())
        #expect(mastery.levelCode == "EC")
        #expect(mastery.explanation.hasSuffix("(non comptées : 1 auto-évaluation)"))
    }

    @Test("several evaluators are consolidated by the method; the report shows who said what", arguments: Engine.all)
    func whoSaidWhat(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("EC", on: F.day(10, 9), by: "mdupont"),
                          F.entry("A", on: F.day(12, 9), context: .pfmp(company: "Boutique", tutor: "Mme Weber"), by: "Mme Weber"),
                          F.entry("M", on: F.day(14, 9), context: .autoEvaluation, by: "Léa"))
        let report = try school.database.read { db in
            try ProgressStore().report(studentID: SchoolStore().student(F.lea, in: db).id,
                                       target: ReferentialStore().target(code: "CAP-EPC", in: db), in: db)
        }
        let line = try #require(report.lines.first { $0.node.code == "B1.1" })
        #expect(line.mastery?.level?.code == "A")
        #expect(line.byEvaluator.map { "\($0.evaluator ?? "") \($0.code)" } == ["Mme Weber A", "mdupont EC"])
        #expect(line.selfEvaluation?.code == "M")
        let block = try #require(report.lines.first { $0.node.code == "B1" })
        #expect(block.summary?.acquiredCount == 1)
    }
}
