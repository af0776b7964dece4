import Foundation
import HTTPTypes
import Testing

/// The period's bilan written together: the student first, then the team, then the family.
@Suite("Web app: the period bilan, written together")
struct WebBilanTests {
    @Test("the student writes their part, the team reads it and writes the synthesis, the family reads both and says « Vu », once")
    func together() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            let space = try await client.get("/eleve")
            #expect(space.text.contains("Ce dont je suis fier·e"))
            #expect(space.text.contains("J’ai tenu la caisse seule pendant ma PFMP."), "the demo's words, to rewrite")
            let saved = try await client.post("/eleve/bilan", form: ["fier": "J’ai tenu la caisse seule un samedi entier.",
                                                                     "travailler": "Le rangement de la réserve."])
            #expect(saved.location == "/eleve?ok=bilan")
            let again = try await client.get("/eleve?ok=bilan")
            #expect(again.text.contains("Ton bilan est enregistré") && again.text.contains("J’ai tenu la caisse seule un samedi entier."))
            let tooLong = try await client.post("/eleve/bilan", form: ["fier": String(repeating: "é", count: 1501), "travailler": ""])
            #expect(tooLong.status == .unprocessableContent)
            #expect(try await client.post("/eleves/\(lea)/bilan", form: ["synthese": "Moi-même"]).status == .forbidden)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-famille-lea")
            _ = try await client.get("/eleve")
            // The third trimester has no synthesis yet: nothing to say « Vu » to.
            #expect(try await client.post("/eleve/bilan/vu?periode=T3", form: ["enfant": "\(lea)"]).status == .unprocessableContent)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/eleves/\(lea)")
            #expect(page.text.contains("Ce dont l’élève est fier·e :</strong> J’ai tenu la caisse seule un samedi entier."))
            let written = try await client.post("/eleves/\(lea)/bilan", form: [
                "synthese": "Léa a pris de l’assurance en caisse.", "objectifs": "Réceptionner une livraison\n\nRanger la réserve"])
            #expect(written.location == "/eleves/\(lea)?bilan=1")
            #expect(try await client.get(written.location!).text.contains("Bilan de l’équipe enregistré"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-famille-lea")
            let page = try await client.get("/eleve")
            #expect(page.text.contains("Léa a pris de l’assurance en caisse.") && page.text.contains("<li>Ranger la réserve</li>"))
            #expect(page.text.contains("Ce dont Léa est fier·e"))
            let seen = try await client.post("/eleve/bilan/vu", form: ["enfant": "\(lea)"])
            #expect(seen.location == "/eleve?enfant=\(lea)&ok=vu")
            let after = try await client.get(seen.location!)
            #expect(after.text.contains("l’équipe sait que vous avez lu le bilan"))
            #expect(after.text.contains("Vu par la famille : t-famille-lea, le"))
            #expect(!after.text.contains("Vu par la famille</button>"), "once")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/eleves/\(lea)").text.contains("Vu par la famille : t-famille-lea"))
        }
    }

    @Test("nobody writes or acknowledges for a student they do not follow")
    func refusals() async throws {
        let fixture = try await WebFixture()
        let other = try await fixture.studentID("9000000002B")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-college")
            _ = try await client.get("/enseignant")
            #expect(try await client.post("/eleves/\(other)/bilan", form: ["synthese": "Non"]).status == .forbidden)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-famille-lea")
            _ = try await client.get("/eleve")
            #expect(try await client.post("/eleve/bilan/vu", form: ["enfant": "\(other)"]).status == .forbidden)
        }
    }
}
