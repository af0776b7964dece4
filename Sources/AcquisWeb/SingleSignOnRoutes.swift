import AcquisApp
import AcquisExport
import AcquisOpenBadges
import AcquisSSO
import AcquisStorage
import Crypto
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging

/// Sign-in through the school's ENT (CAS) and EduConnect (SAML 2.0), linking an outside
/// identity to an account, and direction's settings page.
struct SingleSignOnRoutes {
    let services: WebServices
    let identities: IdentityCookie

    func register(on router: Router<WebContext>) {
        router.get("/connexion/ent", use: toENT)
        router.get("/connexion/ent/{uai}/retour", use: fromENT)
        router.post("/connexion/ent/{uai}/retour", use: singleLogout)
        router.get("/connexion/educonnect", use: toEduConnect)
        router.post("/saml/acs", use: fromEduConnect)
        router.get("/saml/metadonnees") { request, _ -> Response in
            let provider = try await services.app.singleSignOn.serviceProvider(base: services.publicAddress(of: request))
            return .file(Array(provider.metadata.utf8), type: "application/samlmetadata+xml", cache: false)
        }
        router.get("/connexion/lier", use: linkForm)
        router.post("/connexion/lier", use: link)
        router.post("/connexion/demande", use: requestLink)
        router.get("/connexion/choix", use: choiceForm)
        router.post("/connexion/choix", use: choose)
        router.get("/direction/connexion", use: settings)
        router.post("/direction/connexion", use: saveSettings)
        router.post("/direction/connexion/demandes/{id}", use: decide)
    }

    /// Paths that identity providers post to from their own pages: no form token can come with
    /// them. Neither acts on the browser's current session: the ACS checks a signed answer to a
    /// request it keeps, single logout only ends the session of a ticket.
    static func postedByProvider(_ path: String) -> Bool {
        if path == "/saml/acs" { return true }
        let parts = path.split(separator: "/")
        return parts.count == 4 && parts[0] == "connexion" && parts[1] == "ent" && parts[3] == "retour"
    }

    // MARK: - ENT

    func service(uai: String, request: Request) -> String {
        "\(services.publicAddress(of: request))/connexion/ent/\(uai)/retour"
    }

    @Sendable func toENT(_ request: Request, context: WebContext) async throws -> Response {
        let asked = request.uri.queryParameters["etablissement"].map(String.init)
        do {
            guard let options = try await services.app.singleSignOn.options(uai: asked), options.ent else {
                throw SingleSignOnError.notOpen(.ent)
            }
            let server = try await services.app.singleSignOn.casServer(uai: options.uai)
            return .seeOther(server.loginURL(service: service(uai: options.uai, request: request)).absoluteString)
        } catch let error as SingleSignOnError {
            return refused(error, context: context)
        }
    }

