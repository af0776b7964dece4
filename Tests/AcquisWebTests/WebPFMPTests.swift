import AcquisTestSupport
import Foundation
import GRDB
import HTTPTypes
import Testing

/// PFMP in the browser: the teacher creates a period and hands its link to the tutor, who
/// records on a phone without an account and reaches nothing else; the teacher confirms.
@Suite("Web app: PFMP and the workplace tutor's link")
struct WebPFMPTests {
    static let form = ["entreprise": "Boutique Dupont", "tuteur": "Mme Dupont", "courriel": "dupont@boutique.example",
                       "du": "2026-11-16", "au": "2026-12-11"]

    /// Creates a PFMP for Léa as her teacher; the tutor's link path.
    static func createPeriod(_ fixture: WebFixture, lea: Int64) async throws -> String {
        try await fixture.test { client -> String in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/eleves/\(lea)/pfmp")
            #expect(page.text.contains("Pas encore de PFMP pour Léa"))
            let body = Self.form.map { "\(WebClient.encode($0.key))=\(WebClient.encode($0.value))" }
                + ["competences=CAP-EPC%7CB1.2", "competences=CAP-EPC%7CB3.2", "_csrf=\(client.csrf ?? "")"]
            let created = try await client.send(raw: "/eleves/\(lea)/pfmp", type: "application/x-www-form-urlencoded",
                                                body: Array(body.joined(separator: "&").utf8))
            #expect(created.status == .ok, "\(created.text)")
            #expect(created.text.contains("Copiez-le maintenant"))
            #expect(created.text.contains("mailto:dupont@boutique.example?subject="))
            let link = try #require(created.text.firstMatch(of: /value="http:\/\/[^"]*(\/pfmp\/lien\/[A-Za-z0-9_-]{43})"/)?.1)
            return String(link)
        }
    }

    @Test("the tutor opens the link without an account, sees the student's first name and the competencies, records, comes back")
    func tutorRecords() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let link = try await Self.createPeriod(fixture, lea: lea)
        try await fixture.test { tutor in
            let page = try await tutor.get(link)
            #expect(page.status == .ok)
            #expect(page.text.contains("Bonjour Mme Dupont, merci d’accueillir Léa chez Boutique Dupont"))
            #expect(page.text.contains("PFMP de Léa M."))
            #expect(!page.text.contains("MARTIN") && !page.text.contains("9000000001A"), "least data: first name and initial")
            #expect(page.text.contains("name=\"c-B1.2\"") && page.text.contains("name=\"c-B3.2\""))
            #expect(!page.text.contains("name=\"c-B1.1\""))
            let sent = try await tutor.post(link, form: ["c-B1.2": "A", "c-B3.2": "", "appreciation": "Léa est ponctuelle et souriante."])
            #expect(sent.status == .found)
            let back = try await tutor.get(try #require(sent.location))
            #expect(back.text.contains("Merci : vos observations sont transmises"))
            #expect(back.text.contains("Ce que vous avez déjà transmis"))
            #expect(back.text.contains("Léa est ponctuelle et souriante."))
            // A script sends the same token in a header: taken too.
            let scripted = try await tutor.post(link, form: ["c-B3.2": "EC"], tokenIn: .header)
            #expect(scripted.status == .found, "\(scripted.status)")
            // Without the form's token, nothing is taken.
            #expect(try await tutor.post(link, form: ["c-B1.2": "A"], token: false).status == .forbidden)
            // A level outside the scale, a competency not asked: refused in words.
            let refused = try await tutor.post(link, form: ["c-B1.1": "A"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("ne fait pas partie de ce qui est demandé"))
        }
        let pending = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pfmpObservation WHERE status = 'attente'")! }
        #expect(pending == 2)
    }

    @Test("the tutor reaches nothing else: no student page, no other link, no file, no API; a forged link says the same as an expired one")
    func tutorReachesNothingElse() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let link = try await Self.createPeriod(fixture, lea: lea)
        try await fixture.test { tutor in
            _ = try await tutor.get(link)
            for page in ["/eleves/\(lea)", "/eleves/\(lea)/pfmp", "/eleves/\(lea)/portfolio", "/eleve", "/enseignant", "/classes/2CAP-EPC"] {
                let reply = try await tutor.get(page)
                #expect(reply.status == .found && reply.location?.hasPrefix("/connexion") == true, "\(page): \(reply.status)")
            }
            #expect(try await tutor.api("/api/v1/eleves/\(lea)/productions").status == .unauthorized)
            let forged = try await tutor.get("/pfmp/lien/" + String(repeating: "A", count: 43))
            #expect(forged.status == .notFound)
            #expect(forged.text.contains("Ce lien n’ouvre plus la PFMP"))
            #expect(try await tutor.get("/pfmp/lien/..%2F..%2Feleves").status == .notFound)
            #expect(try await tutor.post("/pfmp/lien/" + String(repeating: "B", count: 43), form: ["c-B1.2": "A"]).status == .notFound)
        }
    }

