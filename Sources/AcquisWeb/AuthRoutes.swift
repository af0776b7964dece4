import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird
import HummingbirdAuth

/// Sign-in and sign-out.
struct AuthRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/") { _, context -> Response in
            guard let account = context.identity else { return .seeOther("/connexion") }
            return .seeOther(Navigation.home(for: account.role))
        }
        router.get("/connexion", use: form)
        router.post("/connexion", use: signIn)
        router.post("/deconnexion") { request, context -> Response in
            let school = context.sessions.session?.entSchool
            context.sessions.clearSession()
            // Signed in through the ENT: signed out there too, then back to Acquis' sign-in page.
            if let school, let server = try? await services.app.singleSignOn.casServer(uai: school) {
                return .seeOther(server.logoutURL(service: services.publicAddress(of: request) + "/connexion").absoluteString)
            }
            return .seeOther("/connexion")
        }
        router.get("/static/{name}") { _, context -> Response in
            let name = try context.parameters.require("name")
            guard let asset = services.assets[name] else { throw HTTPError(.notFound, message: "Fichier introuvable.") }
            return .file(asset.bytes, type: asset.type, cache: true)
        }
    }

    struct SignIn: Decodable {
        var identifiant: String
        var mot_de_passe: String
        var suite: String?
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Response {
        if let account = context.identity { return .seeOther(Navigation.home(for: account.role)) }
        var values: [String: Any] = ["suite": request.uri.queryParameters["suite"].map(String.init) ?? ""]
        if request.uri.queryParameters["installe"] != nil {
            values["notice"] = "L’établissement est installé. Connectez-vous avec l’identifiant et le mot de passe que vous venez de choisir."
        }
        // Sent here by the identity middleware: a student who left, past the school's period.
        if let ended = request.uri.queryParameters["fin"].flatMap({ CalendarDate(iso: String($0)) }) {
            values["error"] = Refusal.leaver(until: ended, ended: true)
        }
        return try await Page("connexion", title: "Connexion", values.merging(ways(), uniquingKeysWith: { a, _ in a }))
            .response(services.templates, context: context)
    }

    /// The ways in the school's sign-in page offers. With several schools (an académie), each
    /// school's page says its own; passwords stay on for the académie's accounts.
    func ways() async throws -> [String: Any] {
        guard let options = try? await services.app.singleSignOn.options(uai: nil) else { return ["passwords": true] }
        return ["passwords": options.passwords, "ent": options.ent, "educonnect": options.educonnect,
                "external": options.ent || options.educonnect]
    }

    @Sendable func signIn(_ request: Request, context: WebContext) async throws -> Response {
        let form = try await request.decode(as: SignIn.self, context: context)
        switch try await authenticate(login: form.identifiant, password: form.mot_de_passe, request: request, context: context) {
        case .signedIn(let account):
            return .seeOther(Self.safeNext(form.suite) ?? Navigation.home(for: account.role))
        case .refused(let message, let status):
            let values: [String: Any] = ["error": message, "login": form.identifiant, "suite": form.suite ?? ""]
            return try await Page("connexion", title: "Connexion", values.merging(ways(), uniquingKeysWith: { a, _ in a }),
                                  status: status).response(services.templates, context: context)
        }
    }

    enum Outcome {
        case signedIn(Account)
        case refused(String, HTTPResponse.Status)
    }

    /// Checks a password, counting failures per login; on success the session starts anew
    /// (new id, new token), so an id planted before sign-in is worthless after it.
    func authenticate(login: String, password: String, request: Request, context: WebContext) async throws -> Outcome {
        let outcome = try await checkPassword(login: login, password: password, request: request, context: context)
        if case let .signedIn(account) = outcome {
            context.sessions.clearSession()
            context.sessions.createSession(.fresh(accountID: account.id))
        }
        return outcome
    }

    /// The account whose password this is, without starting a session (linking an ENT identity
    /// checks the same way): failures counted per login and address, an unknown login as slow
    /// as a wrong password, refused when the school closed passwords.
    func checkPassword(login: String, password: String, request: Request, context: WebContext) async throws -> Outcome {
        let login = login.trimmingCharacters(in: .whitespaces)
        let address = services.clientAddress(of: request, context: context)
        if let wait = try await services.throttle.wait(login: login, address: address) {
            return .refused("Plusieurs essais ont échoué pour cet identifiant : patientez \(FrenchText.duration(wait)) avant de réessayer.",
                            .tooManyRequests)
        }
        let credentials = try await services.app.signIn.credentials(login: login)
        // An account activated through the ENT has no password: nothing to verify against.
        let hash = credentials?.passwordHash ?? Passwords.decoy
        let verified = Passwords.verify(password, hash: hash.isEmpty ? Passwords.decoy : hash) && !hash.isEmpty
        guard let credentials, verified else {
            try await services.throttle.recordFailure(login: login, address: address)
            return .refused("Identifiant ou mot de passe incorrect.", .unauthorized)
        }
        guard try await services.app.singleSignOn.passwordsOpen(for: credentials.account) else {
            return .refused("Cet établissement se connecte par l’ENT ou ÉduConnect : utilisez le bouton correspondant.", .forbidden)
        }
        try await services.throttle.recordSuccess(login: login, address: address)
        return .signedIn(credentials.account)
    }

    /// Only a path of this site: one slash, then printable ASCII without a backslash. Browsers
    /// drop tabs and line breaks from addresses and read `\` as `/`, so `/%09/host` and
    /// `/\host` would lead to another site; anything but a plain local path is refused.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"),
              next.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" })
        else { return nil }
        let rest = next.dropFirst()
        guard !rest.hasPrefix("/") else { return nil }
        return next
    }
}
