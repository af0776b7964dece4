import AcquisApp
import AcquisStorage
import AcquisStore
@testable import AcquisWeb
import AcquisTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import AcquisOpenBadges
import Testing

/// What an attacker or a careless script would try: every form posted both ways, file names
/// that climb out of folders, writes outside a student's diploma, huge uploads, guessing
/// passwords, probing ids, flooding the sign-in page.
@Suite("Web app: hardening")
struct WebHardeningTests {
    /// One form of the app, as a signed-in user posts it after opening `page`.
    struct FormRoute: Sendable {
        var login: String
        var page: String
        var action: String
        var fields: [String: String]
        var expected: HTTPResponse.Status = .found
    }

    static func formRoutes(_ fixture: WebFixture) async throws -> [FormRoute] {
        let lea = try await fixture.studentID("9000000001A")
        let other = try await fixture.studentID("9000000002B")
        let hugo = try await fixture.studentID("9100000005E")
        let (uuid, request) = try await fixture.database.writer.read { db in
            (try BadgeStore().awards(studentID: lea, in: db).first!.uuid,
             try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM evaluationRequest")!)
        }
        return [
            FormRoute(login: "t-lycee", page: "/classes/2CAP-EPC", action: "/classes/2CAP-EPC/evaluations", fields: [
                "referentiel": "CAP-EPC", "version": "2019", "date": "2026-11-20", "contexte": "classe",
                "c-\(lea)-B1.4": "A", "c-\(other)-B1.4": "EC"]),
            FormRoute(login: "t-lycee", page: "/classes/2CAP-EPC/saisie?referentiel=CAP-EPC", action: "/classes/2CAP-EPC/saisie", fields: [
                "referentiel": "CAP-EPC", "version": "2019", "par": "eleve", "position": "\(lea)", "date": "2026-11-20",
                "contexte": "classe", "c-\(lea)-B1.1": "A"]),
            FormRoute(login: "t-college", page: "/classes/3A/groupes", action: "/classes/3A/groupes", fields: [
                "referentiel": "SOCLE-2015", "competences": "D2.1 D2.2", "periode": "T1", "g-\(hugo)": "remediation"]),
            FormRoute(login: "t-lycee", page: "/eleves/\(lea)", action: "/eleves/\(lea)/badges", fields: ["badge": "PFMP-ENGAGEMENT"]),
            FormRoute(login: "t-lycee", page: "/eleves/\(lea)", action: "/badges/\(uuid)/revocation", fields: ["motif": "Erreur de saisie"]),
            FormRoute(login: "t-lycee", page: "/demandes", action: "/demandes/\(request)/reponse",
                      fields: ["statut": "acceptee", "reponse": "Jeudi en atelier"]),
            FormRoute(login: "t-college", page: "/eleves/\(hugo)", action: "/eleves/\(hugo)/suivis",
                      fields: ["action": "Contact avec la famille", "date": "2026-11-16"]),
            FormRoute(login: "t-college", page: "/eleves/\(hugo)", action: "/eleves/\(hugo)/tutorat", fields: ["tuteur": "t-college"]),
            FormRoute(login: "t-direction", page: "/direction/seuils", action: "/direction/seuils", fields: ["silenceDays": "30"]),
            FormRoute(login: "t-lea", page: "/eleve", action: "/eleve/auto-evaluations", fields: ["competence": "CAP-EPC|B1.1", "niveau": "M"]),
            FormRoute(login: "t-lea", page: "/eleve", action: "/eleve/demandes", fields: ["competence": "CAP-EPC|B2.3"]),
            FormRoute(login: "t-direction", page: "/direction/emetteur", action: "/direction/emetteur", fields: [
                "nom": "Cité scolaire des Tilleuls", "site": "https://tilleuls.example.fr", "courriel": "ce@example.fr",
                "url-publique": "http://acquis.test"]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/eleves", fields: ["classe": "2CAP-EPC"]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/familles", fields: ["classe": ""]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/enseignants",
                      fields: ["prenom": "Émilie", "nom": "Dupré", "classes[]": "2CAP-EPC"]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/t-lea/code", fields: [:]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/t-lea/desactivation", fields: [:]),
            FormRoute(login: "t-direction", page: "/direction/classes/2CAP-EPC/referentiels", action: "/direction/classes/2CAP-EPC/referentiels",
                      fields: ["CAP-EPC": "2019"]),
            FormRoute(login: "t-direction", page: "/classes/2CAP-EPC/periode", action: "/classes/2CAP-EPC/periode/cloture", fields: [:]),
            FormRoute(login: "t-lycee", page: "/exports", action: "/exports/livrets", fields: ["classe": "2CAP-EPC", "periode": "T1"]),
            FormRoute(login: "t-direction", page: "/exports", action: "/exports/lsl",
                      fields: ["classes[]": "2CAP-EPC", "referentiel": "CAP-EPC", "periode": "annee"]),
            FormRoute(login: "t-direction", page: "/direction/etablissement", action: "/direction/etablissement",
                      fields: ["nom": "Cité scolaire des Tilleuls", "periodes": "semestres", "depart": "6"]),
            FormRoute(login: "t-direction", page: "/direction/emetteur", action: "/direction/emetteur/cles", fields: ["algorithme": "ES256"]),
            FormRoute(login: "t-direction", page: "/direction/comptes", action: "/direction/comptes/enseignants/manquants", fields: [:]),
            FormRoute(login: "t-direction", page: "/direction/classes/2CAP-EPC/referentiels",
                      action: "/direction/classes/2CAP-EPC/professeur-principal", fields: ["enseignant": "t-lycee"]),
            FormRoute(login: "t-lycee", page: "/enseignant", action: "/deconnexion", fields: [:]),
        ]
    }

    @Test("every form route answers the same whether the token comes in the form or in the header, and the server lives on")
    func everyFormBothWays() async throws {
        let routes = try await Self.formRoutes(try await WebFixture())
        for route in routes {
            var statuses: [WebClient.TokenPlace: HTTPResponse.Status] = [:]
            for place in [WebClient.TokenPlace.field, .header] {
                let fixture = try await WebFixture()
                statuses[place] = try await fixture.test { client in
                    _ = try await client.signIn(route.login)
                    _ = try await client.get(route.page)
                    let posted = try await client.post(route.action, form: route.fields, tokenIn: place)
                    #expect(posted.status == route.expected, "\(route.action) with the token in the \(place): \(posted.text.prefix(300))")
                    #expect(try await client.get("/").status != .internalServerError)
                    return posted.status
                }
            }
            #expect(statuses[.field] == statuses[.header], "\(route.action)")
        }
    }

    @Test("a grid posted by a script with the token in the header records every cell, exactly as the browser's")
    func gridThroughHeader() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            _ = try await client.get("/classes/2CAP-EPC")
            let saved = try await client.post("/classes/2CAP-EPC/evaluations", form: [
                "referentiel": "CAP-EPC", "version": "2019", "date": "2026-11-20", "contexte": "atelier", "c-\(lea)-B1.4": "M",
            ], tokenIn: .header)
            #expect(saved.location == "/classes/2CAP-EPC?referentiel=CAP%2DEPC&enregistre=1")
        }
        let context = try await fixture.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT context FROM evaluation WHERE recordedBy = 't-lycee' ORDER BY id DESC LIMIT 1")
        }
        #expect(context == "atelier")
    }

    @Test("uploads go through multipart with the token in the header too")
    func multipartThroughHeader() async throws {
        let fixture = try await WebFixture()
        let valid = Fixtures.acquisReferential(code: "VENTE-TEST", version: "2027", body: """
              <block code="B1"><title>Vendre</title><competency code="C1"><title>Accueillir</title></competency></block>
            """)
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let sent = try await client.multipart("/inspection/referentiels", fields: [:],
                                                  file: ("fichier", "vente.xml", Array(valid.utf8)), tokenIn: .header)
            #expect(sent.status == .found)
            #expect(try await client.get(sent.location!).text.contains("Le fichier est valide"))
        }
    }

    @Test("no name a user sends becomes a path: .., absolute paths, NUL and %2e%2e write nothing outside")
    func uploadNamesAreNeverPaths() async throws {
        let fixture = try await WebFixture()
        let marker = "acquis-evasion-\(UUID().uuidString)"
        let temporary = FileManager.default.temporaryDirectory
        let valid = Fixtures.acquisReferential(code: "EVASION", version: "1", body: """
              <block code="B1"><title>Vendre</title><competency code="C1"><title>Accueillir</title></competency></block>
            """)
        let names = ["../\(marker)", "../../\(marker)", "/tmp/\(marker)", "%2e%2e%2f\(marker)", "%2E%2E/\(marker)",
                     "..%2f\(marker)", "x%00/../../\(marker)", "..\\\(marker)"]
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-direction", "motDePasse": "\#(WebFixture.password)"}"#)
            for name in names {
                for route in ["/api/v1/referentiels/validation", "/api/v1/referentiels"] {
                    let response = try await client.api("\(route)?nom=\(name)", method: .post, body: Array(valid.utf8),
                                                        type: "application/xml")
                    #expect([200, 201].contains(response.status.code), "\(route)?nom=\(name): \(response.text.prefix(200))")
                }
            }
            let broken = try await client.api("/api/v1/referentiels/validation?nom=../\(marker)", method: .post,
                                              body: Array("<referential".utf8), type: "application/xml")
            #expect(broken.text.contains("\"valide\":false") || broken.text.contains("\"valide\" : false"))
            #expect(!broken.text.contains(".."), "the label keeps the last component only: \(broken.text)")
        }
        for folder in [temporary, temporary.deletingLastPathComponent(), URL(fileURLWithPath: "/tmp"), URL(fileURLWithPath: "/"),
                       URL(fileURLWithPath: fixture.keys), URL(fileURLWithPath: fixture.keys).deletingLastPathComponent()] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            #expect(!names.contains { $0.contains(marker) }, "\(folder.path)")
        }
        let stored = try await fixture.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT fileName FROM referentialDraft WHERE fileName LIKE ?", arguments: ["%\(marker)%"])
        }
        #expect(stored.allSatisfy { !$0.contains("/") && !$0.contains("\\") && !$0.contains("\0") && $0 != ".." }, "\(stored)")
    }

    @Test("a CAP student self-evaluates and asks only in the referentials their class follows")
    func studentsWriteInTheirDiploma() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let count = { @Sendable () async throws -> Int in
            try await fixture.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM evaluation WHERE studentId = ?) + (SELECT COUNT(*) FROM evaluationRequest WHERE studentId = ?)",
                                 arguments: [lea, lea])!
            }
        }
        let before = try await count()
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-lea", "motDePasse": "\#(WebFixture.password)"}"#)
            let outside = try await client.api("/api/v1/auto-evaluations", method: .post,
                                               json: #"{"referentiel": "BACPRO-MCV", "competence": "C1.1", "niveau": "M"}"#)
            #expect(outside.status == .forbidden)
            #expect(outside.text.contains("Ta classe ne suit pas le référentiel « BACPRO-MCV »"))
            let request = try await client.api("/api/v1/demandes", method: .post, json: #"{"referentiel": "SOCLE-2015", "competence": "D1.1"}"#)
            #expect(request.status == .forbidden)
            let unknown = try await client.api("/api/v1/demandes", method: .post, json: #"{"referentiel": "INCONNU", "competence": "X"}"#)
            #expect(unknown.status == .forbidden, "a referential that does not exist answers like one not followed")
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve")
            #expect(!page.text.contains("value=\"BACPRO-MCV|") && !page.text.contains("value=\"SOCLE-2015|"))
            #expect(try await client.post("/eleve/auto-evaluations", form: ["competence": "BACPRO-MCV|C1.1", "niveau": "M"]).status == .forbidden)
            #expect(try await client.post("/eleve/demandes", form: ["competence": "SOCLE-2015|D1.1"]).status == .forbidden)
        }
        #expect(try await count() == before)
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            #expect(try await client.post("/eleve/auto-evaluations", form: ["competence": "CAP-EPC|B1.1", "niveau": "M"]).status == .found)
        }
        #expect(try await count() == before + 1)
    }

    @Test("an upload over the limit answers 413 in French, naming the limit, and nothing is stored")
    func hugeUpload() async throws {
        let fixture = try await WebFixture()
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-inspection", "motDePasse": "\#(WebFixture.password)"}"#)
            let api = try await client.api("/api/v1/referentiels/validation", method: .post, body: huge, type: "application/xml")
            #expect(api.status == .contentTooLarge)
            #expect(api.text.contains("8 Mo"), "\(api.text)")
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let page = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "gros.xml", huge))
            #expect(page.status == .contentTooLarge)
            #expect(page.text.contains("dépasse 8 Mo"))
        }
        let drafts = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM referentialDraft")! }
        #expect(drafts == 0)
    }

    @Test("the school's team changes the issuer's profile in the browser; a bad address changes nothing; teachers cannot")
    func issuerProfile() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/emetteur")
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"Cité scolaire des Tilleuls (fictive)\""))
            let bad = try await client.post("/direction/emetteur", form: ["nom": "Cité des Tilleuls", "site": "https://tilleuls.example.fr",
                                                                        "courriel": "ce@example.fr", "url-publique": "pas une adresse"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("n’est pas une adresse web"))
            let saved = try await client.post("/direction/emetteur", form: [
                "nom": "Cité scolaire des Tilleuls", "site": "https://tilleuls.example.fr", "courriel": "ce@example.fr",
                "url-publique": "https://acquis.tilleuls.example.fr"])
            #expect(saved.location?.hasPrefix("/direction/emetteur?enregistre=1&deplace=") == true, "\(saved.location ?? "")")
            let after = try await client.get(saved.location!)
            #expect(after.text.contains("value=\"Cité scolaire des Tilleuls\""))
            #expect(after.text.contains("à l’ancienne adresse publique"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/direction/emetteur").status == .forbidden)
        }
    }

    @Test("web error messages never name a command-line command")
    func noCommandsOnTheWeb() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/classes/2CAP-EPC?referentiel=INCONNU")
            #expect(page.text.contains("aucun référentiel INCONNU"), "\(page.status)")
            #expect(!page.text.contains("acquis "), "\(page.text)")
            let api = try await client.get("/api/v1/classes/2CAP-EPC/grille?referentiel=INCONNU")
            #expect(!api.text.contains("acquis "))
        }
    }

    @Test("hostile uploads are refused in French with their line: binary, empty, external DTD")
    func hostileUploads() async throws {
        let fixture = try await WebFixture()
        let dtd = """
            <?xml version="1.0"?>
            <!DOCTYPE referential SYSTEM "file:///etc/passwd">
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4"><title>T</title>
            <competency code="C1"><title>Accueillir</title></competency></referential>
            """
        let cases: [(bytes: [UInt8], says: String, line: Int)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0xFF, 0xD8], "son contenu est binaire", 1),
            ([], "le fichier est vide", 1),
            (Array(dtd.utf8), "DTD externe", 2),
        ]
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-inspection", "motDePasse": "\#(WebFixture.password)"}"#)
            for test in cases {
                let answer = try await client.api("/api/v1/referentiels/validation?nom=depot.xml", method: .post, body: test.bytes,
                                                  type: "application/xml")
                #expect(answer.status == .ok)
                #expect(answer.text.contains(test.says), "\(answer.text)")
                #expect(answer.text.contains("\"ligne\":\(test.line)") || answer.text.contains("\"ligne\" : \(test.line)"), "\(answer.text)")
            }
        }
    }

    @Test("a body that is not the multipart form it claims to be is a 400 in French, never a 500")
    func malformedMultipart() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            for body in [[UInt8](), Array("--x\r\nContent-Disposition: form-data; name=\"fichier\"\r\n\r\nabc".utf8),
                         (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131) }] {
                let answer = try await client.send(raw: "/inspection/referentiels", type: "multipart/form-data; boundary=x", body: body)
                #expect([400, 403].contains(answer.status.code), "\(answer.status)")
                #expect(answer.status != .internalServerError)
            }
        }
    }

    @Test("wrong passwords from elsewhere never keep a teacher out of their own computer")
    func noLockout() async throws {
        let fixture = try await WebFixture(behindProxy: true)
        try await fixture.test { client in
            client.extraHeaders[HTTPField.Name("X-Forwarded-For")!] = "192.0.2.10"
            #expect(try await client.signIn("t-lycee").status == .found, "the teacher signs in once from the staff room")
            _ = try await client.post("/deconnexion", form: [:])
        }
        try await fixture.test { attacker in
            attacker.extraHeaders[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7"
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...8 { statuses.append(try await attacker.signIn("t-lycee", password: "devine-123").status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests, "the guessing address waits, longer and longer")
            let waiting = try await attacker.signIn("t-lycee")
            #expect(waiting.text.contains("patientez"), "\(waiting.text.prefix(200))")
        }
        try await fixture.test { client in
            client.extraHeaders[HTTPField.Name("X-Forwarded-For")!] = "192.0.2.10"
            let signedIn = try await client.signIn("t-lycee")
            #expect(signedIn.status == .found, "the teacher at their own computer is not kept out")
        }
    }

    @Test("the throttle's delay doubles after the free attempts and stops at 15 minutes; failures an hour old are forgotten")
    func delays() async throws {
        let throttle = App(storage: try AcquisDatabase()).signInThrottle(freeAttempts: 5)
        #expect((0..<10).map { Int(throttle.delay(after: $0, free: 5)) } == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16])
        #expect(throttle.delay(after: 40, free: 5) == 15 * 60)
        let start = Date()
        for _ in 0..<6 { try await throttle.recordFailure(login: "t-lycee", address: "192.0.2.1", now: start) }
        #expect(try await throttle.wait(login: "t-lycee", address: "192.0.2.1", now: start.addingTimeInterval(1)) != nil)
        try await throttle.recordFailure(login: "t-lycee", address: "192.0.2.1", now: start.addingTimeInterval(7200))
        #expect(try await throttle.wait(login: "t-lycee", address: "192.0.2.1", now: start.addingTimeInterval(7200)) == nil)
    }

    @Test("after sign-in, only a local path is followed: /%09/host, //host, /\\host and full addresses go home")
    func localRedirectsOnly() async throws {
        let fixture = try await WebFixture()
        for next in ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\n/evil.example",
                     " /x", "javascript:alert(1)", "/%09/evil.example"] {
            try await fixture.test { client in
                _ = try await client.get("/connexion")
                let signedIn = try await client.post("/connexion", form: ["identifiant": "t-lycee", "mot_de_passe": WebFixture.password,
                                                                        "suite": next])
                let location = signedIn.location ?? ""
                #expect(location == "/enseignant" || (next == "/%09/evil.example" && location == next), "\(next.debugDescription) → \(location)")
            }
        }
        try await fixture.test { client in
            _ = try await client.get("/connexion")
            let signedIn = try await client.post("/connexion", form: ["identifiant": "t-lycee", "mot_de_passe": WebFixture.password,
                                                                    "suite": "/classes/2CAP-EPC?referentiel=CAP-EPC"])
            #expect(signedIn.location == "/classes/2CAP-EPC?referentiel=CAP-EPC")
        }
    }

    @Test("visits before sign-in keep no session; the sign-in form still refuses a post without its token")
    func noAnonymousSessions() async throws {
        let fixture = try await WebFixture()
        let sessions = { @Sendable () async throws -> Int in
            try await fixture.database.writer.read { try WebSessionStore().count(in: $0) }
        }
        try await fixture.test { client in
            for _ in 1...200 { _ = try await client.get("/connexion") }
            for _ in 1...20 { _ = try await client.get("/verifier") }
        }
        #expect(try await sessions() == 0)
        try await fixture.test { client in
            let document = try await client.get("/openbadges/emetteur-0579999z.json")
            #expect(document.status == .ok && document.headers[values: .setCookie].isEmpty, "public documents set no cookie")
            let form = try await client.get("/connexion")
            #expect(form.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("acquis_session=") })
            #expect(form.headers[values: .setCookie].contains { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
            let forged = try await client.post("/connexion", form: ["identifiant": "t-lycee", "mot_de_passe": WebFixture.password],
                                               token: false)
            #expect(forged.status == .forbidden)
            client.cookies["acquis_formulaire"] = nil
            let withoutCookie = try await client.post("/connexion", form: ["identifiant": "t-lycee", "mot_de_passe": WebFixture.password])
            #expect(withoutCookie.status == .forbidden)
            #expect(try await client.signIn("t-lycee").status == .found)
        }
        #expect(try await sessions() == 1)
    }

    @Test("a restart of the server signs nobody out; a session idle for two hours is over")
    func sessionsSurviveRestart() async throws {
        let fixture = try await WebFixture()
        let client = try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            return client.cookies
        }
        let stored = try await fixture.database.writer.read { try String.fetchAll($0, sql: "SELECT key FROM webSession") }
        #expect(stored.count == 1 && !(client["acquis_session"].map { stored[0].contains($0) } ?? true),
                "the database keeps a hash of the session id, never the cookie itself")
        let restarted = try await fixture.restarted()
        try await restarted.test { browser in
            browser.cookies = client
            let page = try await browser.get("/enseignant")
            #expect(page.status == .ok, "still signed in after the restart")
        }
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE webSession SET lastSeenAt = ?", arguments: [Date().addingTimeInterval(-3 * 3600)])
        }
        try await restarted.test { browser in
            browser.cookies = client
            let page = try await browser.get("/enseignant")
            #expect(page.status == .found, "signed out after two idle hours")
        }
    }

    @Test("a student id that does not exist is answered like another student's")
    func unknownStudent() async throws {
        let fixture = try await WebFixture()
        let other = try await fixture.studentID("9000000002B")
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            let someoneElse = try await client.get("/eleves/\(other)")
            let nobody = try await client.get("/eleves/999999")
            #expect(someoneElse.status == .forbidden && nobody.status == .forbidden)
            #expect(someoneElse.text == nobody.text)
            let apiElse = try await client.get("/api/v1/eleves/\(other)/progression")
            let apiNobody = try await client.get("/api/v1/eleves/999999/progression")
            #expect(apiElse.status == apiNobody.status && apiElse.text == apiNobody.text)
        }
    }
}