    @Test("the teacher confirms the tutor's observation into PFMP evidence, and withdraws the link: it opens nothing more")
    func teacherConfirmsAndRevokes() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let link = try await Self.createPeriod(fixture, lea: lea)
        try await fixture.test { tutor in
            _ = try await tutor.get(link)
            _ = try await tutor.post(link, form: ["c-B3.2": "A", "appreciation": "Léa est ponctuelle et souriante."])
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/eleves/\(lea)/pfmp")
            #expect(page.text.contains("À confirmer"))
            let observation = try #require(page.text.firstMatch(of: /action="\/pfmp\/observations\/(\d+)"/)?.1)
            let confirmed = try await client.post("/pfmp/observations/\(observation)", form: ["decision": "confirmer", "eleve": "\(lea)"])
            #expect(confirmed.status == .found)
            let history = try await client.get("/eleves/\(lea)")
            #expect(history.text.contains("Boutique Dupont") && history.text.contains("Mme Dupont"))
            let period = try #require(page.text.firstMatch(of: /href="\/pfmp\/(\d+)\/attestation\.pdf"/)?.1)
            let pdf = try await client.get("/pfmp/\(period)/attestation.pdf")
            #expect(pdf.headers[.contentType] == "application/pdf")
            if Poppler.available {
                let text = try Poppler.text(Fixtures.file(bytes: pdf.bytes, named: "attestation.pdf"))
                #expect(text.contains("Attestation de période de formation en milieu professionnel"))
                #expect(text.contains("Léa MARTIN"), "\(text)")
                #expect(text.contains("chez Boutique Dupont, du 16/11/2026 au 11/12/2026, sous la tutelle de Mme Dupont"))
                #expect(text.contains("Léa est ponctuelle"), "the appreciation")
                #expect(text.contains("pas observée"), "B1.2 was not observed")
            }
            #expect(try await client.post("/pfmp/\(period)/retrait", form: [:]).status == .found)
        }
        try await fixture.test { tutor in
            let closed = try await tutor.get(link)
            #expect(closed.status == .notFound)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            #expect(try await client.get("/eleves/\(lea)/pfmp").status == .forbidden)
        }
    }

    @Test("the teacher's form posted by a script (token in a header) creates a PFMP; a date that is not one shows the form again")
    func scriptedCreation() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)/pfmp")
            var form = Self.form
            form["competences"] = "CAP-EPC|B1.2"
            let scripted = try await client.post("/eleves/\(lea)/pfmp", form: form, tokenIn: .header)
            #expect(scripted.status == .ok && scripted.text.contains("/pfmp/lien/"), "\(scripted.status)")
            form["du"] = "../../etc"
            let wrong = try await client.post("/eleves/\(lea)/pfmp", form: form)
            #expect(wrong.status == .badRequest && wrong.text.contains("du : « ../../etc » n’est pas une date"), "\(wrong.status)")
            #expect(wrong.text.contains("value=\"Boutique Dupont\""), "what was typed stays")
        }
        let periods = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pfmpPeriod")! }
        #expect(periods == 1)
    }
}
