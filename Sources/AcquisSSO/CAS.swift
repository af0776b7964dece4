import Foundation

/// A school's ENT as a CAS server (protocol 2.0 and 3.0): where to send people to sign in,
/// where to validate the ticket they bring back, and which attribute names the person.
public struct CASServer: Hashable, Sendable, Codable {
    /// The server's base address, such as `https://ent.example.fr/cas`.
    public var baseURL: URL
    /// The attribute holding the identifier Acquis links to; nil for `cas:user`.
    public var identifierAttribute: String?

    public init(baseURL: URL, identifierAttribute: String? = nil) {
        self.baseURL = baseURL
        self.identifierAttribute = identifierAttribute
    }

    /// A base address as a school's admin types it: http(s), a host, no query. Nil otherwise.
    public init?(address: String, identifierAttribute: String? = nil) {
        var trimmed = address.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
        else { return nil }
        let attribute = identifierAttribute?.trimmingCharacters(in: .whitespaces)
        if let attribute, !attribute.isEmpty,
           !attribute.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) {
            return nil
        }
        self.init(baseURL: url, identifierAttribute: attribute?.isEmpty == false ? attribute : nil)
    }

    /// Where the browser goes to sign in at the ENT, to come back to `service` with a ticket.
    public func loginURL(service: String) -> URL {
        endpoint("login", ["service": service])
    }

    /// Where Acquis asks whether a ticket is good for `service` (CAS 3.0, attributes included).
    public func validationURL(service: String, ticket: String) -> URL {
        endpoint("p3/serviceValidate", ["service": service, "ticket": ticket])
    }

    /// Where the browser goes to sign out of the ENT too.
    public func logoutURL(service: String) -> URL {
        endpoint("logout", ["service": service])
    }

    private func endpoint(_ path: String, _ query: [String: String]) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = query.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.formEncoded($0.value))" }.joined(separator: "&")
        return components.url!
    }

    /// Percent-encoding of a query value: everything but unreserved characters.
    public static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}

/// What the CAS server answered about a ticket.
public enum CASValidation: Equatable, Sendable {
    /// The ticket is good: the person's `cas:user` and the attributes released (each may repeat).
    case success(user: String, attributes: [String: [String]])
    /// The server refused the ticket, with its code (`INVALID_TICKET`, `INVALID_SERVICE`, …).
    case failure(code: String)

    /// Reads a `cas:serviceResponse` document; nil when it is not one.
    public init?(response: [UInt8]) {
        guard let tree = XMLTree(response), tree.root.is("serviceResponse", in: XMLNamespace.cas) else { return nil }
        if let success = tree.root.child("authenticationSuccess", in: XMLNamespace.cas) {
            guard let user = success.child("user", in: XMLNamespace.cas)?.text, !user.isEmpty else { return nil }
            var attributes: [String: [String]] = [:]
            for attribute in success.child("attributes", in: XMLNamespace.cas)?.children ?? [] where attribute.namespace == XMLNamespace.cas {
                attributes[attribute.name, default: []].append(attribute.text)
            }
            self = .success(user: user, attributes: attributes)
        } else if let failure = tree.root.child("authenticationFailure", in: XMLNamespace.cas) {
            self = .failure(code: failure.attribute("code") ?? "INTERNAL_ERROR")
        } else {
            return nil
        }
    }

    /// The identifier a CAS server gives for a person: the named attribute, else `cas:user`.
    public func identifier(for server: CASServer) -> String? {
        guard case let .success(user, attributes) = self else { return nil }
        guard let name = server.identifierAttribute else { return user }
        return attributes[name]?.first { !$0.isEmpty }
    }
}

/// A single logout request a CAS server posts when the person signs out of the ENT.
public enum CASLogoutRequest {
    /// The service ticket whose session must end, read from the `logoutRequest` form field.
    public static func ticket(in logoutRequest: String) -> String? {
        guard let tree = XMLTree(Array(logoutRequest.utf8)), tree.root.is("LogoutRequest", in: XMLNamespace.protocol_) else { return nil }
        let index = tree.root.child("SessionIndex", in: XMLNamespace.protocol_)?.text
        return index?.isEmpty == false ? index : nil
    }
}