    @Sendable func fromENT(_ request: Request, context: WebContext) async throws -> Response {
        let uai = try context.parameters.require("uai")
        guard uai.count <= 16, uai.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return refused(.unknownSchool, context: context)
        }
        let ticket = request.uri.queryParameters["ticket"].map(String.init) ?? ""
        do {
            let outcome = try await services.app.singleSignOn.signInThroughENT(uai: uai, service: service(uai: uai, request: request),
                                                                               ticket: ticket)
            return try await signIn(outcome, request: request, context: context)
        } catch let error as SingleSignOnError {
            return refused(error, context: context)
        }
    }

    /// The ENT posts a `logoutRequest` when the person signs out there: the session its ticket
    /// opened ends. Answered the same whether or not a session matched.
    @Sendable func singleLogout(_ request: Request, context: WebContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        if let field = CSRFMiddleware.field("logoutRequest", inURLEncoded: String(buffer: body)),
           let ticket = CASLogoutRequest.ticket(in: field) {
            let ended = try await services.app.singleSignOn.endSessions(casTicket: ticket)
            context.logger.info("single logout from the ENT", metadata: ["sessions": "\(ended)"])
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "ok")))
    }

    // MARK: - EduConnect

    @Sendable func toEduConnect(_ request: Request, context: WebContext) async throws -> Response {
        let asked = request.uri.queryParameters["etablissement"].map(String.init)
        do {
            guard let options = try await services.app.singleSignOn.options(uai: asked), options.educonnect else {
                throw SingleSignOnError.notOpen(.educonnect)
            }
            let started = try await services.app.singleSignOn.educonnectRequest(uai: options.uai, base: services.publicAddress(of: request))
            var response = Response.seeOther(started.url.absoluteString)
            // Over HTTPS, the browser keeps the request it started; the IdP's cross-site POST
            // brings it back (SameSite=None needs Secure, so plain HTTP goes without).
            if services.secureCookies {
                response.headers[values: .setCookie].append(Cookie(
                    name: Self.requestCookie, value: started.id, maxAge: 600, path: "/saml/acs", secure: true, httpOnly: true,
                    sameSite: .none).description)
            }
            return response
        } catch let error as SingleSignOnError {
            return refused(error, context: context)
        }
    }

    struct PostedResponse: Decodable {
        var SAMLResponse: String?
        var RelayState: String?
    }

    static let requestCookie = "acquis_saml"

    @Sendable func fromEduConnect(_ request: Request, context: WebContext) async throws -> Response {
        let form = (try? await request.decode(as: PostedResponse.self, context: context)) ?? PostedResponse()
        // Over HTTPS, only the browser that started the request may end it (nil: none started here).
        let browserRequest: String?? = services.secureCookies ? .some(request.cookies[Self.requestCookie]?.value) : .none
        do {
            let outcome = try await services.app.singleSignOn.signInThroughEduConnect(response: form.SAMLResponse ?? "",
                                                                                      base: services.publicAddress(of: request),
                                                                                      browserRequest: browserRequest)
            return try await signIn(outcome, request: request, context: context)
        } catch let error as SingleSignOnError {
            return refused(error, context: context)
        }
    }

    // MARK: - Outcomes

    func signIn(_ outcome: ExternalSignIn, request: Request, context: WebContext) async throws -> Response {
        switch outcome {
        case let .account(account, identity):
            context.logger.info("signed in", metadata: ["provider": "\(identity.provider.rawValue)", "role": "\(account.role.rawValue)"])
            return start(account, identity: identity, context: context)
        case let .choice(_, identity), let .unlinked(identity):
            var response = Response.seeOther(outcome.isChoice ? "/connexion/choix" : "/connexion/lier")
            response.headers[values: .setCookie].append(identities.setCookie(identity, secure: services.secureCookies))
            return response
        }
    }

    /// A new session (new id, new token) for the account, tied to the CAS ticket if any.
    func start(_ account: Account, identity: ExternalIdentity, context: WebContext) -> Response {
        context.sessions.clearSession()
        var session = WebSession.fresh(accountID: account.id)
        session.ssoTicket = identity.casTicket.map(StoredSecret.hash)
        session.entSchool = identity.provider == .ent ? identity.uai : nil
        context.sessions.createSession(session)
        var response = Response.seeOther(Navigation.home(for: account.role))
        response.headers[values: .setCookie].append(identities.clearCookie(secure: services.secureCookies))
        return response
    }

    /// A clear page saying what happened and what to do; logged without anything personal.
    func refused(_ error: SingleSignOnError, context: WebContext) -> Response {
        context.logger.notice("external sign-in refused", metadata: ["reason": "\(error.code)"])
        let (status, message) = Self.words(error)
        return Page("connexion-refusee", title: "Connexion impossible", ["message": message], status: status)
            .response(services.templates, context: context)
    }

    static func words(_ error: SingleSignOnError) -> (HTTPResponse.Status, String) {
        switch error {
        case .notOpen(.ent): (.notFound, "La connexion par l’ENT n’est pas ouverte dans cet établissement. Connectez-vous avec votre identifiant Acquis, ou demandez à la direction.")
        case .notOpen(.educonnect): (.notFound, "La connexion par ÉduConnect n’est pas ouverte dans cet établissement. Connectez-vous avec votre identifiant Acquis, ou demandez à la direction.")
        case .unknownSchool: (.notFound, "Cet établissement n’utilise pas Acquis à cette adresse.")
        case .casUnreachable: (.badGateway, "L’ENT n’a pas pu confirmer votre connexion pour le moment. Réessayez dans quelques minutes ; si cela dure, prévenez la direction.")
        case .casRefused: (.forbidden, "L’ENT n’a pas confirmé cette connexion (lien déjà utilisé, expiré ou destiné à un autre service). Recommencez depuis le bouton « Se connecter avec l’ENT ».")
        case .casNoIdentifier: (.forbidden, "L’ENT n’a pas transmis votre identifiant à Acquis. Prévenez la direction : le réglage de l’ENT est à revoir.")
        case .saml(.replayed), .saml(.unknownRequest): (.forbidden, "Cette réponse d’ÉduConnect a déjà servi ou a expiré. Recommencez depuis le bouton « Se connecter avec ÉduConnect ».")
        case .saml(.otherBrowser): (.forbidden, "Cette réponse d’ÉduConnect ne répond pas à une connexion commencée dans ce navigateur : personne n’a été connecté. Pour vous connecter, partez de la page de connexion d’Acquis.")
        case .saml(.unsolicited): (.forbidden, "Acquis n’a pas demandé cette connexion. Pour vous connecter, partez du bouton « Se connecter avec ÉduConnect » de la page de connexion d’Acquis.")
        case .saml(.expired), .saml(.notYetValid): (.forbidden, "Cette connexion ÉduConnect a expiré. Recommencez depuis la page de connexion ; si cela se répète, l’horloge de l’appareil ou du serveur est peut-être décalée.")
        case .saml(.failedStatus): (.forbidden, "ÉduConnect n’a pas validé la connexion. Recommencez, ou connectez-vous avec votre identifiant Acquis.")
        case .saml: (.forbidden, "La réponse reçue n’a pas passé les contrôles de sécurité d’Acquis : personne n’a été connecté. Recommencez depuis la page de connexion ; si cela se répète, prévenez la direction.")
        case .casAddress, .metadata, .lastWayIn, .passwordsClosed: (.badRequest, "Connexion impossible : le réglage de l’établissement est à revoir. Prévenez la direction.")
        }
    }

    // MARK: - Linking and choosing

    @Sendable func linkForm(_ request: Request, context: WebContext) async throws -> Response {
        guard let identity = identities.identity(in: request) else { return .seeOther("/connexion") }
        return try await linkPage(identity, error: nil, context: context)
    }

    func linkPage(_ identity: ExternalIdentity, error: String?, status: HTTPResponse.Status = .ok, context: WebContext) async throws -> Response {
        let passwords = try await services.app.singleSignOn.passwordsOpen(schoolID: identity.schoolID)
        return Page("connexion-lier", title: "Relier votre compte", [
            "source": identity.provider == .ent ? "l’ENT" : "ÉduConnect",
            "passwords": passwords, "error": error as Any, "claimed": identity.claimed != nil,
        ], status: status).response(services.templates, context: context)
    }

    struct LinkForm: Decodable {
        var identifiant: String
        var code: String?
        var mot_de_passe: String?
    }

    @Sendable func link(_ request: Request, context: WebContext) async throws -> Response {
        guard let identity = identities.identity(in: request) else { return .seeOther("/connexion") }
        let form = try await request.decode(as: LinkForm.self, context: context)
        let login = form.identifiant.trimmingCharacters(in: .whitespaces).lowercased()
        let account: Account
        if let password = form.mot_de_passe, !password.isEmpty, form.code?.isEmpty ?? true {
            // The sign-in form's own check: throttle, decoy hash, passwords closed by the school.
            switch try await AuthRoutes(services: services).checkPassword(login: login, password: password, request: request, context: context) {
            case let .signedIn(verified) where verified.schoolID == identity.schoolID:
                try await services.app.singleSignOn.link(identity, verifiedAccount: verified)
                account = verified
            case .signedIn:
                return try await linkPage(identity, error: Self.wrongLink, status: .unauthorized, context: context)
            case let .refused(message, status):
                return try await linkPage(identity, error: message, status: status, context: context)
            }
        } else {
            let address = services.clientAddress(of: request, context: context)
            if let wait = try await services.throttle.wait(login: login, address: address) {
                return try await linkPage(identity, error: "Plusieurs essais ont échoué : patientez \(FrenchText.duration(wait)) avant de réessayer.",
                                          status: .tooManyRequests, context: context)
            }
            do {
                account = try await services.app.singleSignOn.link(identity, login: login, code: form.code ?? "")
            } catch AccountError.wrongCode {
                try await services.throttle.recordFailure(login: login, address: address)
                return try await linkPage(identity, error: Self.wrongLink, status: .unauthorized, context: context)
            }
            try await services.throttle.recordSuccess(login: login, address: address)
        }
        context.logger.info("identity linked", metadata: ["provider": "\(identity.provider.rawValue)", "role": "\(account.role.rawValue)"])
        return start(account, identity: identity, context: context)
    }

    /// A student without their letter asks the school; what happens next is said plainly.
    static let wrongLink = "Identifiant, code ou mot de passe incorrect. Le code est celui de la lettre remise par l’établissement."

    @Sendable func requestLink(_ request: Request, context: WebContext) async throws -> Response {
        guard let identity = identities.identity(in: request) else { return .seeOther("/connexion") }
        let sent = try await services.app.singleSignOn.requestStudentLink(identity)
        let message = sent
            ? "Votre demande est transmise à la direction de l’établissement. Dès qu’elle l’aura acceptée, « Se connecter avec ÉduConnect » vous ouvrira directement Acquis."
            : "Aucun compte élève de l’établissement ne correspond à votre nom et à votre date de naissance. Demandez votre lettre de connexion au secrétariat ou à votre professeur principal."
        var response = Page("connexion-demande", title: "Demande transmise", ["message": message, "sent": sent])
            .response(services.templates, context: context)
        response.headers[values: .setCookie].append(identities.clearCookie(secure: services.secureCookies))
        return response
    }

    @Sendable func choiceForm(_ request: Request, context: WebContext) async throws -> Response {
        guard let identity = identities.identity(in: request) else { return .seeOther("/connexion") }
        let accounts = try await services.app.singleSignOn.accounts(of: identity)
        return Page("connexion-choix", title: "Choisir votre espace", [
            "accounts": accounts.map { ["id": $0.id, "name": $0.displayName, "role": $0.role.label] },
        ]).response(services.templates, context: context)
    }

    struct Choice: Decodable { var compte: Int64 }

    @Sendable func choose(_ request: Request, context: WebContext) async throws -> Response {
        guard let identity = identities.identity(in: request) else { return .seeOther("/connexion") }
        let choice = try await request.decode(as: Choice.self, context: context)
        guard let account = try await services.app.singleSignOn.chosen(accountID: choice.compte, for: identity) else {
            return .seeOther("/connexion/choix")
        }
        return start(account, identity: identity, context: context)
    }

    // MARK: - Direction's settings

    @Sendable func settings(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        return try await settingsPage(account, notice: nil, error: nil, request: request, context: context)
    }

    func settingsPage(_ account: Account, notice: String?, error: String?, status: HTTPResponse.Status = .ok, request: Request,
                      context: WebContext) async throws -> Response {
        let settings = try await services.app.singleSignOn.settings(uai: nil, by: .account(account))
        let base = services.publicAddress(of: request)
        let uai = try await services.app.singleSignOn.options(uai: nil)?.uai ?? ""
        let requests = try await services.app.singleSignOn.linkRequests(uai: nil, by: .account(account))
        return Page("direction-connexion", title: "Connexion par l’ENT et ÉduConnect", [
            "notice": notice as Any, "error": error as Any,
            "passwords": settings.methods.passwordsOpen,
            "casURL": settings.methods.casURL ?? "", "casAttribute": settings.methods.casAttribute ?? "",
            "entOpen": settings.methods.entOpen,
            "idp": settings.identityProvider.map { ["entityID": $0.entityID] } as Any,
            "educonnectOpen": settings.methods.educonnectOpen,
            "entLinked": settings.linked[.ent] ?? 0, "educonnectLinked": settings.linked[.educonnect] ?? 0,
            "service": "\(base)/connexion/ent/\(uai)/retour", "metadata": "\(base)/saml/metadonnees",
            "requests": requests.map(Self.requestValues), "hasRequests": !requests.isEmpty,
        ], status: status).response(services.templates, context: context)
    }

    static func requestValues(_ request: LinkRequest) -> [String: Any] {
        ["id": request.id, "name": request.account.displayName, "login": request.account.login, "day": FrenchText.day(request.requestedAt)]
    }

    struct Decision: Decodable { var decision: String }

    @Sendable func decide(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        let decision = try await request.decode(as: Decision.self, context: context)
        let accept = decision.decision == "relier"
        try await services.app.singleSignOn.decideLinkRequest(id: id, accept: accept, uai: nil, by: .account(account))
        return try await settingsPage(account, notice: accept ? "Compte relié : l’élève se connecte désormais par ÉduConnect." : "Demande refusée.",
                                      error: nil, request: request, context: context)
    }

    struct SettingsForm: Decodable {
        var cas: String?
        var attribut: String?
        var ent: String?
        var metadonnees: String?
        var educonnect: String?
        var mots_de_passe: String?
    }

    @Sendable func saveSettings(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let form = try await request.decode(as: SettingsForm.self, context: context)
        let metadata = form.metadonnees.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : Array($0.utf8) }
        do {
            try await services.app.singleSignOn.save(entAddress: form.cas, entAttribute: form.attribut, entOpen: form.ent != nil,
                                                     metadata: metadata, educonnectOpen: form.educonnect != nil,
                                                     passwordsOpen: form.mots_de_passe != nil, uai: nil, by: .account(account))
        } catch let error as SingleSignOnError {
            let message = switch error {
            case .casAddress: "L’adresse du serveur CAS doit commencer par https:// (ou http://) et ne rien contenir après le chemin, par exemple https://ent.exemple.fr/cas."
            case .metadata(.notXML): "Les métadonnées d’ÉduConnect ne sont pas un fichier XML lisible : collez le contenu complet du fichier fourni."
            case .metadata(.noIdentityProvider): "Ces métadonnées ne décrivent pas de fournisseur d’identité (IDPSSODescriptor)."
            case .metadata(.noRedirectSignOn): "Ces métadonnées n’indiquent pas d’adresse de connexion (SingleSignOnService HTTP-Redirect)."
            case .metadata(.noSigningCertificate): "Ces métadonnées ne contiennent pas le certificat de signature d’ÉduConnect."
            case .lastWayIn: "Gardez au moins une façon de se connecter ouverte : les mots de passe Acquis restent ouverts tant que ni l’ENT ni ÉduConnect ne l’est."
            default: "Réglage impossible."
            }
            return try await settingsPage(account, notice: nil, error: message, status: .badRequest, request: request, context: context)
        }
        return try await settingsPage(account, notice: "Réglages enregistrés.", error: nil, request: request, context: context)
    }
}