/// A database that stops answering for a moment (an académie's PostgreSQL restarting) gives a
/// page saying to try again, never « unexpected error »; the API answers 503 the same way.
@Suite("A database that does not answer for a moment")
struct UnavailableDatabaseTests {
    /// The demo database, failing every unit of work while `down` is set, as an engine whose
    /// server went away does.
    final class Flaky: Storage, @unchecked Sendable {
        struct Unreachable: TransientStorageError {}
        let base: any Storage
        var down = false
        init(_ base: any Storage) { self.base = base }
        func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
            if down { throw Unreachable() }
            return try await base.read(body)
        }
        func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
            if down { throw Unreachable() }
            return try await base.write(body)
        }
    }

    @Test("pages and the API answer 503 « réessayez », then work again once the database is back")
    func unavailable() async throws {
        let storage = Flaky(try AcquisDatabase())
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-cles-\(UUID().uuidString)").path
        let (router, services) = try await WebApp.router(storage: storage, configuration: WebConfiguration(keys: KeyDirectory(path: keys)))
        let app = Application(responder: router.buildResponder(), services: services)
        try await app.test(.router) { client in
            let client = WebClient(client: client)
            _ = try await client.get("/connexion")
            storage.down = true
            let page = try await client.post("/connexion", form: ["identifiant": "direction", "mot_de_passe": "un-mot-de-passe"])
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("Réessayez dans un instant") && !page.text.contains("inattendue"))
            let api = try await client.api("/api/v1/session", method: .post, json: #"{"identifiant": "direction", "motDePasse": "x"}"#)
            #expect(api.status == .serviceUnavailable && api.text.contains("Réessayez"))
            storage.down = false
            let back = try await client.post("/connexion", form: ["identifiant": "direction", "mot_de_passe": "un-mot-de-passe"])
            #expect(back.status == .unauthorized, "the database answers again: an unknown login, as usual")
        }
    }
}
