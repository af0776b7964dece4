import AcquisBadges
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

@Suite("Badges earned from evidence")
struct BadgeStoreTests {
    @Test("becoming an issuer installs one badge per block and per competency of each diploma", arguments: Engine.all)
    func standardClasses(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let classes = try f.school.database.read { try BadgeStore().classes(schoolID: f.schoolID, in: $0) }
        let block = try #require(classes.first { $0.badgeClass.code == "CAP-EPC-2019-B1" })
        #expect(block.badgeClass.name == "Bloc 1 – Recevoir et suivre les commandes")
        #expect(block.badgeClass.rule == .allAcquired(ReferentialKey(code: "CAP-EPC", version: "2019"), node: "B1"))
        #expect(block.badgeClass.alignments.first?.targetCode == "RNCP34947BC01")
        #expect(block.badgeClass.alignments.first?.targetURL == "https://www.francecompetences.fr/recherche/rncp/34947/")
        #expect(classes.contains { $0.badgeClass.code == "CAP-EPC-2019-B1.1" })
        let socle = try #require(classes.first { $0.badgeClass.code == "SOCLE-2015-2015-CPD_FRA" })
        #expect(socle.badgeClass.rule == .minimumLevel(ReferentialKey(code: "SOCLE-2015", version: "2015"), node: "CPD_FRA", level: "MS"))
    }

    @Test("a referential version imported later brings its own badge classes to every issuer", arguments: Engine.all)
    func laterReferential(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let file = Fixtures.acquisReferential(code: "CAP-EPC", version: "2027", body: """
            <block code="B1"><title>Recevoir et suivre les commandes</title>
              <competency code="B1.1"><title>Réceptionner</title></competency>
            </block>
            """)
        let referential = try AcquisReferentialReader.read(path: Fixtures.file(file))
        let codes = try f.school.database.write { db in
            try ReferentialStore().save(referential, format: "acquis", in: db)
            return try BadgeStore().classes(schoolID: f.schoolID, in: db).map(\.badgeClass.code)
        }
        #expect(codes.contains("CAP-EPC-2027-B1"))
        #expect(codes.contains("CAP-EPC-2027-B1.1"))
        #expect(codes.contains("CAP-EPC-2019-B1"))
    }

    @Test("a competency badge is awarded on the day the competency becomes acquired, and only once", arguments: Engine.all)
    func competencyBadge(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        try f.school.record(SchoolFixture.entry("EC", on: SchoolFixture.day(1, 10)))
        #expect(try f.awards().isEmpty)
        try f.school.record(SchoolFixture.entry("A", on: SchoolFixture.day(8, 10)), SchoolFixture.entry("M", on: SchoolFixture.day(15, 10)))
        let earned = try f.awards()
        #expect(earned.map(\.badge.badgeClass.code) == ["CAP-EPC-2019-B1.1"])
        #expect(earned[0].awardedBy == StoredAward.ruleAwarder)
        #expect(earned[0].awardedOn == SchoolFixture.day(8, 10))
        #expect(earned[0].evidence == ["B1.1 Participer à la passation des commandes fournisseurs : Je sais faire (08/10/2026)"])
        #expect(earned[0].achievedLevel == "A")
        #expect(earned[0].uuid.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                     options: .regularExpression) != nil)
    }

    @Test("a block badge needs every competency of the block", arguments: Engine.all)
    func blockBadge(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        _ = try f.recordBlockB1()
        let codes = Set(try f.awards().map(\.badge.badgeClass.code))
        #expect(codes == ["CAP-EPC-2019-B1", "CAP-EPC-2019-B1.1", "CAP-EPC-2019-B1.2", "CAP-EPC-2019-B1.3", "CAP-EPC-2019-B1.4"])
        #expect(try f.awards(SchoolFixture.yanis).isEmpty)
    }

    @Test("corrected evidence flags an earned badge for review instead of withdrawing it", arguments: Engine.all)
    func correctionFlagsReview(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let ids = try f.recordBlockB1()
        try f.school.database.write { db in
            for id in ids.prefix(2) {
                try EvaluationStore().correct(id, with: EvaluationCorrection(code: "PE"), by: "mdupont", reason: "erreur de saisie", in: db)
            }
        }
        let block = try #require(try f.awards().first { $0.badge.badgeClass.code == "CAP-EPC-2019-B1" })
        #expect(!block.isRevoked)
        #expect(block.reviewReason == "après une évaluation corrigée, B1.1 n’est plus au niveau demandé")
        let toReview = try f.school.database.read { try BadgeStore().awardsToReview(schoolID: f.schoolID, in: $0) }
        #expect(Set(toReview.map(\.badge.badgeClass.code)) == ["CAP-EPC-2019-B1", "CAP-EPC-2019-B1.1"])

        try f.school.record(SchoolFixture.entry("M", on: SchoolFixture.day(5, 11)))
        #expect(try f.awards().allSatisfy { $0.reviewReason == nil })
    }

