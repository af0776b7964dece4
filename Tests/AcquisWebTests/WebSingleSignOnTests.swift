import AcquisApp
import AcquisSSO
import AcquisTestSupport
import AcquisWeb
import Foundation
import Testing

/// Signing in through the ENT (a real django-mama-cas server) and EduConnect (a real pysaml2
/// identity provider), step by step as a browser does, against the web app on a loopback port.
@Suite("Sign-in through the ENT and EduConnect", .serialized,
       .enabled(if: SSOServers.available, "the sso venv or xmlsec1 missing: run Tests/Validators/install.sh"))
struct WebSingleSignOnTests {
    @Test("CI has the CAS server and the identity provider, so that these tests are never skipped there")
    func installedInCI() {
        #expect(!Validators.runningInCI || SSOServers.available)
    }

    /// The web app served on a free loopback port while `body` runs.
    static func serving(_ fixture: WebFixture, log: RecordedLog? = nil, secure: Bool = false, _ body: (String) async throws -> Void) async throws {
        let (stream, port) = AsyncStream.makeStream(of: Int.self)
        let app = try await WebApp.application(storage: fixture.database, configuration: WebConfiguration(port: 0, secureCookies: secure),
                                               logger: log?.logger) { port.yield($0) }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var ports = stream.makeAsyncIterator()
        let bound = try #require(await ports.next())
        try await body("http://127.0.0.1:\(bound)")
    }

    /// Signs in at the CAS server's form (Django's CSRF token included) for `service`; the
    /// address CAS sends the browser back to, with its ticket.
    static func casLogin(_ browser: PlainHTTP, cas: SSOServers.Running, service: String) async throws -> String {
        let login = cas.base + "/cas/login?service=" + CASServer.formEncoded(service)
        let form = try await browser.get(login)
        let token = try #require(PlainHTTP.field("csrfmiddlewaretoken", in: form.body))
        let posted = try await browser.post(login, form: ["csrfmiddlewaretoken": token, "username": "prof.ent", "password": "secret-ent"],
                                            headers: ["Referer": login])
        return try #require(posted.location, "CAS did not redirect: \(posted.status)")
    }

    static let teacher = SSOServers.Person(password: "secret-ent", attributes: [
        "ENTPersonProfils": ["National_ENS"], "ENTPersonStructRattachRNE": ["0999999X"], "uid": ["ENT-42"],
    ])

    @Test("ENT: the first sign-in links the account with its Acquis password, the next ones go straight in; signing out of the ENT ends the Acquis session; a reused ticket or one for another service is refused with a clear page and no session; nothing personal is logged")
    func ent() async throws {
        let fixture = try await WebFixture()
        let cas = try SSOServers.cas(people: ["prof.ent": Self.teacher])
        let app = AcquisApp.App(storage: fixture.database)
        try await app.singleSignOn.configureENT(address: cas.base + "/cas", attribute: "uid", open: true, uai: nil, by: .console(name: nil))
        let log = RecordedLog()
        defer {
            #expect(log.lines.contains { $0.contains("reason=cas-refused-INVALID_TICKET") })
            #expect(log.lines.contains { $0.contains("reason=cas-refused-INVALID_SERVICE") })
            #expect(log.lines(containing: ["prof.ent", "ENT-42", "ST-", "t-lycee"]).isEmpty, "\(log.lines)")
        }
        try await Self.serving(fixture, log: log) { base in
            let browser = PlainHTTP()
            #expect(try await browser.get(base + "/connexion").body.contains("Se connecter avec l’ENT"))
            let toCAS = try await browser.get(base + "/connexion/ent")
            let location = try #require(toCAS.location)
            let service = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "service" }?.value)
            #expect(service.hasPrefix(base + "/connexion/ent/"))
            // First time: the identity is not linked yet.
            let back = try await Self.casLogin(browser, cas: cas, service: service)
            let firstReturn = try await browser.get(back)
            #expect(firstReturn.location == "/connexion/lier")
            #expect(browser.cookies["acquis_session"] == nil, "no session before the account is known")
            let linkPage = try await browser.get(base + "/connexion/lier")
            #expect(linkPage.body.contains("pas encore relié"))
            let csrf = try #require(PlainHTTP.field("_csrf", in: linkPage.body))
            let linked = try await browser.post(base + "/connexion/lier", form: ["_csrf": csrf, "identifiant": "t-lycee", "mot_de_passe": WebFixture.password])
            #expect(linked.status == 302 && linked.location == "/enseignant", "\(linked.status) \(linked.body.prefix(3000))")
            #expect(try await browser.get(base + "/enseignant").status == 200)

