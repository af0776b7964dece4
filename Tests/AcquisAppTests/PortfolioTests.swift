import AcquisApp
import AcquisCore
import AcquisMedia
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import AcquisStorageTestSupport
import AcquisTestSupport
import Foundation
import Testing

@Suite("A student's portfolio keeps what they made, for those who may see it")
struct PortfolioTests {
    typealias F = AppFixture

    static func draft(_ title: String = "Vitrine de Noël", student: StudentReference = F.lea,
                      competencies: [(referential: String, codes: [String])] = [("CAP-EPC", ["B1.1"])]) -> ProductionDraft {
        ProductionDraft(student: student, title: title, day: CalendarDate(year: 2026, month: 11, day: 20), context: .atelier,
                        competencies: competencies)
    }

    /// The school with Léa's class following CAP-EPC: a teacher recorded in it.
    static func school(_ engine: Engine) async throws -> F {
        let school = try await F(engine)
        _ = try await school.app.evaluations.record(F.entry("EC", on: 8), by: F.console)
        return school
    }

    @Test("a student adds a photo: kept re-encoded with its competencies, read back by their teacher and family", arguments: Engine.all)
    func studentAddsAPhoto(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let photo = try Fixtures.production("photo-gps.jpg")
        let added = try await school.app.portfolio.add(Self.draft(), file: photo, by: school.person("lea"))
        #expect(added.title == "Vitrine de Noël")
        #expect(added.kind == .image && added.mediaType == "image/jpeg" && added.hasThumbnail)
        #expect(added.context == .atelier && added.addedBy == "lea")
        #expect(added.competencies.map(\.code) == ["B1.1"])
        for reader in ["lea", "prof", "direction", "famille"] {
            let list = try await school.app.portfolio.productions(of: F.lea, by: school.person(reader))
            #expect(list.map(\.id) == [added.id], "\(reader)")
        }
        let file = try await school.app.portfolio.file(added.id, thumbnail: false, by: school.person("famille"))
        #expect(file.mediaType == "image/jpeg")
        #expect(file.content != photo, "the original is never what is kept")
        #expect(file.content.count == added.byteCount)
        #expect(try await school.app.portfolio.file(added.id, thumbnail: true, by: school.person("prof")).content.count > 0)
    }

    @Test("nobody else reads it: another teacher, another student's account, an inspector", arguments: Engine.all)
    func othersAreRefused(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let added = try await school.app.portfolio.add(Self.draft(), file: try Fixtures.production("photo-gps.jpg"), by: school.person("lea"))
        for reader in ["autre", "ien"] {
            await #expect(throws: AccessRefusal.self) { try await school.app.portfolio.file(added.id, thumbnail: false, by: school.person(reader)) }
            await #expect(throws: AccessRefusal.self) { try await school.app.portfolio.productions(of: F.lea, by: school.person(reader)) }
        }
        // An id that does not exist is refused like another's: ids cannot be probed.
        await #expect(throws: AccessRefusal.student) { try await school.app.portfolio.file(added.id + 1, thumbnail: false, by: school.person("prof")) }
    }

