import AcquisApp
import AcquisMedia
import AcquisStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import MultipartKit
import NIOCore

/// Puts the signed-in account in the context, from the session, and confines what the request
/// reads and writes to the account's school (``App/confining(to:isolation:_:)``). A student who
/// left (or their family) is led to the download of the portfolio, the one page left to them;
/// the application core refuses them the rest whatever the page.
struct IdentityMiddleware: RouterMiddleware {
    let app: App
    var signIn: SignIn { app.signIn }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let session = context.sessions.session, let id = session.accountID {
            context.identity = session.account?.id == id ? session.account : try await signIn.account(id: id)
        }
        guard let account = context.identity else { return try await next(request, context) }
        return try await app.confining(to: .account(account)) {
            switch try await app.students.leaverAccess(by: .account(account)) {
            case .enrolled:
                return try await next(request, context)
            case .downloadOnly where Self.openToLeavers(request):
                return try await next(request, context)
            case let .downloadOnly(_, until):
                guard request.method == .get, !request.uri.path.hasPrefix("/api/") else {
                    throw HTTPError(.forbidden, message: Refusal.leaver(until: until, ended: false))
                }
                return .seeOther(Self.leaverPage)
            case let .ended(_, until):
                // Signed out for good: the session is of no use any more; the sign-in page says why.
                context.sessions.clearSession()
                return .seeOther("/connexion?fin=\(until.iso)")
            }
        }
    }

    /// Where a student who left (or their family) lands: the download of the portfolio.
    static let leaverPage = "/depart"

    /// What a student who left still opens: the page that says so, the portfolio's download,
    /// signing out, and the style sheet and script those pages load.
    static func openToLeavers(_ request: Request) -> Bool {
        let path = request.uri.path
        return [leaverPage, "/eleve/portfolio.zip", "/deconnexion"].contains(path) || path.hasPrefix("/static/")
    }
}

/// Refuses any write that does not carry the expected token: in the `X-CSRF-Token` header
/// (API, scripts) or the `_csrf` field of a form. Signed in, the token is the session's;
/// before sign-in there is no session (none is created for a visit), and the token is a
/// signed double-submit cookie. A page of another site can read neither, so it cannot make a
/// browser post on its behalf.
struct CSRFMiddleware: RouterMiddleware {
    static let header = HTTPTypes.HTTPField.Name("X-CSRF-Token")!
    static let field = "_csrf"
    let anonymous: AnonymousFormToken
    let secureCookies: Bool

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        let cookieToken = context.sessions.session == nil ? anonymous.fromCookie(of: request) : nil
        guard ![.get, .head, .options].contains(request.method), !Self.isAPISignIn(request),
              !SingleSignOnRoutes.postedByProvider(request.uri.path) else {
            var issued: String?
            if context.sessions.session == nil, cookieToken == nil, request.method == .get {
                issued = anonymous.issue()
            }
            context.formToken = cookieToken ?? issued
            var response = try await next(request, context)
            // Only pages carry forms: public documents and assets, which caches may keep, never
            // come with a cookie.
            if let issued, context.sessions.session == nil, response.headers[.contentType]?.hasPrefix("text/html") == true {
                response.headers[values: .setCookie].append(anonymous.setCookie(issued, secure: secureCookies))
            }
            return response
        }
        var request = request
        let sent = try await token(in: &request, context: context)
        guard let expected = context.sessions.session?.csrf ?? cookieToken, let sent, Token.matches(sent, expected) else {
            throw HTTPError(.forbidden, message: "Ce formulaire a expiré ou ne vient pas d’Acquis : rechargez la page et recommencez.")
        }
        context.formToken = cookieToken
        return try await next(request, context)
    }

    /// Signing in through the API starts the session that holds the token. A page of another
    /// site cannot send a JSON body without the browser asking this server first (CORS), and
    /// this server never allows it.
    static func isAPISignIn(_ request: Request) -> Bool {
        request.uri.path == "/api/v1/session" && request.method == .post
            && request.headers[.contentType]?.hasPrefix("application/json") == true
    }

    /// One field of a URL-encoded body, read on its own: a form may carry fields a flat
    /// decoder refuses (`classes[]` checkboxes), and its token must still be found.
    static func field(_ name: String, inURLEncoded body: String) -> String? {
        fields(name, inURLEncoded: body).first
    }

    /// Every value of a field a form repeats (checkboxes of the same name), in order.
    static func fields(_ name: String, inURLEncoded body: String) -> [String] {
        body.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map({ $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }) == name else { return nil }
            return parts.count == 2 ? parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
        }
    }

    private func token(in request: inout Request, context: WebContext) async throws -> String? {
        if let header = request.headers[Self.header] { return header }
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            return Self.field(Self.field, inURLEncoded: String(buffer: body))
        }
        if type.hasPrefix("multipart/form-data"), let boundary = MultipartForm.boundary(of: type) {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            return (try? MultipartForm(body, boundary: boundary))?.text(Self.field)
        }
        return nil
    }
}

