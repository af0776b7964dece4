import AcquisCore
import AcquisStore
import AcquisTestSupport
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
            for hostile in [["INCONNU": "1"], ["../x": "y"], ["CAP-EPC": "1999"]] {
                let refused = try await client.post("/direction/classes/2CAP-EPC/referentiels", form: ["CAP-EPC": "2019"].merging(hostile) { $1 })
                #expect(refused.status == .unprocessableContent, "\(hostile)")
                #expect(refused.text.contains("aucun référentiel \(hostile.keys.first!) en version \(hostile.values.first!)"))
            }
            let unchanged = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            #expect(!unchanged.text.contains("selected>Version 2019</option>"), "a refused form changes nothing")
            let saved = try await client.post("/direction/classes/2CAP-EPC/referentiels",
                                              form: ["CAP-EPC": "2019", "BACPRO-ACCUEIL": "2019", "LPC-PALIER3": ""])
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

    @Test("in an académie's database the grid and direction's page list the class's referentials, and find the others by searching")
    func academie() async throws {
        let fixture = try await Self.academie(national: 30)
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let grid = try await client.get("/classes/2CAP-EPC")
            #expect(grid.status == .ok)
            #expect(grid.text.contains("name=\"recherche\" type=\"search\""))
            #expect(!grid.text.contains("RNCP40012"), "thirty-five referentials stored: the others are searched for")
            let found = try await client.get("/classes/2CAP-EPC?recherche=n%C2%B012+conseiller")
            #expect(found.text.contains("<option value=\"RNCP40012\" selected>"), "the grid shows what the search found")
            // As sent in the address: ../.., a script, 5,000 « é », a NUL, a byte that is not UTF-8.
            for hostile in ["zzz", "..%2F..", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", String(repeating: "%C3%A9", count: 5_000), "%00", "%ff"] {
                let none = try await client.get("/classes/2CAP-EPC?recherche=" + hostile)
                #expect(none.status == .ok, "\(hostile.prefix(12))")
                #expect(none.text.contains("Aucun référentiel ne correspond"), "\(hostile.prefix(12))")
                #expect(!none.text.contains("<script>alert"))
            }
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            #expect(page.text.contains("Chercher un autre référentiel") && !page.text.contains("RNCP40029"))
            let found = try await client.get("/direction/classes/2CAP-EPC/referentiels?recherche=40029")
            #expect(found.text.contains("<strong>RNCP40029</strong>"))
            let saved = try await client.post("/direction/classes/2CAP-EPC/referentiels", form: ["RNCP40029": "1", "CAP-EPC": "2019"])
            #expect(saved.location == "/direction/classes/2CAP-EPC/referentiels?enregistre=1")
            let scripted = try await client.post("/direction/classes/2CAP-EPC/referentiels", form: ["RNCP40029": "1", "CAP-EPC": "2019"],
                                                 tokenIn: .header)
            #expect(scripted.location == "/direction/classes/2CAP-EPC/referentiels?enregistre=1", "the token in a header, as a script sends it")
            let back = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            #expect(back.text.contains("<strong>RNCP40029</strong>"), "followed now: listed without a search")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let grid = try await client.get("/classes/2CAP-EPC")
            #expect(grid.text.contains("<option value=\"RNCP40029\">"), "the class follows it: offered")
        }
    }

    @Test("an inspector's list shows the referentials imported last, says how many are stored, and finds the others")
    func inspectorsList() async throws {
        let fixture = try await Self.academie(national: 60)
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-inspection")
            let list = try await client.get("/inspection")
            #expect(list.status == .ok)
            #expect(list.text.contains("Les 50 derniers référentiels publiés, sur 65"), "\(list.text.firstMatch(of: /<caption>[^<]*/)?.0 ?? "")")
            #expect(list.text.contains(">RNCP40059</a>") && !list.text.contains(">RNCP40009</a>"), "the last imported first")
            let found = try await client.get("/inspection?recherche=CAP+%C3%A9quipier")
            #expect(found.text.contains(">CAP-EPC</a>") && !found.text.contains(">RNCP40059</a>"))
            #expect(found.text.contains("Référentiels trouvés"))
            #expect(found.text.contains("value=\"CAP équipier\""), "a space as the browser sends it, « + », is shown as typed")
            #expect(try await client.get("/inspection?recherche=a%2Bb").text.contains("value=\"a+b\""), "a « + » typed stays one")
            for hostile in ["zzz", "%00", "%ff", "%3Cscript%3E", String(repeating: "a", count: 20_000)] {
                let none = try await client.get("/inspection?recherche=" + hostile)
                #expect(none.status == .ok && none.text.contains("Aucun référentiel publié ne correspond"), "\(hostile.prefix(12))")
                #expect(!none.text.contains("<script>"))
            }
        }
    }

    /// The demo school's database with `count` national referentials more: an académie's.
    static func academie(national count: Int) async throws -> WebFixture {
        let fixture = try await WebFixture()
        try await fixture.database.writer.write { db in
            for number in 0..<count {
                _ = try ReferentialStore().save(Fixtures.nationalReferential(number), format: "rncp", in: db)
            }
        }
        return fixture
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
