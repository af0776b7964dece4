import AcquisCore
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The main flows of each role, through pages as a browser posts them.
@Suite("Web app: flows")
struct WebFlowTests {
    @Test("a teacher fills the class grid: every cell is recorded at once, with the date and context chosen")
    func gridEntry() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let other = try await fixture.studentID("9000000002B")
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let grid = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            #expect(grid.status == .ok)
            #expect(grid.text.contains("name=\"c-\(lea)-B1.1\""))
            #expect(grid.text.contains("aria-label=\"MARTIN Léa, B1.1\""))
            let saved = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": "2026-11-20", "contexte": "pfmp",
                "entreprise": "Épicerie Muller", "tuteur": "M. Muller",
                "c-\(lea)-B1.4": "m", "c-\(other)-B1.4": "EC", "c-\(other)-B1.3": "",
            ])
            #expect(saved.status == .found)
            #expect(saved.location == "/classes/2CAP-EPC?referentiel=CAP%2DEPC&enregistre=2")
            let rows = try await fixture.database.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT e.studentId, e.code, e.context, e.company, e.observedOn FROM evaluation e
                    JOIN referentialNode n ON n.id = e.nodeId WHERE n.code = 'B1.4' AND e.recordedBy = 't-lycee' ORDER BY e.studentId
                    """)
            }
            #expect(rows.map { $0["code"] as String } == ["M", "EC"])
            #expect(rows.allSatisfy { $0["context"] == "pfmp" && $0["company"] == "Épicerie Muller" && $0["observedOn"] == "2026-11-20" })
            let after = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC&enregistre=2")
            #expect(after.text.contains("2 évaluations enregistrées"))
        }
    }

    @Test("a level in the grid opens its explanation and evidence; the explanations are not shipped with the grid")
    func gridExplanation() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            _ = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": "2026-11-20", "contexte": "atelier",
                "commentaire": "Accueil d’un client pressé", "c-\(lea)-B1.4": "M",
            ])
            // Six hundred newer observations elsewhere do not push this one out of its evidence.
            try await fixture.database.writer.write { db in
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
                    INSERT INTO evaluation (studentId, nodeId, code, observedOn, context, isOverride, recordedAt)
                    SELECT ?, (SELECT nd.id FROM referentialNode nd JOIN referential r ON r.id = nd.referentialId
                               WHERE r.code = 'CAP-EPC' AND nd.code = 'B2.1' LIMIT 1), 'A', '2026-11-25', 'classe', 0, '2026-11-25 10:00:00'
                    FROM n
                    """, arguments: [lea])
            }
            let grid = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            let link = "/eleves/\(lea)/competences/B1.4?referentiel=CAP%2DEPC"
            #expect(grid.text.contains("tabindex=\"-1\" href=\"\(link)\">"))
            // Column heads lead to the full titles, for touch and keyboard alike.
            #expect(grid.text.contains("<a href=\"#t-B1.4\""))
            #expect(grid.text.contains("<dt id=\"t-B1.4\">B1.4</dt><dd>"))

            let standing = try await client.get(link)
            #expect(standing.status == .ok)
            #expect(standing.text.contains("id=\"explication-competence\""))
            #expect(standing.text.contains("Niveau actuel"))
            #expect(standing.text.contains("Accueil d’un client pressé"))
            #expect(standing.text.contains("en atelier"))
            let explanation = try #require(standing.text.firstMatch(of: #/<p>([^<]+)</p>\n</section>/#)).output.1
            #expect(!grid.text.contains(String(explanation)), "no explanation is shipped with the grid")

            let unknown = try await client.get("/eleves/\(lea)/competences/ZZ9?referentiel=CAP-EPC")
            #expect(unknown.status.code >= 400 && unknown.status.code < 500)
            #expect(unknown.text.contains("ZZ9"))
            let noReferential = try await client.get("/eleves/\(lea)/competences/B1.4")
            #expect(noReferential.status == .badRequest)
            // Hostile codes and referentials: a clear refusal, never a crash or a file read.
            for (code, referential) in [("..%2F..%2Fetc%2Fpasswd", "CAP-EPC"), (String(repeating: "B", count: 5000), "CAP-EPC"),
                                        ("B1.4", "..%2F..%2F"), ("B1.4", String(repeating: "%FF", count: 300)), ("%00", "%00")] {
                let hostile = try await client.get("/eleves/\(lea)/competences/\(code)?referentiel=\(referential)")
                #expect(hostile.status.code >= 400 && hostile.status.code < 500, "\(code.prefix(20)) \(referential.prefix(20))")
            }
            #expect(try await client.get("/enseignant").status == .ok, "the server lives on")
        }
        for (login, status) in [("t-college", HTTPResponse.Status.forbidden), ("t-lea", .forbidden), ("t-famille-lea", .forbidden)] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                let page = try await client.get("/eleves/\(lea)/competences/B1.4?referentiel=CAP-EPC")
                #expect(page.status == status, "\(login)")
                #expect(!page.text.contains("Niveau actuel"))
            }
        }
    }

    @Test("a teacher's student page starts with the levels and the latest evidence; badge administration is folded below")
    func studentPageOrder() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/eleves/\(lea)")
            let levels = try #require(page.text.range(of: "<section class=\"card\">\n<h2>CAP"))
            let history = try #require(page.text.range(of: "<h2>Historique des preuves</h2>"))
            let badges = try #require(page.text.range(of: "<details class=\"card detail-all\" id=\"badges\">"))
            #expect(levels.lowerBound < history.lowerBound && history.lowerBound < badges.lowerBound)
            #expect(page.text.contains("<summary>Badges : "))
        }
    }

    static func evaluationCount(_ fixture: WebFixture) async throws -> Int {
        try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM evaluation")! }
    }

    @Test("one unknown level in the grid and nothing of it is recorded")
    func gridRefusal() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let before = try await Self.evaluationCount(fixture)
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC")
            let refused = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": "2026-11-20", "contexte": "classe",
                "c-\(lea)-B1.1": "A", "c-\(lea)-B1.2": "Z",
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("MARTIN Léa, B1.2"))
            #expect(refused.text.contains("Rien n’a été enregistré"))
            // The grid comes back with everything typed, the cell at fault marked: nothing is lost.
            #expect(refused.text.contains("name=\"c-\(lea)-B1.1\" aria-label=\"MARTIN Léa, B1.1\" size=\"2\" maxlength=\"3\" autocomplete=\"off\" value=\"A\" class=\"cell\""))
            #expect(refused.text.contains("value=\"Z\" aria-invalid=\"true\" aria-describedby=\"refus\" class=\"cell invalid\""))
            #expect(refused.text.contains("<input id=\"date\" name=\"date\" type=\"date\" value=\"2026-11-20\""))
            #expect(refused.text.contains("<table class=\"grid\""))
            #expect(!refused.text.contains("title=\"Acquis : Acquis :"), "the tooltip says the level once")
        }
        #expect(try await Self.evaluationCount(fixture) == before)
    }

    @Test("a grid dated tomorrow is refused whole, saying why")
    func gridFutureDate() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let before = try await Self.evaluationCount(fixture)
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC")
            let refused = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": CalendarDate.today.adding(days: 1).iso, "c-\(lea)-B1.1": "A"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("à venir"))
            let api = try await client.api("/api/v1/evaluations", method: .post, json: """
                {"eleve": \(lea), "referentiel": "CAP-EPC", "competence": "B1.1", "niveau": "A", "date": "1999-05-01"}
                """)
            #expect(api.status == .unprocessableContent)
            #expect(api.text.contains("antérieure à 2000"))
        }
        #expect(try await Self.evaluationCount(fixture) == before)
    }

    @Test("a student sees progress in positive words, self-evaluates and asks to be evaluated")
    func studentFlow() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve")
            #expect(page.status == .ok)
            #expect(page.text.contains("Au fil de l’année"))
            #expect(page.text.contains("<progress"))
            #expect(!page.text.contains("Échec") && !page.text.contains("échec"))
            let selfEvaluation = try await client.post("/eleve/auto-evaluations", form: ["competence": "CAP-EPC|B1.1", "niveau": "M"])
            #expect(selfEvaluation.location == "/eleve?ok=auto")
            let request = try await client.post("/eleve/demandes", form: ["competence": "CAP-EPC|B2.3", "message": "Prête pour l’inventaire"])
            #expect(request.location == "/eleve?ok=demande")
            let asked = try await client.get("/eleve")
            #expect(asked.text.contains("en attente</li>") && !asked.text.contains("en attente : « »"), "no empty answer")
            let badges = try await client.get("/eleve/badges")
            #expect(badges.text.contains("Télécharger l’image PNG"))
            #expect(badges.text.contains("/verifier/"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let queue = try await client.get("/demandes")
            #expect(queue.text.contains("Prête pour l’inventaire"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-famille-lea")
            let page = try await client.get("/eleve")
            #expect(page.text.contains("Les progrès de Léa"))
            #expect(!page.text.contains("Demander à être évalué"))
            #expect(try await client.post("/eleve/demandes", form: ["competence": "CAP-EPC|B2.3"]).status == .forbidden)
        }
    }

    @Test("one voice per reader: « mon » for the student, the first name for the family, « l’élève » for the team")
    func voices() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            _ = try await client.post("/eleve/auto-evaluations", form: ["competence": "CAP-EPC|B1.1", "niveau": "M"])
            let page = try await client.get("/eleve")
            #expect(page.text.contains("Mon auto-évaluation"))
            #expect(try await client.get("/eleve/badges").text.contains("Ton nom n’y figure pas"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-famille-lea")
            let page = try await client.get("/eleve")
            #expect(!page.text.contains("Mon auto-évaluation") && page.text.contains("Son auto-évaluation"))
            let badges = try await client.get("/eleve/badges")
            #expect(!badges.text.contains("Ton nom") && badges.text.contains("Le nom de Léa n’y figure pas"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC")
            _ = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "contexte": "atelier", "commentaire": "Très bon accueil du client",
                "c-\(lea)-B1.3": "A"])
            let page = try await client.get("/eleves/\(lea)")
            #expect(!page.text.contains("Mon auto-évaluation") && page.text.contains("Auto-évaluation de l’élève"))
            #expect(page.text.contains("Commentaire de t-lycee le"), "teachers' comments are part of the progress file")
            let pdf = try await client.get("/eleves/\(lea)/livret.pdf")
            #expect(pdf.status == .ok && pdf.bytes.count > 1000)
            let html = try await client.get("/eleves/\(lea)/livret.html")
            #expect(html.text.contains("Progrès de l’élève — Léa MARTIN") && !html.text.contains("Mes progrès"))
            #expect(html.text.contains("« Très bon accueil du client »"))
            #expect(html.text.range(of: #"(\d+ compétences? acquises? sur \d+) — \1"#, options: .regularExpression) == nil,
                    "a block's count is said once")
            #expect(!html.text.contains("acquise(s)"))
        }
    }

    @Test("a downloaded badge verifies on the public page, and a revoked one says so with its reason")
    func publicVerification() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let uuid = try await fixture.database.writer.read { try BadgeStore().awards(studentID: lea, in: $0).first!.uuid }
        let image = try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            return try await client.get("/badges/\(uuid)/badge.png").bytes
        }
        try await fixture.test { client in
            let link = try await client.get("/verifier/\(uuid)")
            #expect(link.text.contains("BADGE VALIDE"))
            #expect(!link.text.contains("MARTIN") && !link.text.contains("Léa"))
            _ = try await client.get("/verifier")
            let upload = try await client.multipart("/verifier", fields: [:], file: ("fichier", "badge.png", image))
            #expect(upload.text.contains("BADGE VALIDE"), "\(upload.text.prefix(400))")
            // The signed badge, the register page and the list give the same day.
            let day = try await fixture.database.writer.read { try BadgeStore().award(uuid: uuid, in: $0)!.awardedOn.french }
            #expect(upload.text.contains("le \(day)") && link.text.contains("le \(day)"), "\(day)")
            #expect(try await client.get("/verifier/00000000-0000-0000-0000-000000000000").status == .notFound)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)")
            #expect(try await client.post("/badges/\(uuid)/revocation", form: ["motif": "Attribué par erreur"]).status == .found)
            let link = try await client.get("/verifier/\(uuid)")
            #expect(link.text.contains("BADGE RÉVOQUÉ"))
            #expect(link.text.contains("Motif de l’émetteur : Attribué par erreur."), "the verdict ends as a sentence")
        }
    }

    @Test("the issuer's Open Badges documents are served where the badges point")
    func hostedDocuments() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            let profile = try await client.get("/openbadges/emetteur-0579999z.json")
            #expect(profile.status == .ok)
            #expect(profile.headers[.contentType] == "application/ld+json")
            #expect(profile.text.contains("\"type\" : \"Issuer\"") || profile.text.contains("\"type\":\"Issuer\""))
            let revocations = try await client.get("/openbadges/revocations-0579999z.json")
            #expect(revocations.status == .ok)
            #expect(try await client.get("/openbadges/inconnu.json").status == .notFound)
        }
    }

    @Test("an inspector sees each error of a referential file with its line, then publishes a corrected version")
    func inspectorFlow() async throws {
        let fixture = try await WebFixture()
        let broken = Fixtures.acquisReferential(code: "VENTE-TEST", version: "2027", body: """
              <block code="B1">
                <title>Vendre</title>
                <competency code="bad code"><title>Espace dans le code</title></competency>
              </block>
            """)
        let valid = Fixtures.acquisReferential(code: "VENTE-TEST", version: "2027", body: """
              <block code="B1">
                <title>Vendre</title>
                <competency code="C1"><title>Accueillir le client</title></competency>
              </block>
            """)
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let sent = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "vente.xml", Array(broken.utf8)))
            #expect(sent.status == .found)
            let draft = try await client.get(sent.location!)
            #expect(draft.text.contains("ne peut pas être publié"))
            #expect(draft.text.contains("<td>6</td><td></td><td>competency@code</td>"), "line and field of the bad code")
            #expect(!draft.text.contains("Publier cette version"))
            let corrected = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "vente.xml", Array(valid.utf8)))
            let preview = try await client.get(corrected.location!)
            #expect(preview.text.contains("Le fichier est valide"))
            #expect(preview.text.contains("Accueillir le client"))
            let published = try await client.post(corrected.location! + "/publication", form: [:])
            #expect(published.location?.hasPrefix("/inspection?publie=") == true)
            let list = try await client.get("/inspection")
            #expect(list.text.contains("VENTE-TEST"))
        }
    }
}