/// Reads every request body once, before any route or the CSRF check looks at it (the session
/// and the identity, which read no body, come first), and hands the collected bytes down: a streamed body can be iterated only once, and a route that decodes
/// a form twice (its fields, then its cells) must see the same bytes both times. A body over
/// the limit is refused with 413 before it is read in full.
struct CollectedBodyMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        var context = context
        // Productions and packages are larger than any form, and only an account sends them: a
        // visitor's body stays under the common limit, refused before it is read in full.
        let production = context.identity != nil && PortfolioRoutes.isUpload(request.uri.path)
        if production { context.maxUploadSize = PortfolioRoutes.uploadLimit }
        if context.identity != nil, PortfolioRoutes.isPackage(request.uri.path) { context.maxUploadSize = PortfolioRoutes.packageLimit }
        let limit = context.maxUploadSize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit: limit, production: production)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit: limit, production: production)
        }
        return try await next(request, context)
    }

    static func tooLarge(limit: Int, production: Bool) -> HTTPError {
        guard !production else {
            return HTTPError(.contentTooLarge, message: "Le fichier dépasse \(MediaLimits.megabytes(MediaLimits().largest)), "
                             + "la taille maximale d’une production : gardez un extrait plus court ou envoyez un autre fichier.")
        }
        return HTTPError(.contentTooLarge, message: "L’envoi dépasse \(limit / (1024 * 1024)) Mo, la taille maximale acceptée : "
                         + "envoyez un fichier plus petit (un référentiel officiel pèse moins d’un mégaoctet).")
    }
}

/// A `multipart/form-data` body split into its fields, through MultipartKit's parser.
struct MultipartForm {
    struct Part {
        var name: String?
        /// The file name a browser sent with a file field, without any folder.
        var fileName: String?
        var body: [UInt8] = []
    }

    var parts: [Part] = []

    init(_ body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var current = Part()
        var collected: [Part] = []
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            current.name = Self.parameter("name", in: value)
            current.fileName = Self.parameter("filename", in: value)?
                .split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)
        }
        parser.onBody = { buffer in current.body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            collected.append(current)
            current = Part()
        }
        do {
            try parser.execute(body)
        } catch {
            // A body that is not the multipart form it claims to be is the sender's mistake.
            throw HTTPError(.badRequest, message: "Le formulaire envoyé est mal formé : renvoyez le fichier depuis la page de dépôt.")
        }
        parts = collected
    }

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    func text(_ name: String) -> String? { part(name).map { String(decoding: $0.body, as: UTF8.self) } }

    static func boundary(of contentType: String) -> String? {
        parameter("boundary", in: contentType)
    }

    private static func parameter(_ key: String, in header: String) -> String? {
        for parameter in header.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == key {
                return String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}

/// Headers that keep pages from being framed, sniffed or made to run foreign scripts.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'" }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// The application core's sign-in throttle (counts kept in the database, shared by every
/// process serving it), in the web app's units.
struct LoginThrottle: Sendable {
    let throttle: SignInThrottle

    /// How long to wait before trying again, or nil when an attempt is allowed now.
    func wait(login: String, address: String, now: Date = Date()) async throws -> Duration? {
        try await throttle.wait(login: login, address: address, now: now).map { .milliseconds(Int64(($0 * 1000).rounded(.up))) }
    }

    func recordFailure(login: String, address: String, now: Date = Date()) async throws {
        try await throttle.recordFailure(login: login, address: address, now: now)
    }

    func recordSuccess(login: String, address: String) async throws {
        try await throttle.recordSuccess(login: login, address: address)
    }
}

/// Passwords are only ever stored as bcrypt hashes.
public enum Passwords {
    public static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A hash to check against when the login is unknown, so that a wrong login takes as long
    /// as a wrong password and logins cannot be probed by timing.
    static let decoy = Bcrypt.hash("acquis-decoy", cost: 12)
}
