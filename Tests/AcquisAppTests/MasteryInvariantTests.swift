import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisCSV
import AcquisGrading
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Dispatch
import Foundation
import Testing

/// The invariant of the application core: a level never changes without its badges
/// following, whatever path changed it. One test per use case that can change a mastery
/// (or make new rules apply): each shows a rule awarding, or flagging for review, in the
/// same call.
@Suite("Every path that changes a level checks the badge rules")
struct MasteryInvariantTests {
    typealias F = AppFixture

    @Test("recording one observation (API, command line, self-evaluation path)", arguments: Engine.all)
    func record(engine: Engine) async throws {
        let school = try await F(engine)
        let recorded = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        #expect(recorded.mastery.isAcquired == true)
        #expect(try await school.b11Badge()?.awardedOn == CalendarDate(year: 2026, month: 10, day: 8))
    }

    @Test("a level computed beside another record of the same student sees it once committed", arguments: Engine.all)
    func sideBySide(engine: Engine) async throws {
        let school = try await F(engine)
        let lea = try await school.studentID()
        for day in [25, 26] { _ = try await school.app.evaluations.record(F.entry("EC", on: day), by: F.console) }
        let storage = school.database.storage
        let (firstRecorded, secondRecorded) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        // Best of the last three: day 27's A decides the level after day 28's EC. The first
        // transaction keeps day 27 uncommitted until the second has recorded day 28 — or for
        // half a second, when the second rightly waits for it to end. The second starts once
        // day 27 is recorded; both on threads of their own, which may block.
        let second = try await withTaskExecutorPreference(OwnThreads()) {
            async let first = storage.write(.students) { tx in
                let recorded = try tx.evaluations.record(F.entry("A", on: 27), studentID: lea, recordedBy: nil, at: Date(), today: F.today)
                firstRecorded.signal()
                _ = secondRecorded.wait(timeout: .now() + 0.5)
                return recorded
            }
            _ = firstRecorded.wait(timeout: .now() + 60)
            let second = try await storage.write(.students) { tx in
                defer { secondRecorded.signal() }
                return try tx.evaluations.record(F.entry("EC", on: 28), studentID: lea, recordedBy: nil, at: Date(), today: F.today)
            }
            _ = try await first
            return second
        }
        #expect(second.mastery.levelCode == "A", "day 28's level counts day 27's A")
        let levels = "SELECT nodeId, rank, levelCode, score, isAcquired, explanation, observationCount, lastObservedOn FROM mastery WHERE studentId = ? ORDER BY nodeId"
        let stored = try school.database.read { db in try db.rows(sql: levels, arguments: [lea]).map { "\($0)" } }
        let recomputed = try school.database.write { db in
            try MasteryStore().recomputeAll(in: db)
            return try db.rows(sql: levels, arguments: [lea]).map { "\($0)" }
        }
        #expect(stored == recomputed, "the stored level is the one its evidence gives")
    }

    @Test("two grids recording for the same students in opposite orders never wait for each other", arguments: Engine.all)
    func crossedGrids(engine: Engine) async throws {
        let school = try await F(engine)
        let lea = (F.lea, try await school.studentID())
        let yanis = (StudentReference.ine("9000000002B"), try await school.studentID(.ine("9000000002B")))
        let storage = school.database.storage
        // Each records for its first student, pauses while the other records for its own first,
        // then records for its second: each would wait for the other's first student, unless
        // both took both students, in one order, before recording.
        @Sendable func grid(_ students: [(StudentReference, Int64)]) async throws {
            try await storage.write(.students) { tx in
                try tx.evaluations.lockStudents(students.map(\.1))
                for (index, (reference, id)) in students.enumerated() {
                    if index == 1 { Thread.sleep(forTimeInterval: 0.3) }
                    try tx.evaluations.record(F.entry("A", on: 20 + index, student: reference), studentID: id, recordedBy: nil,
                                              at: Date(), today: F.today)
                }
            }
        }
        // On threads of their own, so that both start at once whatever else the run is doing.
        try await withTaskExecutorPreference(OwnThreads()) {
            async let first: Void = grid([lea, yanis])
            async let second: Void = grid([yanis, lea])
            _ = try await (first, second)
        }
        #expect(try school.database.read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM evaluation") } == 4)
    }

    @Test("filling a class grid", arguments: Engine.all)
    func grid(engine: Engine) async throws {
        let school = try await F(engine)
        try await school.app.evaluations.recordGrid(
            division: "2CAP", referential: "CAP-EPC", version: nil,
            cells: [GridCell(studentID: try await school.studentID(), competency: "B1.1", level: "A")],
            observedOn: CalendarDate(year: 2026, month: 10, day: 8)!, context: .classe, evaluator: "prof", comment: nil,
            by: school.person("prof"))
        #expect(try await school.b11Badge() != nil)
    }

