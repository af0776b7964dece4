import AcquisStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import MultipartKit

/// Puts the signed-in account in the context, from the session.
struct IdentityMiddleware: RouterMiddleware {
    let database: any DatabaseReader

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let id = context.sessions.session?.accountID {
            context.identity = try await database.read { try AccountStore().account(id: id, in: $0) }
        }
        return try await next(request, context)
    }
}

/// Refuses any write that does not carry the session's token: in the `X-CSRF-Token` header
/// (API, scripts) or the `_csrf` field of a form. A page of another site cannot read the token,
/// so it cannot make a signed-in browser post on its behalf.
struct CSRFMiddleware: RouterMiddleware {
    static let header = HTTPTypes.HTTPField.Name("X-CSRF-Token")!
    static let field = "_csrf"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), !Self.isAPISignIn(request) else {
            return try await next(request, context)
        }
        var request = request
        let sent = try await token(in: &request, context: context)
        guard let expected = context.sessions.session?.csrf, let sent, Token.matches(sent, expected) else {
            throw HTTPError(.forbidden, message: "Ce formulaire a expiré ou ne vient pas d’Acquis : rechargez la page et recommencez.")
        }
        return try await next(request, context)
    }

    /// Signing in through the API starts the session that holds the token. A page of another
    /// site cannot send a JSON body without the browser asking this server first (CORS), and
    /// this server never allows it.
    static func isAPISignIn(_ request: Request) -> Bool {
        request.uri.path == "/api/v1/session" && request.method == .post
            && request.headers[.contentType]?.hasPrefix("application/json") == true
    }

    private func token(in request: inout Request, context: WebContext) async throws -> String? {
        if let header = request.headers[Self.header] { return header }
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let fields = try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
            return fields?[Self.field]
        }
        if type.hasPrefix("multipart/form-data"), let boundary = MultipartForm.boundary(of: type) {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            return (try? MultipartForm(body, boundary: boundary))?.text(Self.field)
        }
        return nil
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
        try parser.execute(body)
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

/// Slows password guessing: after `limit` failures for one login within `window`, sign-in
/// for that login is refused until the oldest failure leaves the window.
actor LoginThrottle {
    let limit: Int
    let window: Duration
    private var failures: [String: [ContinuousClock.Instant]] = [:]

    init(limit: Int = 5, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    /// How long to wait before trying again, or nil when an attempt is allowed.
    func wait(for login: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let recent = prune(login.lowercased(), now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return oldest + window - now
    }

    func recordFailure(for login: String, now: ContinuousClock.Instant = .now) {
        failures[login.lowercased(), default: []].append(now)
    }

    func recordSuccess(for login: String) {
        failures[login.lowercased()] = nil
    }

    private func prune(_ key: String, now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        let recent = (failures[key] ?? []).filter { now - $0 < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
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
