import Foundation
import HTTPTypes
import Testing

/// Direction says which referentials each class follows; the grid and the students follow.
@Suite("Web app: the referentials a class follows")
struct WebClassReferentialTests {
    @Test("a class made to follow a referential offers it first, its students self-evaluate in it; unfollowed, they cannot")
    func follow() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            let before = try await client.post("/eleve/auto-evaluations", form: ["competence": "BACPRO-ACCUEIL|B1.1", "niveau": "3"])
            #expect(before.status == .forbidden, "not followed yet: refused")
            #expect(before.text.contains("ne suit pas le référentiel « BACPRO-ACCUEIL »"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            #expect(page.status == .ok)
            #expect(page.text.contains("BACPRO-ACCUEIL") && page.text.contains("Non suivi"))
            let saved = try await client.post("/direction/classes/2CAP-EPC/referentiels",
                                              form: ["CAP-EPC": "2019", "BACPRO-ACCUEIL": "2019", "INCONNU": "1", "../x": "y"])
            #expect(saved.location == "/direction/classes/2CAP-EPC/referentiels?enregistre=1")
            let back = try await client.get(saved.location!)
            #expect(back.text.contains("Choix enregistré"))
            #expect(back.text.contains("<option value=\"2019\" selected>Version 2019</option>"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let grid = try await client.get("/classes/2CAP-EPC")
            #expect(grid.status == .ok)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            let after = try await client.post("/eleve/auto-evaluations", form: ["competence": "BACPRO-ACCUEIL|B1.1", "niveau": "3"])
            #expect(after.location == "/eleve?ok=auto", "\(after.status) \(after.text.firstMatch(of: /role="alert">([^<]*)/)?.1 ?? "")")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            _ = try await client.post("/direction/classes/2CAP-EPC/referentiels", form: ["CAP-EPC": "2019", "BACPRO-ACCUEIL": ""])
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            let again = try await client.post("/eleve/auto-evaluations", form: ["competence": "BACPRO-ACCUEIL|B1.2", "niveau": "3"])
            #expect(again.status == .forbidden, "unfollowed: refused again")
        }
    }

    @Test("only the school's team chooses; a teacher and a student are refused, an unknown class is refused")
    func roles() async throws {
        let fixture = try await WebFixture()
        for login in ["t-lycee", "t-lea"] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                let page = try await client.get("/direction/classes/2CAP-EPC/referentiels")
                #expect(page.status == .forbidden, "\(login)")
            }
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let unknown = try await client.get("/direction/classes/NOPE/referentiels")
            #expect(unknown.status == .forbidden || unknown.status == .notFound)
        }
    }
}
