import Foundation

/// The school as a badge issuer, and where its public Open Badges documents live.
public struct Issuer: Hashable, Sendable {
    public var uai: String
    public var name: String
    /// The school's own web site.
    public var url: String
    public var email: String
    /// Where the Acquis web app (or a static copy of its documents) is reachable from the
    /// outside, e.g. `https://acquis.lycee-exemple.fr`. Badge verifiers fetch the issuer
    /// profile, keys and revocation lists under it.
    public var publicBaseURL: String

    public init(uai: String, name: String, url: String, email: String, publicBaseURL: String) {
        self.uai = uai
        self.name = name
        self.url = url
        self.email = email
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicBaseURL = base
    }

    /// What is wrong with the profile, in French, field by field: a name, a web address for
    /// the site and the public address, an e-mail address.
    public var problems: [(field: String, message: String)] {
        var found: [(String, String)] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { found.append(("nom", "le nom de l’établissement est vide")) }
        for (field, value) in [("site", url), ("url-publique", publicBaseURL)] where !Self.isWebAddress(value) {
            found.append((field, "« \(value) » n’est pas une adresse web (https://…)"))
        }
        if !email.contains("@") || email.hasPrefix("@") || email.hasSuffix("@") || email.contains(" ") {
            found.append(("courriel", "« \(email) » n’est pas une adresse électronique"))
        }
        return found
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["https", "http"].contains(scheme), let host = components.host, !host.isEmpty else { return false }
        return true
    }

    /// The URLs of the hosted documents. Their layout is also the layout of a static export.
    public var urls: HostedURLs { HostedURLs(base: publicBaseURL, uai: uai) }

    /// Where an alignment points: its official page, else the referential's page on this
    /// school's Acquis site, else the school's site.
    public func targetURL(_ alignment: BadgeAlignment) -> String {
        if let url = alignment.targetURL { return url }
        if let key = alignment.referential, let node = alignment.nodeCode {
            return urls.referentialPage(code: key.code, version: key.version, node: node)
        }
        return url
    }
}

/// Paths of the hosted Open Badges documents, relative to the public base URL. A static
/// export writes the same paths under a folder.
public struct HostedURLs: Hashable, Sendable {
    public var base: String
    public var uai: String

    public var issuerPath: String { "openbadges/emetteur-\(uai.lowercased()).json" }
    public func keyPath(_ keyID: String) -> String { "openbadges/cles/\(keyID).json" }
    public func jwkPath(_ keyID: String) -> String { "openbadges/cles/\(keyID).jwk" }
    public func badgeClassPath(_ slug: String) -> String { "openbadges/badges/\(slug).json" }
    public func imagePath(_ slug: String, format: BadgeImageFormat) -> String { "openbadges/badges/\(slug).\(format.rawValue)" }
    public var revocationListPath: String { "openbadges/revocations-\(uai.lowercased()).json" }
    public var credentialStatusPath: String { "openbadges/ob3/revocations-\(uai.lowercased()).json" }

    public func url(_ path: String) -> String { "\(base)/\(path)" }

    public var issuer: String { url(issuerPath) }
    public func key(_ keyID: String) -> String { url(keyPath(keyID)) }
    public func jwk(_ keyID: String) -> String { url(jwkPath(keyID)) }
    public func badgeClass(_ slug: String) -> String { url(badgeClassPath(slug)) }
    public func image(_ slug: String, format: BadgeImageFormat = .png) -> String { url(imagePath(slug, format: format)) }
    public var revocationList: String { url(revocationListPath) }
    public var credentialStatus: String { url(credentialStatusPath) }
    /// The public page where anyone checks a badge, by its random id: what a progress file links to.
    public func verificationPage(_ uuid: String) -> String { url("verifier/\(uuid)") }
    /// The public page of a production the student shares: what a badge's evidence points to.
    public func sharedProduction(_ key: String) -> String { url("preuve/\(key)") }
    /// The page of a referential node on the school's Acquis site, for alignments without an official page.
    public func referentialPage(code: String, version: String, node: String) -> String {
        url("referentiels/\(code)/\(version)#\(node)")
    }
}

public enum BadgeImageFormat: String, Sendable, CaseIterable {
    case png, svg
}

/// A signing key of the issuer, as published. The private half stays in a key file.
public struct IssuerKey: Hashable, Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        /// RSA 2048 with SHA-256: the only algorithm Open Badges 2.0 verifiers accept.
        case rs256 = "RS256"
        /// ECDSA P-256 with SHA-256: accepted for Open Badges 3.0.
        case es256 = "ES256"
    }

    public var id: String
    public var algorithm: Algorithm
    public var publicKeyPEM: String
    public var createdAt: Date
    /// Set when a newer key replaced this one. A retired key still verifies the badges it signed.
    public var retiredAt: Date?

    public init(id: String, algorithm: Algorithm, publicKeyPEM: String, createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.algorithm = algorithm
        self.publicKeyPEM = publicKeyPEM
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    public var isActive: Bool { retiredAt == nil }
}
