import AcquisApp
import AcquisExport
import AcquisTestSupport
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The portfolio in the browser and through the API: a student adds what they made, those who
/// follow the student see it, nobody else reaches the file, and nothing of a refused file is kept.
@Suite("Web app: portfolio of productions")
struct WebPortfolioTests {
    static let photo = { try! Array(Fixtures.production("photo-gps.jpg")) }()

    func productions(_ fixture: WebFixture) async throws -> Int {
        try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM production")! }
    }

    @Test("a student adds a photo from the form: kept without its GPS position, shown to teacher and family, refused to others")
    func studentAddsAPhoto() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let id = try await fixture.test { client -> Int64 in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve/portfolio")
            #expect(page.status == .ok)
            #expect(page.text.contains("Ton portfolio est encore vide"))
            #expect(page.text.contains("value=\"CAP-EPC|B1.1\""), "the competencies of Léa's class are offered")
            let sent = try await client.multipart("/eleves/\(lea)/productions",
                                                  fields: ["titre": "Vitrine <de> Noël", "date": "2026-11-20", "contexte": "atelier"],
                                                  repeated: [("competences", "CAP-EPC|B1.1"), ("competences", "CAP-EPC|B1.2")],
                                                  file: ("fichier", "IMG_0042.JPG", Self.photo))
            #expect(sent.status == .found)
            #expect(sent.location == "/eleve/portfolio?ok=ajout")
            let list = try await client.get("/eleve/portfolio?ok=ajout")
            #expect(list.text.contains("La production est ajoutée au portfolio."))
            #expect(list.text.contains("Vitrine &lt;de&gt; Noël"))
            #expect(list.text.contains("B1.1 – ") && list.text.contains("B1.2 – "))
            #expect(list.text.contains("en atelier"))
            let id = try #require(list.text.firstMatch(of: /\/productions\/(\d+)\/vignette/).map { Int64($0.1)! })
            let file = try await client.get("/productions/\(id)/fichier")
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/jpeg")
            #expect(file.headers[.xContentTypeOptions] == "nosniff")
            #expect(file.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(!file.bytes.contains(subsequence: Array("Exif".utf8)))
            #expect(file.bytes != Self.photo)
            #expect(try await client.get("/productions/\(id)/vignette").headers[.contentType] == "image/jpeg")
            return id
        }
        for (login, page, status) in [("t-lycee", "/eleves/\(lea)/portfolio", 200), ("t-famille-lea", "/eleve/portfolio", 200),
                                      ("t-direction", "/eleves/\(lea)/portfolio", 200), ("t-college", "/eleves/\(lea)/portfolio", 403)] {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                let seen = try await client.get(page)
                #expect(Int(seen.status.code) == status, "\(login)")
                #expect(seen.text.contains("Vitrine &lt;de&gt; Noël") == (status == 200), "\(login)")
                #expect(Int(try await client.get("/productions/\(id)/fichier").status.code) == status, "\(login)")
            }
        }
        for login in ["t-autre", "t-inspection", "t-academie"] {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                #expect(try await client.get("/productions/\(id)/fichier").status == .forbidden, "\(login)")
                #expect(try await client.get("/productions/\(id)/vignette").status == .forbidden, "\(login)")
            }
        }
        try await fixture.test { client in
            let signedOut = try await client.get("/productions/\(id)/fichier")
            #expect(signedOut.status == .found, "signed out: to the sign-in page")
        }
    }

    @Test("the same form posted by a script, the token in a header, works; without a token it is refused")
    func scriptedForm() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)/portfolio")
            let sent = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Fiche produit"],
                                                  file: ("fichier", "fiche.txt", Array("Fiche produit : un parfum.\n".utf8)), tokenIn: .header)
            #expect(sent.status == .found)
            #expect(sent.location == "/eleves/\(lea)/portfolio?ok=ajout")
            let forged = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Sans jeton"],
                                                    file: ("fichier", "f.txt", Array("x\n".utf8)), tokenIn: .none)
            #expect(forged.status == .forbidden)
        }
        #expect(try await productions(fixture) == 1)
    }

    @Test("a refused file shows the form again with the reason and the title typed; nothing is kept")
    func refusedFile() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8) + [2, 0, 0x3E, 0] + [UInt8](repeating: 0, count: 108)
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            let program = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Mon rapport"],
                                                     file: ("fichier", "rapport.pdf", elf))
            #expect(program.status == .unprocessableContent)
            #expect(program.text.contains("ni une photo"), "\(program.text)")
            #expect(program.text.contains("value=\"Mon rapport\""))
            let empty = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Vide"], file: ("fichier", "vide.jpg", []))
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Le fichier est vide."))
            let bomb = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Bombe"],
                                                  file: ("fichier", "b.png", Array(try Fixtures.production("bombe.png"))))
            #expect(bomb.text.contains("100000 × 100000 pixels"))
            let future = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Demain", "date": "2099-01-01"],
                                                    file: ("fichier", "p.jpg", Self.photo))
            #expect(future.text.contains("dans le futur"))
            let badDate = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Date", "date": "../../etc"],
                                                     file: ("fichier", "p.jpg", Self.photo))
            #expect(badDate.status == .badRequest)
            let other = try await fixture.studentID("9000000002B")
            let forOther = try await client.multipart("/eleves/\(other)/productions", fields: ["titre": "Pas à moi"],
                                                      file: ("fichier", "p.jpg", Self.photo))
            #expect(forOther.status == .forbidden)
        }
        #expect(try await productions(fixture) == 0)
    }

    @Test("through the API: a JPEG body adds a production (201), an oversized one answers 413, a program 422, in French")
    func api() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-lycee", "motDePasse": "\#(WebFixture.password)"}"#)
            let added = try await client.api("/api/v1/eleves/\(lea)/productions?titre=Accueil%20client&competences=CAP-EPC:B1.1&date=20/11/2026&contexte=pfmp",
                                             method: .post, body: Self.photo, type: "image/jpeg")
            #expect(added.status == .created, "\(added.text)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(added.bytes)) as? [String: Any])
            #expect(json["titre"] as? String == "Accueil client")
            #expect(json["date"] as? String == "2026-11-20")
            #expect(json["contexte"] as? String == "pfmp")
            #expect((json["competences"] as? [[String: String]])?.first?["code"] == "B1.1")
            let list = try await client.api("/api/v1/eleves/\(lea)/productions")
            #expect(list.text.contains("\"titre\":\"Accueil client\""))
            // A visitor's body to the same address is refused at the common limit, before it is read in full.
            let anonymous = try await fixture.test { visitor in
                try await visitor.send(raw: "/api/v1/eleves/\(lea)/productions?titre=Gros", type: "image/jpeg",
                                       body: [UInt8](repeating: 0xFF, count: 20 * 1_048_576))
            }
            #expect(anonymous.status == .contentTooLarge && anonymous.text.contains("8 Mo"), "\(anonymous.status)")
            let huge = [UInt8](repeating: 0xFF, count: 11 * 1_048_576)
            let tooLarge = try await client.api("/api/v1/eleves/\(lea)/productions?titre=Gros", method: .post, body: huge, type: "image/jpeg")
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.text.contains("10\u{A0}Mo"), "\(tooLarge.text)")
            let program = try await client.api("/api/v1/eleves/\(lea)/productions?titre=Prog", method: .post,
                                               body: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 120),
                                               type: "application/pdf")
            #expect(program.status == .unprocessableContent)
            #expect(program.text.contains("\"erreur\""))
            let badList = try await client.api("/api/v1/eleves/\(lea)/productions?titre=T&competences=B1.1", method: .post,
                                               body: Self.photo, type: "image/jpeg")
            #expect(badList.status == .unprocessableContent)
            #expect(badList.text.contains("CAP-EPC:B1.1,B1.2"))
            let badContext = try await client.api("/api/v1/eleves/\(lea)/productions?titre=T&contexte=..%2F..", method: .post,
                                                  body: Self.photo, type: "image/jpeg")
            #expect(badContext.status == .badRequest)
            #expect(try await client.api("/api/v1/eleves/..%2F..%2Fetc/productions").status != .ok)
        }
        #expect(try await productions(fixture) == 1)
    }

    @Test("the student writes about a production; the family reads it; a teacher cannot write it")
    func reflection() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let id = try await fixture.test { client -> Int64 in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Étiquetage"], file: ("fichier", "p.png",
                                           Array(try Fixtures.production("dessin.png"))))
            let page = try await client.get("/eleve/portfolio")
            let id = try #require(page.text.firstMatch(of: /production-(\d+)/).map { Int64($0.1)! })
            let saved = try await client.post("/productions/\(id)/reflexion", form: ["reflexion": "J’ai appris à étiqueter les prix."])
            #expect(saved.status == .found)
            // A form this server did not write (a field twice, a field missing) is the sender's mistake: 400, not 500.
            for body in ["reflexion=a&reflexion=b", "autre=x"] {
                let odd = try await client.send(raw: "/productions/\(id)/reflexion", type: "application/x-www-form-urlencoded", body: Array(body.utf8))
                #expect(odd.status == .badRequest, "\(body): \(odd.status)")
            }
            return id
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-famille-lea")
            let page = try await client.get("/eleve/portfolio")
            #expect(page.text.contains("J’ai appris à étiqueter les prix."))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)/portfolio")
            #expect(try await client.post("/productions/\(id)/reflexion", form: ["reflexion": "Non"]).status == .forbidden)
        }
    }

    @Test("a teacher opens a production and records levels on its competencies in one step; the evidence cites it")
    func evaluateFromTheProduction() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let id = try await fixture.test { client -> Int64 in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Fiche de réception", "date": "2026-11-20"],
                                           repeated: [("competences", "CAP-EPC|B1.2")], file: ("fichier", "p.jpg", Self.photo))
            let page = try await client.get("/eleve/portfolio")
            #expect(!page.text.contains("Évaluer à partir de cette production"), "a student does not evaluate")
            let id = try #require(page.text.firstMatch(of: /production-(\d+)/).map { Int64($0.1)! })
            #expect(try await client.post("/productions/\(id)/evaluations", form: ["n-CAP-EPC|B1.2": "A"]).status == .forbidden)
            return id
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/eleves/\(lea)/portfolio")
            #expect(page.text.contains("Évaluer à partir de cette production"))
            #expect(page.text.contains("name=\"n-CAP-EPC|B1.2\""))
            let refused = try await client.post("/productions/\(id)/evaluations", form: ["n-CAP-EPC|B1.1": "A"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("La production ne montre pas CAP-EPC B1.1"))
            let saved = try await client.post("/productions/\(id)/evaluations", form: ["n-CAP-EPC|B1.2": "A", "commentaire": "Bon contrôle"])
            #expect(saved.status == .found)
            #expect(saved.location == "/eleves/\(lea)/portfolio?ok=evaluation#production-\(id)")
            let history = try await client.get("/eleves/\(lea)")
            #expect(history.text.contains("<a href=\"/productions/\(id)/fichier\">Production « Fiche de réception »</a>"), "\(history.text)")
            let standing = try await client.get("/eleves/\(lea)/competences/B1.2?referentiel=CAP-EPC")
            #expect(standing.text.contains("Preuve : <a href=\"/productions/\(id)/fichier\">Production « Fiche de réception »</a>"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            #expect(try await client.post("/productions/\(id)/evaluations", form: ["n-CAP-EPC|B1.2": "A"]).status == .forbidden)
        }
    }

    @Test("a badge earned from a production points to it once the student shares it; the page shows it without a name, until withdrawn")
    func badgeEvidence() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        // Léa's badge of B1.1, as the demo awarded it: the production is made on or before that day.
        let (uuid, awardedOn) = try await fixture.database.writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT a.uuid, a.awardedOn FROM badgeAward a JOIN badgeClass b ON b.id = a.badgeClassId
                WHERE a.studentId = ? AND b.code = 'CAP-EPC-2019-B1.1' AND a.revokedAt IS NULL
                """, arguments: [lea])!
            return (row["uuid"] as String, row["awardedOn"] as String)
        }
        let id = try await fixture.test { client -> Int64 in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Accueil d’un client", "date": awardedOn],
                                           repeated: [("competences", "CAP-EPC|B1.1")], file: ("fichier", "p.jpg", Self.photo))
            return try #require(try await client.get("/eleve/portfolio").text.firstMatch(of: /production-(\d+)/).map { Int64($0.1)! })
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/eleves/\(lea)/portfolio")
            #expect(try await client.post("/productions/\(id)/evaluations", form: ["n-CAP-EPC|B1.1": "A"]).status == .found)
        }
        /// The OB 3.0 credential baked in Léa's badge, as she downloads it.
        @Sendable func credential(_ client: WebClient) async throws -> String {
            let svg = try await client.get("/badges/\(uuid)/badge.svg").text
            let token = try #require(svg.firstMatch(of: /eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/)?.1)
            var payload = String(token).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
            return String(decoding: try #require(Data(base64Encoded: payload)), as: UTF8.self)
        }
        let address = try await fixture.test { client -> String in
            _ = try await client.signIn("t-lea")
            let before = try await credential(client)
            #expect(before.contains("Production « Accueil d’un client »") && !before.contains("/preuve/"), "named, not pointed to")
            _ = try await client.get("/eleve/portfolio")
            #expect(try await client.post("/eleve/partages", form: ["productions": "\(id)", "duree": "30", "prenom": "oui"]).status == .ok)
            let after = try await credential(client)
            let address = try #require(after.firstMatch(of: /"id":"https?:\/\/[^"\/]*(\/preuve\/[A-Za-z0-9_-]{43})","name":"Production « Accueil d’un client »"/)?.1)
            #expect(!after.contains("Léa"), "the first name the share page shows stays out of the badge")
            return String(address)
        }
        try await fixture.test { visitor in
            let page = try await visitor.get(address)
            #expect(page.status == .ok)
            #expect(page.text.contains("Accueil d’un client") && page.text.contains("la preuve d’un de ses badges"))
            #expect(!page.text.contains("Léa") && !page.text.contains("MARTIN"))
            #expect(try await visitor.get("\(address)/fichier").headers[.contentType] == "image/jpeg")
            #expect(try await visitor.get("\(address)/vignette").status == .ok)
            for forged in ["/preuve/" + String(repeating: "A", count: 43), "/preuve/..%2F..%2Fetc%2Fpasswd", "/preuve/%00/fichier"] {
                #expect(try await visitor.get(forged).status == .notFound, "\(forged)")
            }
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve/portfolio")
            let share = try #require(page.text.firstMatch(of: /action="\/eleve\/partages\/(\d+)\/retrait"/)?.1)
            _ = try await client.post("/eleve/partages/\(share)/retrait", form: [:])
            let withdrawn = try await credential(client)
            #expect(!withdrawn.contains("/preuve/"), "withdrawn: new downloads stop pointing to it")
        }
        try await fixture.test { visitor in
            let (page, file) = (try await visitor.get(address), try await visitor.get("\(address)/fichier"))
            #expect(page.status == .notFound && file.status == .notFound)
        }
    }

    @Test("a student shares one production: the public page shows it without a name, its file only; withdrawn, the link answers 404")
    func shareLink() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let (link, shown, kept) = try await fixture.test { client -> (String, Int64, Int64) in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            for title in ["Vitrine de Noël", "Brouillon"] {
                _ = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": title], file: ("fichier", "p.jpg", Self.photo))
            }
            let page = try await client.get("/eleve/portfolio")
            let ids = page.text.matches(of: /id="production-(\d+)"/).map { Int64($0.1)! }
            #expect(ids.count == 2)
            let (brouillon, vitrine) = (ids[0], ids[1])
            let created = try await client.post("/eleve/partages", form: ["productions": "\(vitrine)", "duree": "30"])
            #expect(created.status == .ok)
            #expect(created.text.contains("Copie-le maintenant"))
            let link = try #require(created.text.firstMatch(of: /value="http:\/\/[^"\/]*(\/partage\/[A-Za-z0-9_-]{43})"/)?.1)
            let scripted = try await client.post("/eleve/partages", form: ["productions": "\(brouillon)", "duree": "365"], tokenIn: .header)
            #expect(scripted.status == .ok && scripted.text.contains("/partage/"), "a script's post, token in a header")
            let none = try await client.post("/eleve/partages", form: ["duree": "30"])
            #expect(none.status == .unprocessableContent && none.text.contains("Coche au moins une production"))
            return (String(link), vitrine, brouillon)
        }
        try await fixture.test { visitor in
            let page = try await visitor.get(link)
            #expect(page.status == .ok)
            #expect(page.text.contains("Vitrine de Noël") && !page.text.contains("Brouillon"))
            #expect(!page.text.contains("Léa") && !page.text.contains("MARTIN"), "no name unless the student adds it")
            #expect(try await visitor.get("\(link)/\(shown)/fichier").headers[.contentType] == "image/jpeg")
            #expect(try await visitor.get("\(link)/\(kept)/fichier").status == .notFound, "a production not shared")
            #expect(try await visitor.get("/productions/\(shown)/fichier").status == .found, "the private address asks for a sign-in")
            #expect(try await visitor.get("/partage/" + String(repeating: "A", count: 43)).status == .notFound)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve/portfolio")
            #expect(page.text.contains("« Vitrine de Noël » · sans ton nom · ouvert jusqu’au"))
            #expect(page.text.contains("« Brouillon » · sans ton nom · ouvert jusqu’au"))
            let shares = page.text.matches(of: /action="\/eleve\/partages\/(\d+)\/retrait"/).map { String($0.1) }
            #expect(shares.count == 2)
            for share in shares { #expect(try await client.post("/eleve/partages/\(share)/retrait", form: [:]).status == .found) }
        }
        try await fixture.test { visitor in
            let closed = try await visitor.get(link)
            #expect(closed.status == .notFound)
            #expect(closed.text.contains("Ce lien de partage n’ouvre plus rien"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-autre")
            #expect(try await client.post("/eleve/partages", form: ["productions": "\(shown)", "duree": "30"]).status == .forbidden)
        }
    }

    @Test("the student downloads their whole portfolio as a ZIP; the family downloads their child's; a teacher cannot use that address")
    func download() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Vitrine"], file: ("fichier", "p.jpg", Self.photo))
            let page = try await client.get("/eleve/portfolio")
            #expect(page.text.contains("href=\"/eleve/portfolio.zip\""))
            let zip = try await client.get("/eleve/portfolio.zip")
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            #expect(zip.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            #expect(zip.bytes.contains(subsequence: Array("productions/001-vitrine.jpg".utf8)))
            #expect(zip.bytes.contains(subsequence: Array("portfolio.json".utf8)))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-famille-lea")
            let zip = try await client.get("/eleve/portfolio.zip?enfant=\(lea)")
            #expect(zip.status == .ok && zip.bytes.contains(subsequence: Array("productions/001-vitrine.jpg".utf8)))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/eleve/portfolio.zip").status == .forbidden)
        }
    }

    /// Léa's package from a school of another installation: a copy of the demo whose direction
    /// made a new key the other copies never saw, with the fingerprint its issuer page shows.
    static func packageFromAnotherInstallation() async throws -> (package: [UInt8], fingerprint: String) {
        let before = try await WebFixture()
        let leaBefore = try await before.studentID("9000000001A")
        return try await before.test { client -> ([UInt8], String) in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/emetteur")
            #expect(try await client.post("/direction/emetteur/cles", form: ["algorithme": "RS256"]).status == .found)
            let issuer = try await client.get("/direction/emetteur").text
            let fingerprint = try #require(issuer.firstMatch(of: /id="empreinte-portfolios">([0-9A-F ]+)<\/code>/)?.1)
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(leaBefore)/productions", fields: ["titre": "Vitrine de l’ancien lycée"],
                                           file: ("fichier", "p.jpg", Self.photo))
            return (try await client.get("/eleve/portfolio.zip").bytes, String(fingerprint))
        }
    }

    @Test("a package signed by a school this one does not know waits until direction confirms its key's fingerprint, the one that school reads on its issuer page")
    func anotherSchoolsKey() async throws {
        let (package, published) = try await Self.packageFromAnotherInstallation()
        let after = try await WebFixture()
        let lea = try await after.studentID("9000000001A")
        try await after.test { client in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/eleves/\(lea)/portfolio")
            let asked = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(asked.status == .unprocessableContent && asked.text.contains("n’a pas encore confirmé la clé"), "\(asked.text)")
            let shown = try #require(asked.text.firstMatch(of: /name="empreinte" value="([0-9A-F ]+)"/)?.1)
            #expect(String(shown) == published, "the fingerprint asked is the one the previous school reads on its issuer page")
            let wrong = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: ["empreinte": String(repeating: "0", count: 64)],
                                                   file: ("archive", "lea.zip", package))
            #expect(wrong.status == .unprocessableContent)
            let received = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: ["empreinte": String(shown)],
                                                      file: ("archive", "lea.zip", package))
            #expect(received.location == "/eleves/\(lea)/portfolio?ok=recu", "\(received.text)")
            let again = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(again.location == "/eleves/\(lea)/portfolio?ok=recu", "once trusted, without the step")

            let issuer = try await client.get("/direction/emetteur").text
            #expect(issuer.contains("<strong>Cité scolaire des Tilleuls (fictive)</strong>") && issuer.contains(published))
            let signer = try #require(issuer.firstMatch(of: /action="\/direction\/emetteur\/confiance\/(\d+)\/retrait"/)?.1)
            #expect(try await client.post("/direction/emetteur/confiance/999999/retrait", form: [:]).status == .forbidden)
            let withdrawn = try await client.post("/direction/emetteur/confiance/\(signer)/retrait", form: [:], tokenIn: .header)
            #expect(withdrawn.location == "/direction/emetteur?confiance=retrait", "a script's post, token in a header")
            #expect(!(try await client.get("/direction/emetteur").text.contains("<strong>Cité scolaire des Tilleuls (fictive)</strong>")))
            let asksAgain = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(asksAgain.status == .unprocessableContent)
        }
        try await after.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.post("/direction/emetteur/confiance/1/retrait", form: [:]).status == .forbidden)
        }
    }

    @Test("a portfolio received from the previous school shows apart, « établissement précédent », to the student and their teacher, and downloads as received")
    func previousSchool() async throws {
        let before = try await WebFixture(), after = try await WebFixture()
        let leaBefore = try await before.studentID("9000000001A"), lea = try await after.studentID("9000000001A")
        let package = try await before.test { client -> [UInt8] in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            _ = try await client.multipart("/eleves/\(leaBefore)/productions", fields: ["titre": "Vitrine de l’ancien lycée"],
                                           file: ("fichier", "p.jpg", Self.photo))
            return try await client.get("/eleve/portfolio.zip").bytes
        }
        try await after.test { client in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/eleves/\(lea)/portfolio")
            #expect(page.text.contains("Recevoir le portfolio d’un établissement précédent"))
            // Another student's package, and a file that is not one, are refused in words; nothing is kept.
            let yanis = try await after.studentID("9000000002B")
            let wrong = try await client.multipart("/eleves/\(yanis)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("pas celui de"), "\(wrong.text)")
            let notZip = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "x.zip", Array("x".utf8)))
            #expect(notZip.status == .unprocessableContent && notZip.text.contains("n’est pas une archive ZIP de portfolio"))
            let received = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(received.status == .found && received.location == "/eleves/\(lea)/portfolio?ok=recu", "\(received.text)")
        }
        try await after.test { client in
            _ = try await client.signIn("t-lycee")
            let refused = try await client.multipart("/eleves/\(lea)/portfolio-precedent", fields: [:], file: ("archive", "lea.zip", package))
            #expect(refused.status == .forbidden, "a teacher does not receive packages")
        }
        let opened = try PortfolioPackage.open(Data(package))
        #expect(opened.studentINE == "9000000001A" && opened.productions.map(\.title) == ["Vitrine de l’ancien lycée"])
        try await after.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve/portfolio")
            #expect(page.text.contains("Établissement précédent : Cité scolaire des Tilleuls (fictive)"))
            #expect(page.text.contains("Vitrine de l’ancien lycée"))
            #expect(page.text.contains("Ton portfolio est encore vide"), "the previous school's productions are not this school's")
            let id = try #require(page.text.firstMatch(of: /href="\/portfolios-precedents\/(\d+)"/)?.1)
            let zip = try await client.get("/portfolios-precedents/\(id)")
            #expect(zip.status == .ok && zip.bytes == package)
        }
        try await after.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/eleves/\(lea)/portfolio").text.contains("Établissement précédent"))
        }
        try await after.test { client in
            _ = try await client.signIn("t-autre")
            #expect(try await client.get("/portfolios-precedents/1").status == .forbidden)
        }
    }

    @Test("a short video is kept without its position and plays in the page", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") || Validators.runningInCI))
    func video() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve/portfolio")
            let sent = try await client.multipart("/eleves/\(lea)/productions", fields: ["titre": "Accueil d’un client (jeu de rôle)"],
                                                  file: ("fichier", "VID_0007.mp4", Array(try Fixtures.production("video-gps.mp4"))))
            #expect(sent.status == .found, "\(sent.text)")
            let page = try await client.get("/eleve/portfolio")
            let id = try #require(page.text.firstMatch(of: /<video controls preload="none" src="\/productions\/(\d+)\/fichier" poster="\/productions\/\d+\/vignette"/)?.1)
            #expect(page.text.contains("vidéo, "))
            let file = try await client.get("/productions/\(id)/fichier")
            #expect(file.headers[.contentType] == "video/mp4" && file.headers[.contentDisposition] == nil)
            #expect(!file.bytes.contains(subsequence: Array("Léa MARTIN".utf8)))
            #expect(try await client.get("/productions/\(id)/vignette").headers[.contentType] == "image/jpeg", "its first frame")
        }
    }
}
