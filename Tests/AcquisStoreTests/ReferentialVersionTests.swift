import AcquisBadges
import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

/// A new version of a referential continues the one before: nobody's progress starts again.
@Suite("Continuity across referential versions")
struct ReferentialVersionTests {
    typealias F = SchoolFixture

    /// CAP-EPC 2025: the 2019 tree with its competencies edited by `edit` (code → replacement
    /// competency elements; an empty replacement removes the competency).
    static func cap2025(_ edits: [String: String] = [:]) throws -> Referential {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path
        var text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "version=\"2019\"", with: "version=\"2025\"")
        for (code, replacement) in edits {
            let pattern = "<competency code=\"\(code)\">(?:(?!</competency>)[\\s\\S])*</competency>"
            let range = try #require(text.range(of: pattern, options: .regularExpression), "no competency \(code)")
            text.replaceSubrange(range, with: replacement)
        }
        return try AcquisReferentialReader.read(path: Fixtures.file(text, named: "cap-2025.xml"))
    }

    static func competency(_ code: String, _ title: String = "Compétence de la version 2025") -> String {
        "<competency code=\"\(code)\"><title>\(title)</title></competency>"
    }

    static func correspondence(_ changes: [Correspondence.Change]) -> Correspondence {
        Correspondence(referentialCode: "CAP-EPC", fromVersion: "2019", toVersion: "2025", changes: changes)
    }

    func publish(_ referential: Referential, _ correspondence: Correspondence? = nil, in school: F) throws {
        try school.database.write { db in
            try ReferentialStore().save(referential, format: "acquis", correspondence: correspondence, in: db)
        }
    }

    func mastery(_ competency: String, version: String, of student: StudentReference = F.lea, in school: F) throws -> StoredMastery? {
        try school.database.read { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", version: version, in: db)
            let id = try SchoolStore().student(student, in: db).id
            return try MasteryStore().masteries(studentID: id, referentialID: target.id, in: db)[competency]
        }
    }

    @Test("a competency that keeps its code keeps its level and its evidence in the new version", arguments: Engine.all)
    func sameCode(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("A", on: F.day(10, 9)), F.entry("A", on: F.day(1, 10)))
        try publish(try Self.cap2025(), in: school)
        let continued = try #require(try mastery("B1.1", version: "2025", in: school))
        #expect(continued.levelCode == "A")
        #expect(continued.observationCount == 2)
        #expect(continued.explanation == "Acquis : meilleur niveau des 2 observations, atteint le 01/10/2026 en classe")
    }

    @Test("a renamed competency counts its earlier evidence; the progress file has one section and says which version each observation was made under", arguments: Engine.all)
    func renamed(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("EC", on: F.day(28, 9), competency: "B1.2"))
        try publish(try Self.cap2025(["B1.2": Self.competency("B1.6", "Réceptionner")]),
                    Self.correspondence([.renamed(from: "B1.2", to: "B1.6")]), in: school)
        #expect(try mastery("B1.6", version: "2025", in: school)?.levelCode == "EC")
        func progressFile() throws -> ProgressFile {
            try school.database.read { db in
                var builder = ExportBuilder(today: F.day(2, 12))
                let period = try #require(Period.named("ANNEE", in: SchoolYear(startYear: 2026)))
                return try builder.progressFile(studentID: SchoolStore().student(F.lea, in: db).id, period: period, in: db)
            }
        }
        #expect(try progressFile().sections.map(\.version) == ["2019"], "one section, in the version the class works with")
        try school.database.write { db in
            let division = try SchoolStore().division(code: "2CAP", schoolID: SchoolStore().schoolID(uai: "0579999Z", in: db),
                                                      year: F.year, in: db)
            try ReferentialStore().chooseVersion(code: "CAP-EPC", version: "2025", divisionID: division.id, in: db)
        }
        let file = try progressFile()
        #expect(file.sections.map(\.version) == ["2025"], "one section, in the version the class moved to")
        let row = try #require(file.sections[0].rows.first { $0.code == "B1.6" })
        guard case let .competency(competency) = row.content else { Issue.record("B1.6 is a competency"); return }
        #expect(competency.level?.code == "EC")
        #expect(competency.teacherViews.map(\.earlierVersion) == ["2019"])
    }

    @Test("a version that drops an evaluated competency without a correspondence is refused, and nothing is stored", arguments: Engine.all)
    func evidenceWouldBeLost(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("EC", on: F.day(28, 9), competency: "B1.2"))
        let before = try school.count("referential")
        #expect(throws: VersionContinuityError.evidenceWouldBeLost(code: "CAP-EPC", from: "2019", to: "2025", competencies: ["B1.2"])) {
            try publish(try Self.cap2025(["B1.2": Self.competency("B1.6")]), in: school)
        }
        #expect(try school.count("referential") == before)
        // A competency nobody was evaluated on may go without a word.
        try publish(try Self.cap2025(["B1.3": ""]), in: school)
        #expect(try school.count("referential") == before + 1)
    }

    @Test("split: the earlier evidence counts for each part; merged: each earlier competency counts for the whole; removed: it stays in the earlier version", arguments: Engine.all)
    func splitMergedRemoved(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("A", on: F.day(10, 9), competency: "B2.1"), F.entry("A", on: F.day(11, 9), competency: "B2.1"),
                          F.entry("PE", on: F.day(12, 9), competency: "B3.1"), F.entry("M", on: F.day(13, 9), competency: "B3.2"),
                          F.entry("EC", on: F.day(14, 9), competency: "B3.5"))
        let version = try Self.cap2025([
            "B2.1": Self.competency("B2.1") + Self.competency("B2.6"),
            "B3.1": Self.competency("B3.6"), "B3.2": "", "B3.5": "",
        ])
        try publish(version, Self.correspondence([
            .split(from: "B2.1", into: ["B2.1", "B2.6"]), .merged(from: ["B3.1", "B3.2"], into: "B3.6"), .removed("B3.5"),
        ]), in: school)
        #expect(try mastery("B2.1", version: "2025", in: school)?.levelCode == "A")
        #expect(try mastery("B2.6", version: "2025", in: school)?.levelCode == "A")
        let merged = try #require(try mastery("B3.6", version: "2025", in: school))
        #expect(merged.observationCount == 2)
        #expect(merged.levelCode == "M")
        #expect(try mastery("B3.5", version: "2019", in: school)?.levelCode == "EC")
    }

    @Test("a correspondence that does not fit the two versions is refused, each problem naming its code", arguments: Engine.all)
    func correspondenceProblems(engine: Engine) throws {
        let school = try F(engine)
        let version = try Self.cap2025(["B1.2": Self.competency("B1.6")])
        let refused = try #require(throws: VersionContinuityError.self) {
            try publish(version, Self.correspondence([.renamed(from: "B9.9", to: "B1.6"), .renamed(from: "B1.2", to: "B1")]), in: school)
        }
        guard case let .correspondence(problems) = refused else { Issue.record("expected correspondence problems"); return }
        #expect(problems.map(\.nodeCode) == ["B9.9", "B1"])
        #expect(problems[0].message == "aucune compétence B9.9 dans la version précédente (CAP-EPC 2019)")
        #expect(problems[1].message.hasPrefix("B1 regroupe des compétences dans la nouvelle version (2025)"))
        let wrongVersion = Correspondence(referentialCode: "CAP-EPC", fromVersion: "2017", toVersion: "2025", changes: [])
        #expect(throws: VersionContinuityError.self) { try publish(version, wrongVersion, in: school) }
    }

    @Test("a class stays on its version until the school moves it; evaluations without a version follow the class", arguments: Engine.all)
    func classVersion(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("EC", on: F.day(10, 9)))
        try publish(try Self.cap2025(), in: school)
        func versionOfClass() throws -> String {
            try school.database.read { db in
                let division = try SchoolStore().division(code: "2CAP", schoolID: SchoolStore().schoolID(uai: "0579999Z", in: db),
                                                          year: F.year, in: db)
                let id = try ReferentialStore().versionID(code: "CAP-EPC", divisionID: division.id, in: db)
                return try db.value(String.self, sql: "SELECT version FROM referential WHERE id = ?", arguments: [id]) ?? ""
            }
        }
        #expect(try versionOfClass() == "2019")
        // Recorded under 2019 while the class is there, the evidence reaches 2025 too.
        try school.record(F.entry("A", on: F.day(1, 10)))
        #expect(try mastery("B1.1", version: "2025", in: school)?.observationCount == 2)

        try school.database.write { db in
            let division = try SchoolStore().division(code: "2CAP", schoolID: SchoolStore().schoolID(uai: "0579999Z", in: db),
                                                      year: F.year, in: db)
            try ReferentialStore().chooseVersion(code: "CAP-EPC", version: "2025", divisionID: division.id, in: db)
        }
        #expect(try versionOfClass() == "2025")
        try school.record(F.entry("A", on: F.day(8, 10)))
        #expect(try mastery("B1.1", version: "2025", in: school)?.observationCount == 3)
        #expect(try mastery("B1.1", version: "2019", in: school)?.observationCount == 2, "the new evaluation went to 2025")
    }

    @Test("the referentials in use: the one with the most competencies observed first, each in the newest version holding evidence of its own",
          arguments: Engine.all)
    func inUse(engine: Engine) throws {
        let school = try F(engine)
        func inUse(_ students: [StudentReference] = [F.lea, F.yanis]) throws -> [String] {
            try school.database.read { db in
                let ids = try students.map { try SchoolStore().student($0, in: db).id }
                return try ReferentialStore().referentialsInUse(studentIDs: ids, in: db).map { code, id in
                    "\(code) " + (try db.value(String.self, sql: "SELECT version FROM referential WHERE id = ?", arguments: [id]) ?? "?")
                }
            }
        }
        func mcv(_ competency: String, student: StudentReference = F.yanis) -> EvaluationEntry {
            EvaluationEntry(student: student, referentialCode: "BACPRO-MCV", competencyCode: competency, code: "3",
                            observedOn: F.day(2, 10), context: .classe, evaluator: "mdupont", isOverride: false)
        }
        #expect(try inUse() == [])
        try school.record(F.entry("A", on: F.day(10, 9)), mcv("C1.1"))
        #expect(try inUse() == ["BACPRO-MCV 2019", "CAP-EPC 2019"], "as many observed: by code")
        try school.record(mcv("C1.2"))
        #expect(try inUse() == ["BACPRO-MCV 2019", "CAP-EPC 2019"])
        #expect(try inUse([F.lea]) == ["CAP-EPC 2019"], "only the students asked about count")

        try publish(try Self.cap2025(), in: school)
        #expect(try inUse() == ["BACPRO-MCV 2019", "CAP-EPC 2019"], "levels computed in 2025 from 2019's evidence do not make 2025 in use")

        var entries = ["B1.2", "B1.3"].map { F.entry("A", on: F.day(3, 10), competency: $0) }
        for index in entries.indices { entries[index].referentialVersion = "2025" }
        try school.database.write { db in for entry in entries { _ = try EvaluationStore().record(entry, recordedBy: "mdupont", in: db) } }
        #expect(try inUse() == ["CAP-EPC 2025", "BACPRO-MCV 2019"], "three competencies observed in 2025 (one through 2019) before two")
        #expect(try inUse([F.yanis]) == ["BACPRO-MCV 2019"])

        try school.record(mcv("C1.1", student: F.lea), mcv("C1.2", student: F.lea))
        #expect(try inUse() == ["BACPRO-MCV 2019", "CAP-EPC 2025"], "four levels (two competencies, two students) before three")
    }

    @Test("recomputing every level keeps what counts across versions", arguments: Engine.all)
    func recomputeAll(engine: Engine) throws {
        let school = try F(engine)
        try school.record(F.entry("A", on: F.day(10, 9), competency: "B1.2"))
        try publish(try Self.cap2025(["B1.2": Self.competency("B1.6")]), Self.correspondence([.renamed(from: "B1.2", to: "B1.6")]), in: school)
        let before = try mastery("B1.6", version: "2025", in: school)
        try school.database.write { db in _ = try MasteryStore().recomputeAll(in: db) }
        #expect(try mastery("B1.6", version: "2025", in: school) == before)
        #expect(before?.levelCode == "A")
    }

    @Test("a badge of the new version is earned from evidence observed under the earlier one, dated the day it was met", arguments: Engine.all)
    func badgesAcrossVersions(engine: Engine) throws {
        let school = try F(engine)
        try school.database.write { db in
            let id = try SchoolStore().schoolID(uai: "0579999Z", in: db)
            let issuer = Issuer(uai: "0579999Z", name: "Lycée des Tilleuls", url: "https://lycee.example",
                                email: "ce@lycee.example", publicBaseURL: "https://acquis.lycee.example/")
            let key = IssuerKey(id: "cle-test", algorithm: .rs256, publicKeyPEM: "PEM", createdAt: Date())
            try BadgeStore().createIssuer(issuer, schoolID: id, firstKey: key, in: db)
        }
        try school.record(F.entry("A", on: F.day(10, 9)), F.entry("A", on: F.day(1, 10)))
        try publish(try Self.cap2025(), in: school)
        let awards = try school.database.read { db in
            try BadgeStore().awards(studentID: SchoolStore().student(F.lea, in: db).id, in: db)
        }
        let continued = try #require(awards.first { $0.badge.badgeClass.code == "CAP-EPC-2025-B1.1" })
        #expect(continued.awardedOn == F.day(10, 9))
    }
}