            // The ticket is used: presenting it again is refused, and opens nothing.
            let stranger = PlainHTTP()
            let reused = try await stranger.get(back)
            #expect(reused.status == 403 && reused.body.contains("L’ENT n’a pas confirmé"))
            #expect(stranger.cookies["acquis_session"] == nil)

            // Signing out at the ENT: CAS posts a logoutRequest, the Acquis session ends.
            _ = try await browser.get(cas.base + "/cas/logout")
            let after = try await browser.get(base + "/enseignant")
            #expect(after.status != 200, "the session opened with the ticket ended with the ENT's")

            // Linked now: the next sign-in goes straight in.
            let again = try await browser.get(try await Self.casLogin(browser, cas: cas, service: service))
            #expect(again.location == "/enseignant")
            // Signing out of Acquis signs out of the ENT too, and comes back to the sign-in page.
            let home = try await browser.get(base + "/enseignant")
            let signedOut = try await browser.post(base + "/deconnexion", form: ["_csrf": try #require(PlainHTTP.field("_csrf", in: home.body))])
            let logout = try #require(signedOut.location)
            #expect(logout.hasPrefix(cas.base + "/cas/logout?service=") && logout.hasSuffix(CASServer.formEncoded(base + "/connexion")))
            #expect(try await browser.get(base + "/enseignant").status != 200)

            // A ticket CAS issued for another service is refused by CAS, hence by Acquis.
            let other = try await Self.casLogin(PlainHTTP(), cas: cas, service: base + "/autre-service")
            let ticket = try #require(other.split(separator: "ticket=").last)
            let wrongService = PlainHTTP()
            let refused = try await wrongService.get(service + "?ticket=" + ticket)
            #expect(refused.status == 403)
            #expect(wrongService.cookies["acquis_session"] == nil)
            #expect(!refused.body.contains("prof.ent") && !refused.body.contains("ENT-42"))
        }
    }

    static let student = SSOServers.Person(password: "secret-educonnect", attributes: [
        EduConnectAttribute.identifier: ["ec-0123456789abcdef"], EduConnectAttribute.affiliation: ["eleve2d"],
        EduConnectAttribute.lastName: ["MARTIN"], EduConnectAttribute.firstName: ["Léa"], EduConnectAttribute.birthDate: ["2010-05-02"],
    ])

