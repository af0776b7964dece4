import Foundation

/// An identity provider (EduConnect) as its metadata file describes it: its name, where to send
/// people to sign in, and the certificates its signatures are checked with. Nothing else of a
/// message is trusted: a key carried by a response is never used.
public struct SAMLIdentityProvider: Hashable, Sendable, Codable {
    public var entityID: String
    /// The single sign-on address of the HTTP-Redirect binding.
    public var signOnURL: URL
    /// DER certificates of the keys that sign for it (usually one; two during a rollover).
    public var signingCertificates: [Data]

    public init(entityID: String, signOnURL: URL, signingCertificates: [Data]) {
        self.entityID = entityID
        self.signOnURL = signOnURL
        self.signingCertificates = signingCertificates
    }

    /// Why a metadata file cannot be used, for each front end to word.
    public enum MetadataError: Error, Equatable, Sendable {
        case notXML
        case noIdentityProvider
        case noRedirectSignOn
        case noSigningCertificate
    }

    /// Reads an `EntityDescriptor` (or the first identity provider of an `EntitiesDescriptor`).
    public init(metadata: [UInt8]) throws(MetadataError) {
        guard let tree = XMLTree(metadata) else { throw .notXML }
        let root = tree.root
        let entities = root.is("EntityDescriptor", in: XMLNamespace.metadata) ? [root]
            : root.descendants.filter { $0.is("EntityDescriptor", in: XMLNamespace.metadata) }
        guard let entity = entities.first(where: { $0.child("IDPSSODescriptor", in: XMLNamespace.metadata) != nil }),
              let entityID = entity.attribute("entityID"), !entityID.isEmpty,
              let descriptor = entity.child("IDPSSODescriptor", in: XMLNamespace.metadata)
        else { throw .noIdentityProvider }
        let redirect = descriptor.children("SingleSignOnService", in: XMLNamespace.metadata)
            .first { $0.attribute("Binding") == SAMLBinding.redirect }
        guard let location = redirect?.attribute("Location"), let url = URL(string: location),
              ["http", "https"].contains(url.scheme?.lowercased() ?? "")
        else { throw .noRedirectSignOn }
        let certificates = descriptor.children("KeyDescriptor", in: XMLNamespace.metadata)
            .filter { ($0.attribute("use") ?? "signing") == "signing" }
            .flatMap { $0.descendants.filter { $0.is("X509Certificate", in: XMLNamespace.signature) } }
            .compactMap { Data(base64Encoded: $0.text.filter { !$0.isWhitespace }) }
        guard !certificates.isEmpty else { throw .noSigningCertificate }
        self.init(entityID: entityID, signOnURL: url, signingCertificates: certificates)
    }
}

/// SAML 2.0 names used here.
public enum SAMLBinding {
    public static let redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    public static let post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    static let bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    static let success = "urn:oasis:names:tc:SAML:2.0:status:Success"
    static let rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
}

/// PEM armour of DER bytes.
enum PEM {
    static func armour(_ der: Data, label: String) -> String {
        let base64 = der.base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(base64)
        while !rest.isEmpty { lines.append(rest.prefix(64)); rest = rest.dropFirst(64) }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }
}
