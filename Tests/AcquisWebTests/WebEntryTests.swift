import AcquisStore
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The grid for a thumb: one student or one competency at a time, large choices, the context
/// set once for the round, the same single transaction as the grid.
@Suite("Web app: entry mode on a phone")
struct WebEntryTests {
    @Test("one student at a time: every competency with its full title, the scale's words as choices, the context set once")
    func oneStudent() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let first = try await client.get("/classes/2CAP-EPC/saisie?referentiel=CAP-EPC&position=\(lea)")
            #expect(first.status == .ok)
            #expect(first.text.contains("<h2>MARTIN Léa</h2>"))
            #expect(first.text.contains("<legend><strong>B1.1</strong> – "))
            #expect(first.text.contains("<details class=\"card context\" open>"), "the context is asked on the first page")
            #expect(first.text.contains("name=\"c-\(lea)-B1.1\" value=\"A\""))
            #expect(first.text.contains("> Pas d’observation</label>"))
            let next = try #require(first.text.firstMatch(of: #/name="suivant" value="(\d+)"/#)).output.1

            let saved = try await client.post("/classes/2CAP-EPC/saisie", form: [
                "referentiel": "CAP-EPC", "version": "2019", "par": "eleve", "position": "\(lea)", "suivant": String(next),
                "date": "2026-11-20", "contexte": "pfmp", "entreprise": "Épicerie Muller", "tuteur": "M. Muller",
                "c-\(lea)-B1.1": "A", "c-\(lea)-B1.2": "",
            ])
            #expect(saved.status == .found)
            let location = try #require(saved.location)
            #expect(location.hasPrefix("/classes/2CAP-EPC/saisie?par=eleve&referentiel=CAP%2DEPC&position=\(next)&"))
            #expect(location.contains("contexte=pfmp") && location.contains("enregistre=1"))

            let following = try await client.get(location)
            #expect(following.text.contains("1 évaluation enregistrée."))
            #expect(following.text.contains("<details class=\"card context\">"), "the context, once set, folds away")
            #expect(following.text.contains("<option value=\"pfmp\" selected>"))
            #expect(following.text.contains("value=\"Épicerie Muller\""))
            #expect(following.text.contains("<a href=\"/classes/2CAP-EPC/saisie?par=eleve&amp;referentiel=CAP%2DEPC&amp;position=\(lea)&amp;"))
        }
        let rows = try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.code, e.context, e.company, e.observedOn FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId
                WHERE e.studentId = ? AND e.recordedBy = 't-lycee'
                """, arguments: [lea])
        }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["code"] as String == "A")
        #expect(row["context"] as String == "pfmp")
        #expect(row["company"] as String == "Épicerie Muller")
    }

    @Test("one competency at a time: every student of the class, the competency's title as the heading")
    func oneCompetency() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/classes/2CAP-EPC/saisie?par=competence&referentiel=CAP-EPC&position=B1.2")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2>B1.2 – "))
            #expect(page.text.contains("Compétence 2 sur "))
            #expect(page.text.contains("<legend><strong>MARTIN Léa</strong></legend>"))
        }
    }

    @Test("a refused save shows the same student again with every choice kept and the competency at fault marked; nothing is stored")
    func refusal() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC/saisie?referentiel=CAP-EPC")
            // A script may post any value; the store refuses it and the page says which.
            let refused = try await client.post("/classes/2CAP-EPC/saisie", form: [
                "referentiel": "CAP-EPC", "version": "2019", "par": "eleve", "position": "\(lea)", "suivant": "",
                "date": "2026-11-20", "contexte": "classe", "c-\(lea)-B1.1": "M", "c-\(lea)-B1.2": "Z",
            ], tokenIn: .header)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("MARTIN Léa, B1.2"))
            #expect(refused.text.contains("<fieldset class=\"entry-item invalid\" aria-describedby=\"refus\">"))
            #expect(refused.text.contains("name=\"c-\(lea)-B1.1\" value=\"M\" checked"))
            let future = try await client.post("/classes/2CAP-EPC/saisie", form: [
                "referentiel": "CAP-EPC", "version": "2019", "par": "eleve", "position": "\(lea)",
                "date": "2031-01-01", "contexte": "classe", "c-\(lea)-B1.1": "M",
            ])
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains("Rien n’a été enregistré"))
        }
        let count = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM evaluation WHERE recordedBy = 't-lycee'")! }
        #expect(count == 0)
    }

    @Test("hostile positions fall back to the first student; another class's teacher, a student and a family are refused")
    func hostile() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            for position in ["../../etc/passwd", "", "-1", String(repeating: "9", count: 5000), "<script>"] {
                let page = try await client.get("/classes/2CAP-EPC/saisie?referentiel=CAP-EPC&position=\(WebClient.encode(position))")
                #expect(page.status == .ok)
                #expect(page.text.contains("Élève 1 sur "))
                #expect(!page.text.contains("<script>"))
            }
            // A hostile « suivant » only ever becomes a position in this class's own entry page.
            _ = try await client.get("/classes/2CAP-EPC/saisie?referentiel=CAP-EPC")
            let posted = try await client.post("/classes/2CAP-EPC/saisie", form: [
                "referentiel": "CAP-EPC", "version": "2019", "par": "%0D%0ALocation: https://ailleurs.example",
                "suivant": "https://ailleurs.example/\r\nSet-Cookie: x=1", "date": "2026-11-20", "contexte": "classe",
            ])
            #expect(posted.status == .found)
            let location = try #require(posted.location)
            #expect(location.hasPrefix("/classes/2CAP-EPC/saisie?par=eleve&") && !location.contains("\r") && !location.contains("\n"))
            #expect(posted.headers[.setCookie] == nil || !(posted.headers[.setCookie] ?? "").contains("x=1"))

            let unknown = try await client.get("/classes/2CAP-EPC/saisie?referentiel=NEANT")
            #expect(unknown.status.code >= 400 && unknown.status.code < 500)
        }
        for login in ["t-college", "t-lea", "t-famille-lea"] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                let page = try await client.get("/classes/2CAP-EPC/saisie?referentiel=CAP-EPC")
                #expect(page.status == .forbidden, "\(login)")
            }
        }
    }
}
