import AcquisApp
import AcquisCore
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The school's settings in the browser: its name and period scheme, its school years, its
/// badge issuer and signing keys.
@Suite("Web app: the school's settings")
struct WebSettingsTests {
    @Test("a school on semesters writes its bilans for S1 and S2; trimesters are not offered")
    func semesters() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/etablissement")
            #expect(page.text.contains("Trois trimestres (T1, T2, T3)") && page.text.contains("Deux semestres (S1, S2)"))
            let saved = try await client.post("/direction/etablissement", form: ["nom": "Cité scolaire des Tilleuls", "periodes": "semestres"])
            #expect(saved.location == "/direction/etablissement?enregistre=1")
            #expect(try await client.post("/direction/etablissement", form: ["nom": "X", "periodes": "quadrimestres"]).status == .badRequest)
            let period = try await client.get("/classes/2CAP-EPC/periode")
            #expect(period.text.contains("1er semestre") && !period.text.contains("2e trimestre"), "\(period.text)")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            #expect(try await client.get("/eleve").text.contains("Bilan du 1er semestre"))
            _ = try await client.post("/eleve/bilan?periode=T2", form: ["fier": "Semestre", "travailler": ""])
        }
        let periods = try await fixture.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT period FROM periodReflection WHERE proud = 'Semestre'")
        }
        #expect(periods == ["S1"], "a trimester asked of a school on semesters falls back to its current semester")
    }

    @Test("the school years it keeps are listed; last year's classes are read, not changed")
    func years() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let year = SchoolYear(containing: .today)
            let page = try await client.get("/direction/etablissement")
            #expect(page.text.contains("\(year) (en cours)") && page.text.contains("Pour préparer \(SchoolYear(startYear: year.startYear + 1))"))
            let last = try await client.get("/direction/eleves?annee=\(year.startYear - 1)")
            #expect(last.text.contains("Vous consultez l’année") && !last.text.contains("Vérifier le fichier"))
            #expect(try await client.get("/direction/eleves?annee=..%2F..").text.contains("Vérifier le fichier"), "a hostile year reads as this year")
        }
    }

    @Test("a new school becomes a badge issuer from the browser; a new key leaves delivered badges verifiable")
    func issuerAndKeys() async throws {
        let fixture = try await WebFixture(blank: ())
        let token = try #require(try await App(storage: fixture.database).setup.openLink())
        try await fixture.test { client -> Void in
            _ = try await client.get("/installation/\(token)")
            _ = try await client.post("/installation/\(token)", form: WebSetupTests.form)
            #expect(try await client.signIn("direction", password: "un-mot-de-passe-long").status == .found)
            let page = try await client.get("/direction/emetteur")
            #expect(page.text.contains("Devenir émetteur de badges"))
            let created = try await client.post("/direction/emetteur/creation", form: [
                "nom": "Lycée des Saules (fictif)", "site": "https://saules.example.fr", "courriel": "ce@example.fr",
                "url-publique": "https://acquis.saules.example.fr"])
            #expect(created.location == "/direction/emetteur?enregistre=1")
            let first = try await client.get("/direction/emetteur")
            #expect(first.text.contains("RS256") && first.text.contains("en service"))
            let rotated = try await client.post("/direction/emetteur/cles", form: ["algorithme": "RS256"])
            let after = try await client.get(try #require(rotated.location))
            #expect(after.text.contains("Nouvelle clé") && after.text.contains("vérifie encore les badges qu’elle a signés"), "\(after.text)")
        }
        let keys = try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, retiredAt FROM issuerKey ORDER BY createdAt")
        }
        #expect(keys.count == 2 && keys[0]["retiredAt"] as Date? != nil && keys[1]["retiredAt"] as Date? == nil)
        for key in keys {
            #expect(FileManager.default.fileExists(atPath: "\(fixture.keys)/\(key["id"] as String).pem"), "each private key is kept in the key folder")
        }
    }

    @Test("only the school's team reaches its settings, issuer and keys")
    func roles() async throws {
        let fixture = try await WebFixture()
        for login in ["t-lycee", "t-lea", "t-famille-lea", "t-inspection"] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                #expect(try await client.get("/direction/etablissement").status == .forbidden, "\(login)")
                _ = try await client.get("/eleve")
                #expect(try await client.post("/direction/etablissement", form: ["nom": "X", "periodes": "semestres"]).status == .forbidden)
                #expect(try await client.post("/direction/emetteur/cles", form: [:]).status == .forbidden)
            }
        }
    }
}
