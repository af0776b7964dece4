import AcquisApp
import AcquisCore
import Foundation
import GRDB
import HTTPTypes
import Testing

/// A student who left the school, and their family, in the browser: the portfolio's download
/// for the months the school chose, nothing else, then nothing.
@Suite("Web app: a student who left")
struct WebLeaverTests {
    /// The demo school with Léa gone ten days ago.
    static func fixture() async throws -> WebFixture {
        let fixture = try await WebFixture()
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE student SET leftOn = ? WHERE ine = '9000000001A'", arguments: [CalendarDate.today.adding(days: -10).iso])
        }
        return fixture
    }

    @Test("Léa and her family land on the download of her portfolio; every other page leads there, every write is refused")
    func downloadOnly() async throws {
        let fixture = try await Self.fixture()
        let lea = try await fixture.studentID("9000000001A")
        let until = CalendarDate.today.adding(days: -10).adding(months: 12).french
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            for path in ["/eleve", "/eleve/portfolio", "/eleve/badges", "/eleves/\(lea)"] {
                let page = try await client.get(path)
                #expect(page.status == .found && page.location == "/depart", "\(path)")
            }
            let page = try await client.get("/depart")
            #expect(page.status == .ok)
            #expect(page.text.contains("Tu as quitté l’établissement le") && page.text.contains("jusqu’au <strong>\(until)</strong>"))
            let zip = try await client.get("/eleve/portfolio.zip")
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            let shared = try await client.post("/eleve/partages", form: ["productions": "1", "duree": "30"])
            #expect(shared.status == .forbidden && shared.text.contains("seul le portfolio peut encore être téléchargé, jusqu’au \(until)"))
            #expect(try await client.get("/api/v1/eleves/\(lea)/productions").status == .forbidden)
        }
        try await fixture.test { family in
            _ = try await family.signIn("t-famille-lea")
            #expect(try await family.get("/eleve").location == "/depart")
            let page = try await family.get("/depart")
            #expect(page.text.contains("Télécharger le portfolio de Léa") && page.text.contains("Vous pouvez le télécharger jusqu’au"))
            #expect(try await family.get("/eleve/portfolio.zip?enfant=\(lea)").status == .ok)
        }
        try await fixture.test { teacher in
            _ = try await teacher.signIn("t-lycee")
            #expect(try await teacher.get("/eleves/\(lea)").status == .ok, "the school still follows her")
            #expect(try await teacher.get("/depart").status == .forbidden)
        }
    }

    @Test("the school chooses the period; with none, the account no longer opens and its session ends")
    func schoolChooses() async throws {
        let fixture = try await Self.fixture()
        try await fixture.test { direction in
            _ = try await direction.signIn("t-direction")
            let page = try await direction.get("/direction/etablissement")
            #expect(page.text.contains(#"<option value="12" selected>1 an</option>"#))
            for hostile in ["../../etc", "", "1.5", String(repeating: "9", count: 40)] {
                let refused = try await direction.post("/direction/etablissement", form: ["nom": "Lycée", "periodes": "trimestres", "depart": hostile])
                #expect(refused.status == .badRequest, "« \(hostile) »")
            }
            for unknown in ["5", "-1"] {
                let refused = try await direction.post("/direction/etablissement", form: ["nom": "Lycée", "periodes": "trimestres", "depart": unknown])
                #expect(refused.status == .unprocessableContent && refused.text.contains("choisissez une durée parmi 0, 3, 6, 12, 24, 36 mois"))
            }
            let saved = try await direction.post("/direction/etablissement", form: ["nom": "Lycée", "periodes": "trimestres", "depart": "0"],
                                                 tokenIn: .header)
            #expect(saved.location == "/direction/etablissement?enregistre=1", "a script's post, token in a header")
            #expect(try await direction.get("/direction/etablissement").text.contains(#"<option value="0" selected>"#))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let ended = try await client.get("/depart")
            let signIn = try #require(ended.location)
            #expect(signIn.hasPrefix("/connexion?fin="))
            #expect(try await client.get(signIn).text.contains("Cet accès à Acquis a pris fin le"))
            #expect(try await client.get("/eleve").location?.hasPrefix("/connexion") == true, "signed out for good")
            #expect(try await client.get("/eleve/portfolio.zip").status != .ok)
        }
    }
}