    /// From Acquis' button to the IdP's posted form: the `SAMLResponse` to post to the ACS.
    static func educonnect(_ browser: PlainHTTP, base: String, idp: SSOServers.Running, variant: String = "") async throws -> String {
        let toIdP = try await browser.get(base + "/connexion/educonnect")
        let form = try await browser.get(try #require(toIdP.location))
        let key = try #require(PlainHTTP.field("cle", in: form.body), "\(form.body)")
        let posted = try await browser.post(idp.base + "/sso/login", form: [
            "cle": key, "utilisateur": "lea.martin", "mot_de_passe": "secret-educonnect", "variante": variant,
        ])
        return try #require(PlainHTTP.field("SAMLResponse", in: posted.body), "\(posted.body)")
    }

    @Test("EduConnect: metadata published, the signed and encrypted response signs the student in once linked; a replayed, unsolicited or altered response gets a clear page and no session; nothing personal is logged")
    func educonnect() async throws {
        let fixture = try await WebFixture()
        let log = RecordedLog()
        defer {
            // A replay finds its request used up: refused before the assertion cache is even asked.
            for reason in ["saml-unknownRequest", "saml-unsolicited", "saml-badSignature", "saml-malformed"] {
                #expect(log.lines.contains { $0.contains("reason=\(reason)") }, "\(reason) logged")
            }
            #expect(log.lines(containing: ["MARTIN", "Léa", "ec-0123456789abcdef", "lea.martin", "2010-05-02", "t-lea"]).isEmpty, "\(log.lines)")
        }
        try await Self.serving(fixture, log: log) { base in
            let idp = try SSOServers.identityProvider(people: ["lea.martin": Self.student], serviceProviderMetadata: base + "/saml/metadonnees")
            let metadata = try await PlainHTTP().get(idp.base + "/idp.xml")
            let app = AcquisApp.App(storage: fixture.database)
            try await app.singleSignOn.configureEduConnect(metadata: Array(metadata.body.utf8), open: true, uai: nil, by: .console(name: nil))
            let published = try await PlainHTTP().get(base + "/saml/metadonnees")
            #expect(published.body.contains("AssertionConsumerService") && published.body.contains(base + "/saml/acs"))

            let browser = PlainHTTP()
            #expect(try await browser.get(base + "/connexion").body.contains("Se connecter avec ÉduConnect"))
            let response = try await Self.educonnect(browser, base: base, idp: idp)
            let first = try await browser.post(base + "/saml/acs", form: ["SAMLResponse": response, "RelayState": "x"])
            #expect(first.location == "/connexion/lier")
            let linkPage = try await browser.get(base + "/connexion/lier")
            let csrf = try #require(PlainHTTP.field("_csrf", in: linkPage.body))
            let linked = try await browser.post(base + "/connexion/lier", form: ["_csrf": csrf, "identifiant": "t-lea", "mot_de_passe": WebFixture.password])
            #expect(linked.location == "/eleve")

            // The same response posted again (by anyone) is a replay.
            let attacker = PlainHTTP()
            let replayed = try await attacker.post(base + "/saml/acs", form: ["SAMLResponse": response])
            #expect(replayed.status == 403 && replayed.body.contains("déjà servi"))
            #expect(attacker.cookies["acquis_session"] == nil)
            #expect(!replayed.body.contains("MARTIN") && !replayed.body.contains("ec-0123456789abcdef"))

            // Linked now: straight to the student's page.
            let second = PlainHTTP()
            let again = try await second.post(base + "/saml/acs", form: ["SAMLResponse": try await Self.educonnect(second, base: base, idp: idp)])
            #expect(again.location == "/eleve")

            // A response nobody asked for.
            let third = PlainHTTP()
            let unsolicited = try await third.post(base + "/saml/acs", form: ["SAMLResponse": try await Self.educonnect(third, base: base, idp: idp, variant: "non-sollicite")])
            #expect(unsolicited.status == 403 && unsolicited.body.contains("n’a pas demandé"))
            #expect(third.cookies["acquis_session"] == nil)

            // An altered response: the signature no longer matches.
            let fourth = PlainHTTP()
            let clear = String(decoding: Data(base64Encoded: try await Self.educonnect(fourth, base: base, idp: idp, variant: "clair"))!, as: UTF8.self)
            let altered = Data(clear.replacingOccurrences(of: "ec-0123456789abcdef", with: "ec-0000000000000000").utf8).base64EncodedString()
            let tampered = try await fourth.post(base + "/saml/acs", form: ["SAMLResponse": altered])
            #expect(tampered.status == 403 && tampered.body.contains("contrôles de sécurité"))
            #expect(fourth.cookies["acquis_session"] == nil)

            // Garbage gets the same clear page, never a server error.
            let garbage = try await PlainHTTP().post(base + "/saml/acs", form: ["SAMLResponse": "../../etc/passwd"])
            #expect(garbage.status == 403)
        }
    }
}

/// In the browser suite: one Chromium at a time on the machine.
extension BrowserTests {
    @Test("in Chromium: the ENT and EduConnect buttons, each provider's own form, the first-time link and the next sign-in straight in",
          .enabled(if: Browser.available && SSOServers.available, "chromium, chromium-driver, the browser or sso venv missing"))
    func signInThroughENTAndEduConnect() async throws {
        typealias SSO = WebSingleSignOnTests
        let fixture = try await WebFixture()
        let cas = try SSOServers.cas(people: ["prof.ent": SSO.teacher])
        let app = AcquisApp.App(storage: fixture.database)
        try await app.singleSignOn.configureENT(address: cas.base + "/cas", attribute: "uid", open: true, uai: nil, by: .console(name: nil))
        try await SSO.serving(fixture) { base in
            let idp = try SSOServers.identityProvider(people: [
                "lea.martin": SSO.student, "sans.lettre": SSO.person("ec-yanis", last: "BENALI", first: "Yanis", born: "2009-06-08"),
            ], serviceProviderMetadata: base + "/saml/metadonnees")
            let metadata = try await PlainHTTP().get(idp.base + "/idp.xml")
            try await app.singleSignOn.configureEduConnect(metadata: Array(metadata.body.utf8), open: true, uai: nil, by: .console(name: nil))
            let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/Browser/sign_in_sso.py").path
            let run = try await Task.detached {
                try Validators.run(Browser.python, [script, base, Browser.artifacts, cas.base, idp.base, WebFixture.password])
            }.value
            #expect(run.status == 0, "\(run.output)\nscreenshots: \(Browser.artifacts)")
            #expect(run.output.contains("ok   EduConnect: linked and signed in"), "\(run.output)")
            #expect(run.output.contains("ok   sso · direction settings at 390 px: no horizontal scroll"), "\(run.output)")
        }
    }
}

extension WebSingleSignOnTests {
    static func person(_ id: String, last: String, first: String, born: String) -> SSOServers.Person {
        SSOServers.Person(password: "secret-educonnect", attributes: [
            EduConnectAttribute.identifier: [id], EduConnectAttribute.affiliation: ["eleve2d"],
            EduConnectAttribute.lastName: [last], EduConnectAttribute.firstName: [first], EduConnectAttribute.birthDate: [born],
        ])
    }