    @Test("newer, lower evidence flags a badge saying that a more recent observation arrived, not that evidence was changed", arguments: Engine.all)
    func newerEvidenceFlags(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        try f.school.record(SchoolFixture.entry("A", on: SchoolFixture.day(8, 10)))
        try f.school.record(SchoolFixture.entry("EC", on: SchoolFixture.day(15, 10)), SchoolFixture.entry("EC", on: SchoolFixture.day(16, 10)),
                          SchoolFixture.entry("PE", on: SchoolFixture.day(17, 10)))
        let award = try #require(try f.awards().first)
        #expect(award.reviewReason == "après une observation plus récente, B1.1 n’est plus au niveau demandé")
    }

    /// Under the default method (best of the last three), A then three lower levels is not
    /// acquired; under « highest » it is, since 8 October.
    private func acquiredOnlyUnderHighest(_ f: BadgeSchool) throws {
        try f.school.record(SchoolFixture.entry("EC", on: SchoolFixture.day(15, 10)), SchoolFixture.entry("EC", on: SchoolFixture.day(16, 10)),
                          SchoolFixture.entry("EC", on: SchoolFixture.day(17, 10)), SchoolFixture.entry("A", on: SchoolFixture.day(8, 10)))
    }

    @Test("changing a referential's method awards the badges it now earns at once, dated by the evidence that completed the rule", arguments: Engine.all)
    func methodChangeAwards(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        try acquiredOnlyUnderHighest(f)
        #expect(try f.awards().isEmpty)
        let recomputed = try f.school.database.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            try ReferentialStore().setPolicy(method: .highest, rollUp: target.rollUpRule, referentialID: target.id, in: db)
            return try MasteryStore().recompute(referentialID: target.id, in: db)
        }
        let earned = try f.awards()
        #expect(recomputed.badges.awarded.count == 1)
        #expect(earned.map(\.badge.badgeClass.code) == ["CAP-EPC-2019-B1.1"])
        #expect(earned.first?.awardedOn == SchoolFixture.day(8, 10), "the day of the A, not the day of the change")
        // Back to the default: the badge is flagged, saying why.
        try f.school.database.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            try ReferentialStore().setPolicy(method: .default, rollUp: target.rollUpRule, referentialID: target.id, in: db)
            try MasteryStore().recompute(referentialID: target.id, in: db)
        }
        #expect(try f.awards().first?.reviewReason == "après le nouveau mode de calcul du référentiel, B1.1 n’est plus au niveau demandé")
    }

    @Test("recomputing every level checks every badge rule", arguments: Engine.all)
    func recomputationAwards(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        try acquiredOnlyUnderHighest(f)
        try f.school.database.write { db in
            let target = try ReferentialStore().target(code: "CAP-EPC", in: db)
            try ReferentialStore().setPolicy(method: .highest, rollUp: target.rollUpRule, referentialID: target.id, in: db)
        }
        #expect(try f.awards().isEmpty, "a policy stored without recomputation changes nothing yet")
        let recomputed = try f.school.database.write { try MasteryStore().recomputeAll(in: $0) }
        #expect(recomputed.badges.awarded.count == 1)
        #expect(try f.awards().first?.awardedOn == SchoolFixture.day(8, 10))
    }

    @Test("a block badge is dated by the day its last competency became acquired", arguments: Engine.all)
    func blockDate(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        _ = try f.recordBlockB1()
        let block = try #require(try f.awards().first { $0.badge.badgeClass.code == "CAP-EPC-2019-B1" })
        #expect(block.awardedOn == SchoolFixture.day(13, 10))
    }

    @Test("a revoked badge keeps its reason and is not awarded again by the rule", arguments: Engine.all)
    func revocation(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        try f.school.record(SchoolFixture.entry("A", on: SchoolFixture.day(8, 10)), SchoolFixture.entry("A", on: SchoolFixture.day(9, 10)))
        let award = try #require(try f.awards().first)
        try f.school.database.write { db in
            #expect(throws: BadgeStoreError.reasonRequired) {
                try BadgeStore().revoke(uuid: award.uuid, by: "mdupont", reason: "  ", in: db)
            }
            try BadgeStore().revoke(uuid: award.uuid, by: "mdupont", reason: "Évaluation saisie pour un autre élève", in: db)
        }
        try f.school.record(SchoolFixture.entry("M", on: SchoolFixture.day(10, 10)))
        let all = try f.awards()
        #expect(all.count == 1)
        #expect(all[0].revocation?.reason == "Évaluation saisie pour un autre élève")
        let list = try f.school.database.read { try BadgeStore().revocations(schoolID: f.schoolID, in: $0) }
        #expect(list.map(\.uuid) == [award.uuid])
    }

    @Test("a teacher awards a transversal badge by hand, once while it is active", arguments: Engine.all)
    func manualAward(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let pfmp = BadgeClass(code: "PFMP-ENGAGEMENT", name: "Engagement en entreprise", description: "Ponctualité et implication en PFMP.",
                              criteria: "Le tuteur et l’enseignant constatent l’engagement.", rule: .manual, validityMonths: 24)
        try f.school.database.write { db in
            try BadgeStore().save(pfmp, schoolID: f.schoolID, in: db)
            let lea = try SchoolStore().student(SchoolFixture.lea, in: db).id
            let award = try BadgeStore().award(code: "PFMP-ENGAGEMENT", schoolID: f.schoolID, studentID: lea, by: "mdupont",
                                               evidence: ["PFMP de 4 semaines en magasin"], on: SchoolFixture.day(3, 11), in: db)
            #expect(award.awardedBy == "mdupont")
            #expect(award.expiresAt != nil)
            #expect(throws: BadgeStoreError.alreadyAwarded(badge: "PFMP-ENGAGEMENT")) {
                try BadgeStore().award(code: "PFMP-ENGAGEMENT", schoolID: f.schoolID, studentID: lea, by: "mdupont",
                                       evidence: [], on: SchoolFixture.day(4, 11), in: db)
            }
        }
    }

    @Test("a rule naming an unknown node or level is refused", arguments: Engine.all)
    func invalidRules(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let key = ReferentialKey(code: "CAP-EPC", version: "2019")
        try f.school.database.write { db in
            #expect(throws: BadgeStoreError.unknownNode("B9", referential: "CAP-EPC@2019")) {
                try BadgeStore().save(BadgeClass(code: "X", name: "X", description: "X", criteria: "X",
                                                 rule: .allAcquired(key, node: "B9")), schoolID: f.schoolID, in: db)
            }
            #expect(throws: BadgeStoreError.unknownLevel("TBM", scale: ["PE", "EC", "A", "M"])) {
                try BadgeStore().save(BadgeClass(code: "Y", name: "Y", description: "Y", criteria: "Y",
                                                 rule: .minimumLevel(key, node: "B1.1", level: "TBM")), schoolID: f.schoolID, in: db)
            }
        }
    }

    @Test("a bulk import awards the badges its evidence earns", arguments: Engine.all)
    func bulkImport(engine: Engine) throws {
        let f = try BadgeSchool(engine)
        let summary = try f.school.database.write { db in
            let importer = try EvaluationImport(recordedBy: "import", in: db)
            for (index, code) in ["B1.1", "B1.2", "B1.3", "B1.4"].enumerated() {
                for day in [10, 20] {
                    try importer.add(SchoolFixture.entry("A", on: SchoolFixture.day(day + index, 10), competency: code))
                }
            }
            return try importer.finish()
        }
        #expect(summary.badges == 5)
        #expect(try f.awards().count == 5)
    }
}