    @Test("importing a file of evaluations", arguments: Engine.all)
    func importFile(engine: Engine) async throws {
        let school = try await F(engine)
        let file = Fixtures.file("INE;Référentiel;Compétence;Niveau;Date;Contexte;Entreprise;Tuteur;Évaluateur;Commentaire\n"
                                 + "9000000001A;CAP-EPC;B1.1;A;08/10/2026;classe;;;M. Martin;\n", named: "evaluations.csv")
        let imported = try await school.app.evaluations.importFile(path: file, defaults: EvaluationDefaults(), recordedBy: "M. Martin",
                                                                   detailLimit: 10, by: F.console)
        #expect(imported.summary.recorded == 1)
        #expect(try await school.b11Badge() != nil)
    }

    @Test("correcting an observation: the badge waits for a teacher's decision", arguments: Engine.all)
    func correct(engine: Engine) async throws {
        let school = try await F(engine)
        let id = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console).id
        try await school.app.evaluations.correct(id, with: EvaluationCorrection(code: "PE"), reason: "erreur", by: F.console)
        #expect(try await school.b11Badge()?.reviewReason != nil)
    }

    @Test("withdrawing an observation: the badge waits for a teacher's decision", arguments: Engine.all)
    func withdraw(engine: Engine) async throws {
        let school = try await F(engine)
        let id = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console).id
        try await school.app.evaluations.withdraw(id, reason: "mauvais élève", by: F.console)
        #expect(try await school.b11Badge()?.reviewReason != nil)
    }

    @Test("changing a referential's method", arguments: Engine.all)
    func method(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("PE", on: 1), by: F.console)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        _ = try await school.app.evaluations.record(F.entry("PE", on: 15), by: F.console)
        #expect(try await school.b11Badge() != nil, "the benevolent default keeps the best of the last three")
        _ = try await school.app.referentials.setMethod(code: "CAP-EPC", version: nil, method: .mostRecent, rollUp: nil, by: F.console)
        #expect(try await school.b11Badge()?.reviewReason != nil, "the latest observation alone says « not yet »")
    }

    @Test("recomputing every level", arguments: Engine.all)
    func recomputeAll(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        try school.database.write { db in
            try db.run(sql: "DELETE FROM badgeAward")
            try db.run(sql: "DELETE FROM mastery")
        }
        let recomputed = try await school.app.evaluations.recomputeAll(by: F.console)
        #expect(recomputed.badges.awarded.count == 1)
        #expect(try await school.b11Badge() != nil)
    }

    @Test("publishing a new version whose competencies continue the evaluated ones", arguments: Engine.all)
    func newVersion(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        let path = Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "version=\"2019\"", with: "version=\"2025\"")
        let version = try AcquisReferentialReader.read(path: Fixtures.file(text, named: "cap-2025.xml"))
        _ = try await school.app.referentials.publish(by: school.person("ien")) { each in try each(version, "acquis") }
        #expect(try await school.b11Badge("CAP-EPC-2025-B1.1")?.awardedOn == CalendarDate(year: 2026, month: 10, day: 8))
    }

    @Test("defining a badge whose rule the evidence already meets", arguments: Engine.all)
    func define(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8, competency: "B1.2"), by: F.console)
        let badge = BadgeClass(code: "RECEPTION", name: "Réception des marchandises", description: "Réceptionner une livraison.",
                               criteria: "B1.2 acquise.", rule: .allAcquired(ReferentialKey(code: "CAP-EPC", version: "2019"), node: "B1.2"))
        let (saved, awarded) = try await school.app.badges.define([badge], by: F.console)
        #expect(saved == 1 && awarded == 1)
    }

    @Test("becoming an issuer after evidence was recorded", arguments: Engine.all)
    func becomingAnIssuer(engine: Engine) async throws {
        let database = try TestDatabase(engine)
        let app = App(storage: database.storage, today: F.today)
        _ = try await app.referentials.publish(by: F.console) { each in
            try each(try AcquisReferentialReader.read(path: Fixtures.shippedReferentials.first { $0.hasSuffix("cap-equipier-polyvalent-commerce.xml") }!), "acquis")
        }
        try database.write { db in
            try SchoolStore().importRoster(StudentRoster(students: [
                Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP"),
            ]), uai: "0579999Z", year: F.year, in: db)
        }
        _ = try await app.evaluations.record(F.entry("A", on: 8), by: F.console)
        let created = try await app.badges.createIssuer(
            name: "Lycée", website: "https://lycee.example", email: "ce@lycee.example", publicBaseURL: "https://acquis.example/",
            firstKey: IssuerKey(id: "cle", algorithm: .rs256, publicKeyPEM: "PEM", createdAt: Date()), keepKey: {}, by: F.console)
        #expect(created.awarded == 1)
    }
}

/// Every read and write is decided for the person acting, in the application core, whatever
/// front end asked.
@Suite("The application core decides who may do what")
struct AccessTests {
    typealias F = AppFixture

