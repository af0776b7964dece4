import AcquisApp
import Crypto
import Foundation
import Hummingbird

/// Hummingbird's session storage over the database: sessions survive a restart, expire when
/// idle, and are cleaned as new ones are created. Keys are stored hashed: a copy of the
/// database does not hand out live session cookies.
struct DatabasePersistDriver: PersistDriver {
    let signIn: SignIn

    static func stored(_ key: String) -> String { StoredSecret.hash(key) }

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let created = try await signIn.createSession(key: Self.stored(key), value: try JSONEncoder().encode(value),
                                                     accountID: (value as? WebSession)?.accountID, expiresAt: Self.date(in: expires),
                                                     ssoTicket: (value as? WebSession)?.ssoTicket)
        guard created else { throw PersistError.duplicate }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await signIn.setSession(key: Self.stored(key), value: try JSONEncoder().encode(value), accountID: (value as? WebSession)?.accountID,
                                    expiresAt: Self.date(in: expires), ssoTicket: (value as? WebSession)?.ssoTicket)
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let accountID: @Sendable (Data) -> Int64? = { value in
            type == WebSession.self ? (try? JSONDecoder().decode(WebSession.self, from: value))?.accountID : nil
        }
        guard let found = try await signIn.session(key: Self.stored(key), accountID: accountID) else { return nil }
        guard var object = try? JSONDecoder().decode(type, from: found.value) else { throw PersistError.invalidConversion }
        // The account comes with the session: the identity of the request costs one statement.
        if var session = object as? WebSession, let account = found.account {
            session.account = account
            object = session as! Object
        }
        return (object, found.expiresAt.map { .seconds(max(0, $0.timeIntervalSinceNow)) })
    }

    func remove(key: String) async throws {
        try await signIn.removeSession(key: Self.stored(key))
    }

    private static func date(in duration: Duration?) -> Date? {
        duration.map { Date().addingTimeInterval(Double($0.components.seconds)) }
    }
}

/// The anti-forgery token of forms shown before sign-in, when there is no session to keep it
/// in: a signed double-submit cookie. The page carries the token in its form, the browser
/// sends it back in a cookie that another site can neither read nor set, and the server
/// checks both agree and that it signed the token (within 8 hours).
struct AnonymousFormToken: Sendable {
    static let cookie = "acquis_formulaire"
    static let lifetime: TimeInterval = 8 * 3600
    let key: SymmetricKey

    init(secret: Data) {
        key = SymmetricKey(data: secret)
    }

    /// A fresh token: issue time, nonce, and their HMAC.
    func issue(now: Date = Date()) -> String {
        let payload = "\(Int(now.timeIntervalSince1970)).\(Token.random())"
        return payload + "." + signature(of: payload)
    }

    /// Whether the server issued this token less than 8 hours ago.
    func isValid(_ token: String, now: Date = Date()) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let issued = TimeInterval(parts[0]) else { return false }
        let payload = "\(parts[0]).\(parts[1])"
        guard Token.matches(signature(of: payload), String(parts[2])) else { return false }
        let age = now.timeIntervalSince1970 - issued
        return age >= -60 && age < Self.lifetime
    }

    private func signature(of payload: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token a request's cookie carries, if the server issued it.
    func fromCookie(of request: Request) -> String? {
        guard let value = request.cookies[Self.cookie]?.value, isValid(value) else { return nil }
        return value
    }

    func setCookie(_ token: String, secure: Bool) -> String {
        Cookie(name: Self.cookie, value: token, maxAge: Int(Self.lifetime), path: "/", secure: secure, httpOnly: true,
               sameSite: .strict).description
    }
}
