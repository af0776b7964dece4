import AcquisTestSupport
import Foundation
import HTTPTypes
import Testing

/// Accounts made by the school's team, letters to print, first sign-in with the letter's code.
@Suite("Web app: accounts and their letters")
struct WebAccountTests {
    /// The letters of a batch as the CSV for mail merge gives them: login → code.
    func codes(_ client: WebClient, batch: String) async throws -> [String: String] {
        let csv = try await client.get(batch + "/comptes.csv")
        #expect(csv.status == .ok)
        #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
        var codes: [String: String] = [:]
        for line in csv.text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ";").map(String.init)
            codes[fields[3]] = fields[4]
        }
        return codes
    }

    func activate(_ client: WebClient, _ login: String, code: String, password: String = "mon-mot-de-passe-a-moi") async throws -> WebClient.Page {
        _ = try await client.get("/activation")
        return try await client.post("/activation", form: ["identifiant": login, "code": code, "mot_de_passe": password, "confirmation": password])
    }

    @Test("a class's students get accounts and letters; a student activates with the code once, then signs in with the password chosen")
    func studentAccounts() async throws {
        let fixture = try await WebFixture()
        let (batch, codes) = try await fixture.test { client -> (String, [String: String]) in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            let made = try await client.post("/direction/comptes/eleves", form: ["classe": "2CAP-EPC"])
            let batch = try #require(made.location)
            let page = try await client.get(batch)
            #expect(page.text.contains("comptes créés"))
            #expect(page.text.contains("déjà un compte"), "Léa has the demo's account")
            #expect(!page.text.contains("mot de passe :"))
            return (batch, try await self.codes(client, batch: batch))
        }
        #expect(codes.count > 5)
        let (login, code) = try #require(codes.first { $0.key == "ines.lefevre" })
        #expect(code.count == 9 && code.contains("-"))
        try await fixture.test { client -> Void in
            let wrong = try await self.activate(client, login, code: "AAAA-AAAA")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("code d’activation incorrect"))
            let short = try await self.activate(client, login, code: code, password: "court")
            #expect(short.text.contains("au moins 10 caractères"))
            let done = try await self.activate(client, login, code: code.lowercased().replacingOccurrences(of: "-", with: " "))
            #expect(done.status == .found && done.location == "/eleve")
            #expect(try await client.get("/eleve").status == .ok)
        }
        try await fixture.test { client -> Void in
            let again = try await self.activate(client, login, code: code)
            #expect(again.status == .unauthorized, "a code serves once")
            let signedIn = try await client.signIn(login, password: "mon-mot-de-passe-a-moi")
            #expect(signedIn.location == "/eleve")
        }
        _ = batch
    }

    @Test("a level's classes get their accounts in one step, as ticked; nothing ticked is refused; an unknown class too")
    func level() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/comptes")
            #expect(page.text.contains("Créer ceux de tout l’établissement"))
            let none = try await client.post("/direction/comptes/eleves", form: ["portee": "classes"])
            #expect(none.status == .badRequest && none.text.contains("Cochez au moins une classe"))
            let unknown = try await client.post("/direction/comptes/eleves", form: ["portee": "classes", "classes[]": "9Z"])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("9Z"))
            let made = try #require(try await client.post("/direction/comptes/eleves",
                                                          form: ["portee": "classes", "classes[]": "3A"]).location)
            let csv = try await client.get(made + "/comptes.csv").text
            #expect(csv.contains(";élève;3A;") && !csv.contains(";élève;2CAP-EPC;"), "\(csv.prefix(300))")
        }
        let accounts = try await fixture.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account WHERE role = 'student' AND login NOT LIKE 't-%' AND login <> 'eleve'")
        }
        #expect(accounts == 24, "the 24 students of 3A, nobody else")
    }

    @Test("the letters PDF has one page per person, with the school, the address, the login and the code", .enabled(if: Poppler.available))
    func lettersPDF() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            let batch = try #require(try await client.post("/direction/comptes/eleves", form: ["classe": "2CAP-EPC"]).location)
            let codes = try await self.codes(client, batch: batch)
            let pdf = try await client.get(batch + "/lettres.pdf")
            #expect(pdf.headers[.contentType] == "application/pdf")
            let path = Fixtures.file(bytes: pdf.bytes, named: "lettres.pdf")
            let text = try Poppler.text(path)
            let info = try Poppler.run("pdfinfo", path)
            #expect(info.firstMatch(of: /Pages:\s+(\d+)/)?.1 == "\(codes.count)", "\(info)")
            #expect(text.contains("Ton compte Acquis"))
            #expect(text.contains("Cité scolaire des Tilleuls (fictive)"))
            #expect(text.contains("Bonjour Inès LEFÈVRE,"))
            #expect(text.contains("/activation"))
            for (login, code) in codes {
                #expect(text.contains("Identifiant : \(login)") && text.contains("Code d’activation : \(code)"), "\(login)")
            }
        }
    }

    @Test("a teacher's account teaches the classes ticked; a disabled account signs in no more, until re-enabled")
    func teacherAndDisabling() async throws {
        let fixture = try await WebFixture()
        let code = try await fixture.test { client -> String in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            let made = try await client.post("/direction/comptes/enseignants",
                                             form: ["prenom": "Émilie", "nom": "Dupré", "classes[]": "2CAP-EPC"])
            let batch = try #require(made.location, "\(made.status) \(made.text)")
            return try #require(try await self.codes(client, batch: batch)["emilie.dupre"])
        }
        try await fixture.test { client -> Void in
            let activated = try await self.activate(client, "emilie.dupre", code: code)
            #expect(activated.location == "/enseignant")
            let home = try await client.get("/enseignant")
            #expect(home.text.contains("2CAP-EPC"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            #expect(try await client.post("/direction/comptes/emilie.dupre/desactivation", form: [:]).location == "/direction/comptes?ok=desactive")
            #expect(try await client.get("/direction/comptes").text.contains("désactivé"))
        }
        try await fixture.test { client -> Void in
            let refused = try await client.signIn("emilie.dupre", password: "mon-mot-de-passe-a-moi")
            #expect(refused.status == .unauthorized)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            _ = try await client.post("/direction/comptes/emilie.dupre/reactivation", form: [:])
        }
        try await fixture.test { client -> Void in
            let back = try await client.signIn("emilie.dupre", password: "mon-mot-de-passe-a-moi")
            #expect(back.location == "/enseignant")
        }
    }

    @Test("only the school's team manages accounts; an unknown login is not found; nobody disables their own account")
    func refusals() async throws {
        let fixture = try await WebFixture()
        for login in ["t-lycee", "t-lea", "t-famille-lea", "t-inspection"] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                #expect(try await client.get("/direction/comptes").status == .forbidden, "\(login)")
                _ = try await client.get("/activation")
                #expect(try await client.post("/direction/comptes/eleves", form: ["classe": "2CAP-EPC"]).status == .forbidden, "\(login)")
                #expect(try await client.post("/direction/comptes/t-lea/code", form: [:]).status == .forbidden, "\(login)")
            }
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/comptes")
            #expect(try await client.post("/direction/comptes/personne/code", form: [:]).status == .notFound)
            #expect(try await client.post("/direction/comptes/t-direction/desactivation", form: [:]).status == .notFound)
            #expect(try await client.get("/direction/comptes/lettres/999999").status == .notFound)
            #expect(try await client.post("/direction/comptes/enseignants", form: ["prenom": " ", "nom": "X"]).status == .unprocessableContent)
        }
    }
}