    @Test("a student adds only to their own portfolio, a family adds nothing, a teacher adds for their students", arguments: Engine.all)
    func whoMayAdd(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let photo = try Fixtures.production("photo-gps.jpg")
        let yanis = StudentReference.ine("9000000002B"), aya = StudentReference.ine("9000000003C")
        await #expect(throws: AccessRefusal.student) { try await school.app.portfolio.add(Self.draft(student: yanis), file: photo, by: school.person("lea")) }
        await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.add(Self.draft(), file: photo, by: school.person("famille")) }
        await #expect(throws: AccessRefusal.student) { try await school.app.portfolio.add(Self.draft(student: aya), file: photo, by: school.person("prof")) }
        let forYanis = try await school.app.portfolio.add(Self.draft(student: yanis), file: photo, by: school.person("prof"))
        #expect(forYanis.addedBy == "prof")
        #expect(try await school.app.portfolio.productions(of: F.lea, by: school.person("prof")).isEmpty)
    }

    @Test("refused files and descriptions keep nothing", arguments: Engine.all)
    func refusals(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let lea = school.person("lea"), photo = try Fixtures.production("photo-gps.jpg")
        let program = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 120))
        await #expect(throws: PortfolioError.self) { try await school.app.portfolio.add(Self.draft(), file: program, by: lea) }
        await #expect(throws: PortfolioError.untitled) { try await school.app.portfolio.add(Self.draft("  "), file: photo, by: lea) }
        await #expect(throws: PortfolioError.self) {
            try await school.app.portfolio.add(Self.draft(String(repeating: "a", count: 121)), file: photo, by: lea)
        }
        await #expect(throws: PortfolioError.file(.tooManyPixels(width: 100_000, height: 100_000, limit: 64_000_000))) {
            try await school.app.portfolio.add(Self.draft(), file: try Fixtures.production("bombe.png"), by: lea)
        }
        var tomorrow = Self.draft()
        tomorrow.day = CalendarDate(year: 2026, month: 12, day: 3)
        await #expect(throws: PortfolioError.future(CalendarDate(year: 2026, month: 12, day: 3)!)) {
            try await school.app.portfolio.add(tomorrow, file: photo, by: lea)
        }
        // An unknown competency, and a referential the student's class does not follow.
        await #expect(throws: EvaluationError.self) {
            try await school.app.portfolio.add(Self.draft(competencies: [("CAP-EPC", ["Z9.9"])]), file: photo, by: lea)
        }
        await #expect(throws: AccessRefusal.referentialNotFollowed("BACPRO-ACCUEIL")) {
            try await school.app.portfolio.add(Self.draft(competencies: [("BACPRO-ACCUEIL", ["B1.1"])]), file: photo, by: lea)
        }
        #expect(try await school.app.portfolio.productions(of: F.lea, by: lea).isEmpty)
    }

    @Test("the student writes about their production; nobody else may", arguments: Engine.all)
    func reflection(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let added = try await school.app.portfolio.add(Self.draft(), file: Data("Mon compte rendu de vente.\n".utf8), by: school.person("prof"))
        try await school.app.portfolio.reflect(on: added.id, text: "  J’ai appris à présenter un produit.  ", by: school.person("lea"))
        #expect(try await school.app.portfolio.production(added.id, by: school.person("famille")).reflection == "J’ai appris à présenter un produit.")
        await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.reflect(on: added.id, text: "Bien", by: school.person("prof")) }
    }

    @Test("a teacher records levels from a production in one step: its day, its context, the production as evidence; the level follows", arguments: Engine.all)
    func evaluateFromAProduction(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let added = try await school.app.portfolio.add(Self.draft(competencies: [("CAP-EPC", ["B1.2", "B2.2"])]),
                                                       file: try Fixtures.production("photo-gps.jpg"), by: school.person("lea"))
        let count = try await school.app.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B1.2", "A"), ("CAP-EPC", "B2.2", "EC")],
                                                            evaluator: "M. Martin", comment: "Belle vitrine", by: school.person("prof"))
        #expect(count == 2)
        let evidence = try await school.app.students.evidence(studentID: try await school.studentID(), limit: 10, by: school.person("prof")).evidence
        let fromProduction = evidence.map(\.evaluation).filter { $0.productionID == added.id }
        #expect(fromProduction.map(\.competencyCode).sorted() == ["B1.2", "B2.2"])
        #expect(fromProduction.allSatisfy { $0.observation.date == added.day && $0.observation.context == .atelier })
        #expect(fromProduction.allSatisfy { $0.evidence == "Production « Vitrine de Noël »" && $0.comment == "Belle vitrine" })
        let standing = try await school.app.students.standing(studentID: try await school.studentID(), referential: "CAP-EPC",
                                                              competency: "B1.2", by: school.person("prof"))
        #expect(standing.level?.code == "A")
    }

    @Test("only a teacher evaluates from a production, only on the competencies it shows, with at least one level", arguments: Engine.all)
    func evaluationRefusals(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let added = try await school.app.portfolio.add(Self.draft(), file: try Fixtures.production("photo-gps.jpg"), by: school.person("lea"))
        await #expect(throws: AccessRefusal.role) {
            try await school.app.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B1.1", "A")], evaluator: nil, comment: nil, by: school.person("lea"))
        }
        await #expect(throws: AccessRefusal.student) {
            try await school.app.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B1.1", "A")], evaluator: nil, comment: nil, by: school.person("autre"))
        }
        await #expect(throws: PortfolioError.notShown(referential: "CAP-EPC", competency: "B1.2")) {
            try await school.app.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B1.1", "A"), ("CAP-EPC", "B1.2", "A")], evaluator: nil,
                                                    comment: nil, by: school.person("prof"))
        }
        await #expect(throws: PortfolioError.noLevel) {
            try await school.app.portfolio.evaluate(added.id, levels: [], evaluator: nil, comment: nil, by: school.person("prof"))
        }
        await #expect(throws: EvaluationError.self) {
            try await school.app.portfolio.evaluate(added.id, levels: [("CAP-EPC", "B1.1", "Z")], evaluator: nil, comment: nil, by: school.person("prof"))
        }
        let evidence = try await school.app.students.evidence(studentID: try await school.studentID(), limit: 10, by: school.person("prof")).evidence
        #expect(!evidence.contains { $0.evaluation.productionID != nil }, "a refused evaluation keeps nothing")
    }

    @Test("a student shares chosen productions through a link: no name unless added, an expiry, withdrawable; nothing else is reachable", arguments: Engine.all)
    func sharing(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let lea = school.person("lea"), photo = try Fixtures.production("photo-gps.jpg")
        let shown = try await school.app.portfolio.add(Self.draft("Vitrine de Noël"), file: photo, by: lea)
        let kept = try await school.app.portfolio.add(Self.draft("Brouillon"), file: photo, by: lea)
        let until = CalendarDate(year: 2027, month: 3, day: 2)!
        let (share, token) = try await school.app.portfolio.share([shown.id], until: until, showingFirstName: false, by: lea)
        #expect(share.productionIDs == [shown.id] && share.expiresOn == until)
        let seen = try await school.app.portfolio.shared(token: token)
        #expect(seen.firstName == nil && seen.productions.map(\.title) == ["Vitrine de Noël"])
        #expect(try await school.app.portfolio.sharedFile(token: token, production: shown.id, thumbnail: false).content.count == shown.byteCount)
        await #expect(throws: PortfolioError.shareClosed) { try await school.app.portfolio.sharedFile(token: token, production: kept.id, thumbnail: false) }
        // One character changed: never the same one (a random token starts with « x » once in 64).
        let forged = (token.first == "x" ? "y" : "x") + token.dropFirst()
        await #expect(throws: PortfolioError.shareClosed) { try await school.app.portfolio.shared(token: forged) }

        let (_, named) = try await school.app.portfolio.share([shown.id, kept.id], until: until, showingFirstName: true, by: lea)
        #expect(try await school.app.portfolio.shared(token: named).firstName == "Léa")
        // Past its last day, or withdrawn, a link opens nothing.
        let later = App(storage: school.database.storage, today: CalendarDate(year: 2027, month: 3, day: 3)!)
        await #expect(throws: PortfolioError.shareClosed) { try await later.portfolio.shared(token: token) }
        try await school.app.portfolio.revokeShare(share.id, by: lea)
        await #expect(throws: PortfolioError.shareClosed) { try await school.app.portfolio.shared(token: token) }
        #expect(try await school.app.portfolio.shares(by: lea).count == 2)
    }

    @Test("a badge earned from a production cites it, and points to its page only while the student shares it", arguments: Engine.all)
    func badgeEvidence(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let lea = school.person("lea")
        let made = try await school.app.portfolio.add(Self.draft("Vitrine de Noël"), file: try Fixtures.production("photo-gps.jpg"), by: lea)
        _ = try await school.app.portfolio.evaluate(made.id, levels: [("CAP-EPC", "B1.1", "A")], evaluator: nil, comment: nil,
                                                    by: school.person("prof"))
        let award = try #require(try await school.b11Badge())
        /// The award as a badge downloaded on `day` carries it, and its OB 3.0 credential.
        func issued(on day: CalendarDate = F.today) async throws -> (award: IssuedAward, credential: String) {
            try await school.database.storage.read { tx in
                let publishing = try BadgePublishing(schoolID: award.badge.schoolID, in: tx)
                let issued = try publishing.issued(award, recipient: "lea@example.fr", on: day, in: tx)
                return (issued, String(decoding: OpenBadges3(issuer: publishing.issuer).credential(issued).encoded(), as: UTF8.self))
            }
        }
        func evidence(on day: CalendarDate = F.today) async throws -> [ProductionEvidence] { try await issued(on: day).award.productions }
        let unshared = try await evidence()
        #expect(unshared == [ProductionEvidence(title: "Vitrine de Noël", day: made.day, url: nil)], "named, not pointed to")

        let until = CalendarDate(year: 2027, month: 3, day: 2)!
        let (share, _) = try await school.app.portfolio.share([made.id], until: until, showingFirstName: true, by: lea)
        let url = try #require(try await evidence().first?.url)
        #expect(url.hasPrefix("https://acquis.lycee.example/preuve/"))
        let key = String(url.dropFirst("https://acquis.lycee.example/preuve/".count))
        #expect(key.count >= 40, "an address nobody guesses")
        #expect(try await school.app.portfolio.sharedEvidence(key: key).title == "Vitrine de Noël")
        #expect(try await school.app.portfolio.sharedEvidenceFile(key: key, thumbnail: false).content.count == made.byteCount)
        let credential = try await issued().credential
        #expect(credential.contains(#""id":"\#(url)","name":"Production « Vitrine de Noël »""#))
        #expect(!credential.contains("Léa"), "the first name shown on the share page stays out of the badge")

        // Past the link's last day, or withdrawn, the address opens nothing and new badges stop pointing to it.
        let later = App(storage: school.database.storage, today: until.adding(days: 1))
        await #expect(throws: PortfolioError.shareClosed) { try await later.portfolio.sharedEvidence(key: key) }
        #expect(try await evidence(on: until.adding(days: 1)).first?.url == nil)
        try await school.app.portfolio.revokeShare(share.id, by: lea)
        await #expect(throws: PortfolioError.shareClosed) { try await school.app.portfolio.sharedEvidence(key: key) }
        await #expect(throws: PortfolioError.shareClosed) { try await school.app.portfolio.sharedEvidenceFile(key: key, thumbnail: true) }
        #expect(try await evidence().first?.url == nil)
        // Shared again, by another link: the same address, so badges already handed over point to it again.
        _ = try await school.app.portfolio.share([made.id], until: until, showingFirstName: false, by: lea)
        #expect(try await evidence().first?.url == url)
    }

    @Test("only the student shares, only their own productions, for a day up to a year away", arguments: Engine.all)
    func sharingRefusals(engine: Engine) async throws {
        let school = try await Self.school(engine)
        let photo = try Fixtures.production("photo-gps.jpg")
        let leas = try await school.app.portfolio.add(Self.draft(), file: photo, by: school.person("lea"))
        let yanis = try await school.app.portfolio.add(Self.draft(student: .ine("9000000002B")), file: photo, by: school.person("prof"))
        let until = CalendarDate(year: 2027, month: 1, day: 2)!
        for login in ["prof", "famille", "direction"] {
            await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.share([leas.id], until: until, showingFirstName: true, by: school.person(login)) }
        }
        await #expect(throws: AccessRefusal.student) { try await school.app.portfolio.share([yanis.id], until: until, showingFirstName: false, by: school.person("lea")) }
        await #expect(throws: PortfolioError.nothingShared) { try await school.app.portfolio.share([], until: until, showingFirstName: false, by: school.person("lea")) }
        for day in [F.today, CalendarDate(year: 2028, month: 1, day: 1)!] {
            await #expect(throws: PortfolioError.shareExpiry(day)) { try await school.app.portfolio.share([leas.id], until: day, showingFirstName: false, by: school.person("lea")) }
        }
    }
}