    /// Through EduConnect as `login`, the ACS's answer.
    static func educonnect(_ browser: PlainHTTP, base: String, idp: SSOServers.Running, login: String) async throws -> PlainHTTP.Reply {
        let toIdP = try await browser.get(base + "/connexion/educonnect")
        let form = try await browser.get(try #require(toIdP.location))
        let key = try #require(PlainHTTP.field("cle", in: form.body))
        let posted = try await browser.post(idp.base + "/sso/login", form: ["cle": key, "utilisateur": login, "mot_de_passe": "secret-educonnect"])
        return try await browser.post(base + "/saml/acs", form: ["SAMLResponse": try #require(PlainHTTP.field("SAMLResponse", in: posted.body))])
    }

    /// Signs in with an Acquis password, as the sign-in form posts it.
    static func signIn(_ browser: PlainHTTP, base: String, login: String) async throws {
        let form = try await browser.get(base + "/connexion")
        let csrf = try #require(PlainHTTP.field("_csrf", in: form.body))
        let reply = try await browser.post(base + "/connexion", form: ["_csrf": csrf, "identifiant": login, "mot_de_passe": WebFixture.password])
        #expect(reply.status == 302, "\(reply.body.prefix(500))")
    }

    @Test("a student without their letter asks from the link page; the request reaches direction only when one student account has their names (accents and case aside) and birth date; once direction links it, EduConnect opens their page")
    func studentWithoutLetter() async throws {
        let fixture = try await WebFixture()
        try await Self.serving(fixture) { base in
            let idp = try SSOServers.identityProvider(people: [
                "lea": Self.person("ec-lea", last: "Martin", first: "LEA", born: "2009-01-01"),
                "autre": Self.person("ec-autre", last: "Martin", first: "Léa", born: "2009-02-02"),
            ], serviceProviderMetadata: base + "/saml/metadonnees")
            let app = AcquisApp.App(storage: fixture.database)
            let metadata = try await PlainHTTP().get(idp.base + "/idp.xml")
            try await app.singleSignOn.configureEduConnect(metadata: Array(metadata.body.utf8), open: true, uai: nil, by: .console(name: nil))

            // Another birth date: nobody matches, nothing is stored.
            let stranger = PlainHTTP()
            #expect(try await Self.educonnect(stranger, base: base, idp: idp, login: "autre").location == "/connexion/lier")
            let strangerPage = try await stranger.get(base + "/connexion/lier")
            let refused = try await stranger.post(base + "/connexion/demande", form: ["_csrf": try #require(PlainHTTP.field("_csrf", in: strangerPage.body))])
            #expect(refused.body.contains("Aucun compte élève"))
            #expect(try await app.singleSignOn.linkRequests(uai: nil, by: .console(name: nil)).isEmpty)

            let student = PlainHTTP()
            #expect(try await Self.educonnect(student, base: base, idp: idp, login: "lea").location == "/connexion/lier")
            let linkPage = try await student.get(base + "/connexion/lier")
            #expect(linkPage.body.contains("Demander à l’établissement"))
            let asked = try await student.post(base + "/connexion/demande", form: ["_csrf": try #require(PlainHTTP.field("_csrf", in: linkPage.body))])
            #expect(asked.body.contains("transmise à la direction"))
            #expect(student.cookies["acquis_session"] == nil)

            // Direction sees the request with the student's name and links it.
            let direction = PlainHTTP()
            try await Self.signIn(direction, base: base, login: "t-direction")
            let settings = try await direction.get(base + "/direction/connexion")
            let request = try #require(try await app.singleSignOn.linkRequests(uai: nil, by: .console(name: nil))
                .first { $0.account.login == "t-lea" })
            #expect(settings.body.contains("\(request.account.displayName) (t-lea)"))
            let decided = try await direction.post(base + "/direction/connexion/demandes/\(request.id)",
                                                   form: ["_csrf": try #require(PlainHTTP.field("_csrf", in: settings.body)), "decision": "relier"])
            #expect(decided.body.contains("Compte relié"))

            #expect(try await Self.educonnect(PlainHTTP(), base: base, idp: idp, login: "lea").location == "/eleve")
        }
    }

    @Test("the letter's one-time code links an ENT identity and activates the account without a password; someone with two accounts chooses which to open; with passwords closed, Acquis passwords are refused")
    func codesRolesAndClosedPasswords() async throws {
        let fixture = try await WebFixture()
        let cas = try SSOServers.cas(people: ["prof.ent": Self.teacher])
        let app = AcquisApp.App(storage: fixture.database)
        try await app.singleSignOn.configureENT(address: cas.base + "/cas", attribute: "uid", open: true, uai: nil, by: .console(name: nil))
        let letter = try await app.accounts.resetCode(login: "t-lycee", by: .console(name: nil))
        let code = try #require(letter.letters.first?.code)
        try await Self.serving(fixture) { base in
            let browser = PlainHTTP()
            let service = base + "/connexion/ent/" + (try await app.singleSignOn.options(uai: nil)?.uai ?? "") + "/retour"
            #expect(try await browser.get(try await Self.casLogin(browser, cas: cas, service: service)).location == "/connexion/lier")
            let page = try await browser.get(base + "/connexion/lier")
            let csrf = try #require(PlainHTTP.field("_csrf", in: page.body))
            let wrong = try await browser.post(base + "/connexion/lier", form: ["_csrf": csrf, "identifiant": "t-lycee", "code": "AAAA-BBBB"])
            #expect(wrong.status == 401 && wrong.body.contains("incorrect"))
            // As a script posts it: the token in a header instead of the form.
            let scripted = try await browser.post(base + "/connexion/lier", form: ["identifiant": "t-lycee", "code": "CCCC-DDDD"],
                                                  headers: ["X-CSRF-Token": csrf])
            #expect(scripted.status == 401 && scripted.body.contains("incorrect"))
            let wrongPassword = try await browser.post(base + "/connexion/lier",
                                                       form: ["_csrf": csrf, "identifiant": "t-lycee", "mot_de_passe": "pas-le-bon"])
            #expect(wrongPassword.status == 401 && wrongPassword.body.contains("Identifiant ou mot de passe incorrect"))
            let linked = try await browser.post(base + "/connexion/lier", form: ["_csrf": csrf, "identifiant": "t-lycee", "code": code])
            #expect(linked.location == "/enseignant")

            // The same ENT identity is also a parent here: the next sign-in asks which space.
            let (count, unknown) = try await app.singleSignOn.linkENT([("ENT-42", "t-famille-lea"), ("ENT-43", "personne")], uai: nil,
                                                                      by: .console(name: nil))
            #expect(count == 1 && unknown == ["personne"])
            let parent = PlainHTTP()
            #expect(try await parent.get(try await Self.casLogin(parent, cas: cas, service: service)).location == "/connexion/choix")
            let choice = try await parent.get(base + "/connexion/choix")
            #expect(choice.body.contains("équipe pédagogique") && choice.body.contains("famille"))
            let family = try #require(choice.body.firstMatch(of: /value="(\d+)" required> [^<]*\(famille\)/)?.1, "\(choice.body)")
            let chosen = try await parent.post(base + "/connexion/choix",
                                               form: ["_csrf": try #require(PlainHTTP.field("_csrf", in: choice.body)), "compte": String(family)])
            #expect(chosen.location == "/eleve")

            // Passwords closed: the form is gone and a password sign-in is refused.
            try await app.singleSignOn.setPasswordsOpen(false, uai: nil, by: .console(name: nil))
            let closed = PlainHTTP()
            let form = try await closed.get(base + "/connexion")
            #expect(!form.body.contains("mot_de_passe") && form.body.contains("Se connecter avec l’ENT"))
            let csrf2 = try #require(PlainHTTP.field("_csrf", in: form.body) ?? closed.cookies["acquis_formulaire"])
            let attempt = try await closed.post(base + "/connexion", form: ["_csrf": csrf2, "identifiant": "t-autre", "mot_de_passe": WebFixture.password])
            #expect(attempt.status == 403 && attempt.body.contains("par l’ENT ou ÉduConnect"), "\(attempt.body)")
            #expect(closed.cookies["acquis_session"] == nil)
        }
    }
}

extension WebSingleSignOnTests {
    @Test("direction's settings page: a wrong CAS address or unreadable metadata is refused in French and changes nothing; closing passwords needs another way in; a teacher cannot open the page")
    func settingsPage() async throws {
        let fixture = try await WebFixture()
        let app = AcquisApp.App(storage: fixture.database)
        try await Self.serving(fixture) { base in
            let direction = PlainHTTP()
            try await Self.signIn(direction, base: base, login: "t-direction")
            let page = try await direction.get(base + "/direction/connexion")
            let csrf = try #require(PlainHTTP.field("_csrf", in: page.body))
            let post = { (form: [String: String]) in try await direction.post(base + "/direction/connexion", form: form.merging(["_csrf": csrf]) { a, _ in a }) }

            let badAddress = try await post(["cas": "javascript:alert(1)", "ent": "on", "mots_de_passe": "on"])
            #expect(badAddress.status == 400 && badAddress.body.contains("doit commencer par https://"))
            let badMetadata = try await post(["cas": "", "metadonnees": "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                                              "educonnect": "on", "mots_de_passe": "on"])
            #expect(badMetadata.status == 400 && badMetadata.body.contains("pas un fichier XML lisible"))
            let noWayIn = try await post(["cas": "", "metadonnees": ""])
            #expect(noWayIn.status == 400 && noWayIn.body.contains("au moins une façon de se connecter"))
            #expect(try await app.singleSignOn.options(uai: nil)?.passwords == true)
            #expect(try await app.singleSignOn.options(uai: nil)?.ent == false)

            // As a script posts it: the token in a header instead of the form.
            let saved = try await direction.post(base + "/direction/connexion", form: ["cas": "https://ent.exemple.fr/cas/", "attribut": "uid", "ent": "on"],
                                                 headers: ["X-CSRF-Token": csrf])
            #expect(saved.status == 200 && saved.body.contains("Réglages enregistrés"))
            let options = try await app.singleSignOn.options(uai: nil)
            #expect(options?.ent == true && options?.passwords == false)

            let teacher = PlainHTTP()
            try await app.singleSignOn.setPasswordsOpen(true, uai: nil, by: .console(name: nil))
            try await Self.signIn(teacher, base: base, login: "t-lycee")
            #expect(try await teacher.get(base + "/direction/connexion").status == 403)
        }
    }
}

extension WebSingleSignOnTests {
    @Test("over HTTPS, a response EduConnect gave for a sign-in started in another browser is refused there (no sign-in forced on someone) and still signs in the browser that started it")
    func responseBoundToItsBrowser() async throws {
        let fixture = try await WebFixture()
        try await Self.serving(fixture, secure: true) { base in
            let idp = try SSOServers.identityProvider(people: ["lea.martin": Self.student], serviceProviderMetadata: base + "/saml/metadonnees")
            let metadata = try await PlainHTTP().get(idp.base + "/idp.xml")
            try await AcquisApp.App(storage: fixture.database).singleSignOn.configureEduConnect(
                metadata: Array(metadata.body.utf8), open: true, uai: nil, by: .console(name: nil))
            let attacker = PlainHTTP()
            let response = try await Self.educonnect(attacker, base: base, idp: idp)
            #expect(attacker.cookies["acquis_saml"] != nil, "the request is kept by the browser that started it")
            let victim = PlainHTTP()
            let forced = try await victim.post(base + "/saml/acs", form: ["SAMLResponse": response])
            #expect(forced.status == 403 && forced.body.contains("commencée dans ce navigateur"))
            #expect(victim.cookies["acquis_session"] == nil)
            let own = try await attacker.post(base + "/saml/acs", form: ["SAMLResponse": response])
            #expect(own.location == "/connexion/lier")
        }
    }
}

extension WebSingleSignOnTests {
    @Test("hostile or pointless requests to the sign-in addresses get a clear page, never a server error: a blank database, an unknown or malformed school, a forged logout request, an empty or oversized SAML post")
    func hostileInputs() async throws {
        let blank = try await WebFixture(blank: ())
        try await Self.serving(blank) { base in
            let client = PlainHTTP()
            for path in ["/connexion/ent", "/connexion/educonnect"] {
                let reply = try await client.get(base + path)
                #expect(reply.status == 404 && reply.body.contains("n’est pas ouverte"), "\(path): \(reply.status)")
            }
        }
        let fixture = try await WebFixture()
        try await Self.serving(fixture) { base in
            let client = PlainHTTP()
            for path in ["/connexion/ent?etablissement=..%2F..%2Fetc", "/connexion/educonnect?etablissement=%00",
                         "/connexion/ent/..%2F..%2Fetc/retour?ticket=ST-1", "/connexion/ent/0999999X/retour?ticket=ST-1",
                         "/connexion/ent/0999999X/retour"] {
                let reply = try await client.get(base + path)
                #expect([403, 404].contains(reply.status), "\(path): \(reply.status)")
                #expect(reply.body.contains("Revenir à la page de connexion"), "\(path)")
            }
            let logout = try await client.post(base + "/connexion/ent/0999999X/retour",
                                               form: ["logoutRequest": "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"])
            #expect(logout.status == 200)
            for body in ["", String(repeating: "A", count: 5_000_000), "PHNhbWxwOlJlc3BvbnNlLz4="] {
                let reply = try await client.post(base + "/saml/acs", form: ["SAMLResponse": body])
                #expect([403, 413].contains(reply.status), "\(body.prefix(20)): \(reply.status)")
            }
            #expect(client.cookies["acquis_session"] == nil)
        }
    }
}

