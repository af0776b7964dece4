import AcquisStorage
import Foundation
import Hummingbird
import HummingbirdAuth

/// What the session cookie stands for, kept server-side: who signed in and the token every
/// form and API write must echo back.
public struct WebSession: Codable, Sendable {
    public var accountID: Int64?
    public var csrf: String
    /// The hash of the CAS ticket that opened the session: single logout from the ENT ends it.
    public var ssoTicket: String?
    /// The school whose ENT opened the session: signing out of Acquis signs out of the ENT too.
    public var entSchool: String?
    /// The account `accountID` names, as read with the session; never stored with it.
    public var account: Account?

    enum CodingKeys: String, CodingKey {
        case accountID, csrf, ssoTicket, entSchool
    }

    static func fresh(accountID: Int64? = nil) -> WebSession {
        WebSession(accountID: accountID, csrf: Token.random())
    }
}

/// The request context of every route: the session, the signed-in account, and forms or JSON
/// decoded alike.
public struct WebContext: AuthRequestContext, SessionRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Account?
    public let sessions: SessionContext<WebSession>
    /// The peer's IP address, without its port.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress
        formToken = nil
    }

    public var requestDecoder: FormOrJSONDecoder { FormOrJSONDecoder() }
    /// The largest body a request may send: 8 Mo (referential files, the largest forms, are
    /// well under a megabyte), more for a production's upload (set by ``CollectedBodyMiddleware``).
    public var maxUploadSize: Int = 8 * 1024 * 1024

    /// The signed-in account, or 401: pages turn it into the sign-in page, the API into JSON.
    public func account() throws -> Account {
        guard let identity else { throw HTTPError(.unauthorized, message: "Connectez-vous pour continuer.") }
        return identity
    }

    /// The anti-forgery token of a form shown before sign-in, set by ``CSRFMiddleware``.
    public var formToken: String?

    /// The token every form of the page carries: the session's once signed in, else the
    /// signed cookie's. No session is opened for a visitor.
    public func csrfToken() -> String {
        sessions.session?.csrf ?? formToken ?? ""
    }
}

/// Decodes JSON bodies for the API and URL-encoded forms for pages.
public struct FormOrJSONDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            return try await URLEncodedFormDecoder().decode(type, from: request, context: context)
        }
        return try await JSONDecoder().decode(type, from: request, context: context)
    }
}

enum Token {
    /// 32 random bytes, URL-safe: session ids and CSRF tokens cannot be guessed.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares in time independent of where the strings differ.
    static func matches(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// What a person typed in a field of a form sent by GET (a search): browsers write a space
    /// as « + » in the address, which Hummingbird's query parameters keep as is.
    /// Bytes that are not UTF-8 once decoded are kept as sent, as Hummingbird does.
    func typedQuery(_ name: String) -> String? {
        guard let query = uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name else { continue }
            let value = parts.count == 2 ? parts[1].replacingOccurrences(of: "+", with: " ") : ""
            return value.removingPercentEncoding ?? value
        }
        return nil
    }
}