/// The same operations for the school's own scripts.
@Suite("API: accounts and class referentials")
struct APISchoolTests {
    @Test("the school's team makes accounts and gets their codes once; a teacher is refused; a class follows a referential")
    func accounts() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            let session = try await client.api("/api/v1/session", method: .post,
                                               json: #"{"identifiant": "t-direction", "motDePasse": "\#(WebFixture.password)"}"#)
            #expect(session.status == .ok)
            let made = try await client.api("/api/v1/comptes/eleves", method: .post, json: #"{"classe": "2CAP-EPC"}"#)
            #expect(made.status == .created)
            #expect(made.text.contains("\"code\"") && made.text.contains("ines.lefevre"))
            let list = try await client.api("/api/v1/comptes")
            #expect(list.text.contains("\"etat\":\"en-attente\"") || list.text.contains("\"etat\" : \"en-attente\""))
            let wrong = try await client.api("/api/v1/classes/2CAP-EPC/referentiels", method: .put, json: #"{"CAP-EPC": "1999"}"#)
            #expect(wrong.status == .unprocessableContent)
            let set = try await client.api("/api/v1/classes/2CAP-EPC/referentiels", method: .put, json: #"{"CAP-EPC": "2019", "BACPRO-ACCUEIL": "2019"}"#)
            #expect(set.status == .noContent)
            let read = try await client.api("/api/v1/classes/2CAP-EPC/referentiels")
            #expect(read.text.contains("\"suivie\":\"2019\""), "\(read.text.prefix(300))")
        }
        try await fixture.test { client -> Void in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-lycee", "motDePasse": "\#(WebFixture.password)"}"#)
            let refused = try await client.api("/api/v1/comptes/eleves", method: .post, json: #"{"classe": "2CAP-EPC"}"#)
            #expect(refused.status == .forbidden)
        }
    }
}
