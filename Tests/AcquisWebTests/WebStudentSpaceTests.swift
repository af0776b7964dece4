import Foundation
import HTTPTypes
import Testing

/// A student's space that motivates: badges as pictures, each block drawn as what is
/// acquired, this week's steps forward, the next steps; the family reads the same about their
/// child. Nothing compares a student with a classmate.
@Suite("Web app: the student's space")
struct WebStudentSpaceTests {
    @Test("the student sees her badge as a picture with its sentence and verification link, each block as squares with its words, and this week's progress")
    func student() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)")
            #expect(try await client.post("/eleves/\(lea)/badges", form: ["badge": "PFMP-ENGAGEMENT"]).status == .found)
            _ = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            let today = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])
            _ = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": today, "contexte": "classe", "c-\(lea)-B1.1": "M",
            ])
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2 id=\"titre-badges\">Mes badges</h2>"))
            #expect(page.text.contains("<span class=\"badge-art\" aria-hidden=\"true\"><svg"), "the badge is a picture")
            #expect(page.text.contains("<a href=\"/verifier/"))
            #expect(page.text.contains("<svg class=\"chart\""))
            #expect(page.text.contains("compétences acquises sur") || page.text.contains("compétence acquise sur"))
            #expect(page.text.contains("Tu es passé·e à « "), "this week's step forward, in her words")
            #expect(page.text.contains("<summary>Le détail, compétence par compétence</summary>"), "the sentences are folded below")
            #expect(!page.text.contains("DUPONT") && !page.text.contains("9000000002B"), "no classmate appears")
            #expect(!page.text.contains("classement") && !page.text.contains("moyenne de la classe"))

            // The HTML progress file beside the PDF: the accessible version of the same document.
            #expect(page.text.contains("<a href=\"/eleves/\(lea)/livret.html\">le lire en page web</a>"))
            let html = try await client.get("/eleves/\(lea)/livret.html")
            #expect(html.status == .ok)
            #expect(html.text.contains("<html lang=\"fr\">"))

            let badges = try await client.get("/eleve/badges")
            #expect(badges.text.contains("<li class=\"card badge-card\">\n  <span class=\"badge-art\" aria-hidden=\"true\"><svg"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-famille-lea")
            let page = try await client.get("/eleve")
            #expect(page.text.contains("Les badges de Léa"))
            #expect(page.text.contains("Léa est passé·e à « "))
            #expect(!page.text.contains("Tu es passé·e"))
        }
    }

    @Test("a quiet week is said kindly; badges come newest first")
    func quietWeek() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-autre")
            let page = try await client.get("/eleve")
            #expect(page.text.contains("Pas de nouvelle observation cette semaine"))
            let newer = try #require(page.text.range(of: "obtenu le 31/10/2026")), older = try #require(page.text.range(of: "obtenu le 07/10/2026"))
            #expect(newer.lowerBound < older.lowerBound)
        }
    }
}
