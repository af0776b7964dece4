import AcquisApp
import AcquisStorage
import Foundation
import HTTPTypes
import Testing

/// The first run, from the link `acquis serve` prints to a direction signed in.
@Suite("Web app: a blank database opens to its school once")
struct WebSetupTests {
    static let form = [
        "uai": "0571234t", "nom": "Lycée professionnel Émile Gallé", "zone": "B",
        "nom_affiche": "Mme Lefèvre", "identifiant": "direction", "mot_de_passe": "un-mot-de-passe-long", "confirmation": "un-mot-de-passe-long",
    ]

    @Test("the setup link creates the school and the first direction account, who signs in; the link then stops working")
    func setUp() async throws {
        let fixture = try await WebFixture(blank: ())
        let app = App(storage: fixture.database)
        let token = try #require(try await app.setup.openLink())
        try await fixture.test { client in
            let page = try await client.get("/installation/\(token)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Code UAI") && page.text.contains("Zone de vacances scolaires"))
            let done = try await client.post("/installation/\(token)", form: Self.form)
            #expect(done.status == .found)
            #expect(done.location == "/connexion?installe=1")
            #expect(try await client.get("/connexion?installe=1").text.contains("L’établissement est installé"))
            let signedIn = try await client.signIn("direction", password: "un-mot-de-passe-long")
            #expect(signedIn.status == .found)
            #expect(try await client.get("/installation/\(token)").status == .notFound)
        }
        #expect(try await app.setup.isNeeded() == false)
        #expect(try await app.setup.openLink() == nil)
        let account = try #require(try await app.signIn.credentials(login: "direction")?.account)
        #expect(account.role == .admin && account.displayName == "Mme Lefèvre")
    }

    @Test("a mistake shows the form again with every value typed but the passwords, and stores nothing")
    func mistakes() async throws {
        let fixture = try await WebFixture(blank: ())
        let app = App(storage: fixture.database)
        let token = try #require(try await app.setup.openLink())
        try await fixture.test { client in
            _ = try await client.get("/installation/\(token)")
            for (field, value, message) in [("uai", "57123", "n’est pas un code UAI"), ("mot_de_passe", "court", "deux mots de passe ne sont pas les mêmes"),
                                            ("identifiant", "../../etc", "ne convient pas comme identifiant"), ("nom", "  ", "Indiquez le nom de l’établissement")] {
                var form = Self.form
                form[field] = value
                let refused = try await client.post("/installation/\(token)", form: form)
                #expect(refused.status == .unprocessableContent, "\(field)")
                #expect(refused.text.contains(message), "\(field): \(refused.text)")
                #expect(refused.text.contains("Mme Lefèvre"))
                #expect(!refused.text.contains("un-mot-de-passe-long"))
            }
            var short = Self.form
            (short["mot_de_passe"], short["confirmation"]) = ("court", "court")
            #expect(try await client.post("/installation/\(token)", form: short).text.contains("au moins 10 caractères"))
        }
        #expect(try await app.setup.isNeeded())
        #expect(try await app.setup.linkIsLive(token))
    }

    @Test("an unknown or replaced link, a script without the form token, and a set-up school all find nothing to open")
    func refusals() async throws {
        let fixture = try await WebFixture(blank: ())
        let app = App(storage: fixture.database)
        let first = try #require(try await app.setup.openLink())
        let second = try #require(try await app.setup.openLink())
        try await fixture.test { client in
            #expect(try await client.get("/installation/\(first)").status == .notFound)
            #expect(try await client.get("/installation/..%2F..%2Fetc%2Fpasswd").status == .notFound)
            #expect(try await client.get("/installation/\(String(repeating: "A", count: 5000))").status == .notFound)
            _ = try await client.get("/installation/\(second)")
            let forged = try await client.post("/installation/\(second)", form: Self.form, token: false)
            #expect(forged.status == .forbidden)
            let scripted = try await client.post("/installation/\(second)", form: Self.form, tokenIn: .header)
            #expect(scripted.status == .found)
        }
        #expect(try await app.setup.isNeeded() == false)
    }

    @Test("the demo school is set up: no link is ever opened")
    func demo() async throws {
        let fixture = try await WebFixture()
        #expect(try await App(storage: fixture.database).setup.openLink() == nil)
    }
}