    @Test("a teacher records for the students of their classes, not for others'", arguments: Engine.all)
    func teacherRecordsForTheirStudents(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: school.person("prof"))
        await #expect(throws: AccessRefusal.student) {
            _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: school.person("autre"))
        }
        await #expect(throws: AccessRefusal.division) {
            try await school.app.evaluations.recordGrid(division: "2CAP", referential: "CAP-EPC", version: nil, cells: [],
                                                        observedOn: F.today, context: .classe, evaluator: nil, comment: nil,
                                                        by: school.person("autre"))
        }
    }

    @Test("a class opens for its teachers and its school's team, with its students counted; another teacher's class, or one that does not exist, is refused alike",
          arguments: Engine.all)
    func classOpensForItsTeachers(engine: Engine) async throws {
        let school = try await F(engine)
        for reader in ["prof", "direction"] {
            let taught = try await school.app.classes.division("2CAP", by: school.person(reader))
            #expect(taught.division == TaughtDivision(code: "2CAP", kind: taught.ref.kind, students: 2), "\(reader)")
            #expect(taught.ref.code == "2CAP" && taught.uai == "0579999Z")
            let (grid, _) = try await school.app.classes.grid("2CAP", referential: "CAP-EPC", group: nil, by: school.person(reader))
            #expect(grid.rows.map(\.student.student.firstName) == ["Yanis", "Léa"], "\(reader)")
        }
        #expect(try await school.app.classes.division("1MCV", by: school.person("direction")).division.students == 1)
        for (reader, code) in [("autre", "2CAP"), ("prof", "1MCV"), ("prof", "9ZZZ"), ("direction", "9ZZZ"), ("prof", "")] {
            await #expect(throws: AccessRefusal.division, "\(reader) \(code)") {
                _ = try await school.app.classes.division(code, by: school.person(reader))
            }
            await #expect(throws: AccessRefusal.division, "\(reader) \(code)") {
                _ = try await school.app.classes.grid(code, referential: "CAP-EPC", group: nil, by: school.person(reader))
            }
        }
        for reader in ["lea", "famille", "ien"] {
            await #expect(throws: AccessRefusal.self) { _ = try await school.app.classes.division("2CAP", by: school.person(reader)) }
        }
    }

    @Test("a student self-evaluates only, about themselves, in a referential their class follows; a family records nothing", arguments: Engine.all)
    func studentsAndFamilies(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: school.person("prof"))
        _ = try await school.app.evaluations.record(F.entry("EC", on: 9, context: .autoEvaluation), by: school.person("lea"))
        await #expect(throws: AccessRefusal.role) {
            _ = try await school.app.evaluations.record(F.entry("A", on: 9), by: school.person("lea"))
        }
        await #expect(throws: AccessRefusal.student) {
            _ = try await school.app.evaluations.record(F.entry("EC", on: 9, student: .ine("9000000002B"), context: .autoEvaluation),
                                                        by: school.person("lea"))
        }
        var other = F.entry("EC", on: 9, context: .autoEvaluation)
        other.referentialCode = "BACPRO-MCV"
        other.competencyCode = "C1.1"
        await #expect(throws: AccessRefusal.referentialNotFollowed("BACPRO-MCV")) {
            _ = try await school.app.evaluations.record(other, by: school.person("lea"))
        }
        await #expect(throws: AccessRefusal.role) {
            _ = try await school.app.evaluations.record(F.entry("A", on: 9, context: .autoEvaluation), by: school.person("famille"))
        }
    }

    @Test("an inspector publishes referentials; a teacher does not; the school's team moves classes", arguments: Engine.all)
    func publishingAndVersions(engine: Engine) async throws {
        let school = try await F(engine)
        await #expect(throws: AccessRefusal.role) {
            _ = try await school.app.referentials.publish(by: school.person("prof")) { _ in }
        }
        _ = try await school.app.referentials.publish(by: school.person("ien")) { _ in }
        await #expect(throws: AccessRefusal.role) {
            try await school.app.referentials.adopt(code: "CAP-EPC", version: "2019", divisions: ["2CAP"], by: school.person("prof"))
        }
        try await school.app.referentials.adopt(code: "CAP-EPC", version: "2019", divisions: ["2CAP"], by: school.person("direction"))
    }

    @Test("an award of another class's student is answered as if it did not exist", arguments: Engine.all)
    func awardsOfOthers(engine: Engine) async throws {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        let award = try #require(try await school.b11Badge())
        _ = try await school.app.badges.award(uuid: award.uuid, by: school.person("prof"))
        await #expect(throws: BadgeStoreError.unknownAward(award.uuid)) {
            _ = try await school.app.badges.award(uuid: award.uuid, by: school.person("autre"))
        }
        await #expect(throws: BadgeStoreError.unknownAward(award.uuid)) {
            _ = try await school.app.badges.revoke(uuid: award.uuid, reason: "essai", by: school.person("autre"))
        }
    }
}