extension ExternalSignIn {
    var isChoice: Bool { if case .choice = self { true } else { false } }
}

/// The identity an ENT or EduConnect vouched for, while its person links an account or
/// chooses one: a signed cookie valid 15 minutes, never a session.
struct IdentityCookie: Sendable {
    static let name = "acquis_identite"
    static let lifetime: TimeInterval = 15 * 60
    let key: SymmetricKey

    struct Content: Codable {
        var identity: ExternalIdentity
        var expires: Date
    }

    func setCookie(_ identity: ExternalIdentity, secure: Bool) -> String {
        let payload = (try? JSONEncoder().encode(Content(identity: identity, expires: Date().addingTimeInterval(Self.lifetime)))) ?? Data()
        let value = payload.base64URLEncoded + "." + Data(HMAC<SHA256>.authenticationCode(for: payload, using: key)).base64URLEncoded
        return Cookie(name: Self.name, value: value, maxAge: Int(Self.lifetime), path: "/connexion", secure: secure, httpOnly: true,
                      sameSite: .lax).description
    }

    func clearCookie(secure: Bool) -> String {
        Cookie(name: Self.name, value: "", maxAge: 0, path: "/connexion", secure: secure, httpOnly: true, sameSite: .lax).description
    }

    func identity(in request: Request) -> ExternalIdentity? {
        guard let value = request.cookies[Self.name]?.value else { return nil }
        let parts = value.split(separator: ".")
        guard parts.count == 2, let payload = Data(base64URLEncoded: parts[0]), let mac = Data(base64URLEncoded: parts[1]),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key),
              let content = try? JSONDecoder().decode(Content.self, from: payload), content.expires > Date()
        else { return nil }
        return content.identity
    }
}