/// A school that issues badges, with the shipped referentials and a class of three students.
struct BadgeSchool {
    let school: SchoolFixture
    let schoolID: Int64

    init(_ engine: Engine) throws {
        school = try SchoolFixture(engine)
        schoolID = try school.database.write { db in
            let id = try SchoolStore().schoolID(uai: "0579999Z", in: db)
            let issuer = Issuer(uai: "0579999Z", name: "Lycée des Tilleuls", url: "https://lycee.example",
                                email: "ce@lycee.example", publicBaseURL: "https://acquis.lycee.example/")
            let key = IssuerKey(id: "cle-test", algorithm: .rs256, publicKeyPEM: "PEM", createdAt: Date())
            try BadgeStore().createIssuer(issuer, schoolID: id, firstKey: key, in: db)
            return id
        }
    }

    func awards(_ student: StudentReference = SchoolFixture.lea) throws -> [StoredAward] {
        try school.database.read { db in
            try BadgeStore().awards(studentID: SchoolStore().student(student, in: db).id, in: db)
        }
    }

    func recordBlockB1(level: String = "A") throws -> [Int64] {
        try ["B1.1", "B1.2", "B1.3", "B1.4"].enumerated().flatMap { index, code in
            try school.record(SchoolFixture.entry(level, on: SchoolFixture.day(10 + index, 10), competency: code),
                              SchoolFixture.entry(level, on: SchoolFixture.day(20 + index, 10), competency: code))
        }
    }
}
