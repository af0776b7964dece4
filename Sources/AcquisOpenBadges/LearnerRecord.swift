import AcquisBadges
import Crypto
import Foundation
import JWTKit

/// A 1EdTech Comprehensive Learner Record 2.0 (`ClrCredential`) gathering a student's badges,
/// signed as VC-JWT by the school with the key of its Open Badges 3.0 credentials.
/// See https://www.imsglobal.org/spec/clr/v2p0/
///
/// The badges are embedded by value as the `OpenBadgeCredential`s their own VC-JWTs carry,
/// each with its hashed recipient and revocation status; the record's signature covers them,
/// the issuer being the same. The learner is named only by a salted hash, as in each badge.
public struct LearnerRecord: Sendable {
    public static let context: JSONValue = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]

    /// A lower-case version 4 UUID: the record's id is `urn:uuid:` + this.
    public var uuid: String
    public var recipient: HashedRecipient
    public var awards: [IssuedAward]
    public var issuedAt: Date

    public init(uuid: String = UUID().uuidString.lowercased(), recipient: HashedRecipient, awards: [IssuedAward],
                issuedAt: Date) {
        self.uuid = uuid
        self.recipient = recipient
        self.awards = awards
        self.issuedAt = issuedAt
    }

    public var id: String { "urn:uuid:\(uuid)" }

    /// The JWT claims: the ClrCredential itself at the top level, with `iss`, `jti` and `nbf`.
    public func claims(issuer: Issuer) -> JSONValue {
        let badges = OpenBadges3(issuer: issuer)
        var members: [String: JSONValue] = [
            "@context": Self.context,
            "id": .string(id),
            "type": ["VerifiableCredential", "ClrCredential"],
            "issuer": badges.profile,
            "name": .string("Compétences et badges délivrés par \(issuer.name)"),
            "validFrom": .string(issuedAt.openBadgesTimestamp),
            "credentialSubject": [
                "type": ["ClrSubject"],
                "identifier": [[
                    "type": "IdentityObject",
                    "identityHash": .string(recipient.identityHash),
                    "identityType": .string(recipient.kind.ob3Type),
                    "hashed": true,
                    "salt": .string(recipient.salt),
                ]],
                "achievement": .array(awards.map { badges.achievement($0.badge) }),
                "verifiableCredential": .array(awards.map { badges.credential($0) }),
            ],
            "credentialStatus": ["id": .string(issuer.urls.credentialStatus), "type": "1EdTechRevocationList"],
        ]
        members["iss"] = .string(issuer.urls.issuer)
        members["jti"] = .string(id)
        members["nbf"] = .number(issuedAt.timeIntervalSince1970.rounded(.down))
        return .object(members)
    }
}

extension BadgeSigner {
    /// The learner record as a VC-JWT, with the same header as the badges' credentials.
    public func signLearnerRecord(_ record: LearnerRecord) async throws -> String {
        try await signCredentialClaims(record.claims(issuer: issuer))
    }
}

extension BadgeSigner {
    /// The school's signature of a portfolio package: a JWT whose claims name the issuer and
    /// the SHA-256 of the package's manifest (which lists every file's SHA-256), signed like
    /// the badges' credentials, so that the same trusted keys verify it.
    public func signPortfolioPackage(manifestSHA256 digest: String, issuedAt: Date) async throws -> String {
        try await signCredentialClaims(.object([
            "iss": .string(issuer.urls.issuer),
            "type": .array(["AcquisPortfolioPackage"]),
            "manifestSha256": .string(digest),
            "nbf": .number(issuedAt.timeIntervalSince1970.rounded(.down)),
        ]))
    }
}

extension BadgeVerifier {
    /// The issuer that signed a portfolio package whose manifest has `digest`; nil when no
    /// trusted key signed it, the signature does not match, or it is for another manifest.
    public func portfolioPackageIssuer(token: String, manifestSHA256 digest: String) async -> Issuer? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: parts[0]), let payloadData = Data(base64URLEncoded: parts[1]),
              let header = try? JSONValue(json: headerData), let payload = try? JSONValue(json: payloadData),
              payload["type"]?.strings == ["AcquisPortfolioPackage"], payload["manifestSha256"]?.string == digest,
              let (trusted, key) = signingKey(version: .v3, header: header, payload: payload),
              payload["iss"]?.string == trusted.issuer.urls.issuer,
              await Self.signatureIsValid(token, key: key) else { return nil }
        return trusted.issuer
    }
}

/// A portfolio package's signature read with the public key its header carries (`jwk`): who
/// claims to have signed it, and whether that key did. The key is only as trusted as the
/// school that confirms its fingerprint (``thumbprint``) with the signing school.
public struct PackageSignature: Hashable, Sendable {
    /// The signing issuer's profile URL (`iss`).
    public var issuerURL: String
    /// The key that signed, as the header carries it (its id is the header's `kid`).
    public var key: IssuerKey
    /// The key's JWK thumbprint (RFC 7638, SHA-256), in upper-case hexadecimal.
    public var thumbprint: String

    /// The signature of a package whose manifest has `digest`; nil when the token is not a
    /// package signature, is for another manifest, carries no usable key, or that key did not sign it.
    public static func read(token: String, manifestSHA256 digest: String) async -> PackageSignature? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: parts[0]), let payloadData = Data(base64URLEncoded: parts[1]),
              let header = try? JSONValue(json: headerData), let payload = try? JSONValue(json: payloadData),
              payload["type"]?.strings == ["AcquisPortfolioPackage"], payload["manifestSha256"]?.string == digest,
              let issuerURL = payload["iss"]?.string, let jwk = header["jwk"], let kid = header["kid"]?.string,
              let (key, thumbprint) = publicKey(jwk, id: kid),
              await BadgeVerifier.signatureIsValid(token, key: key) else { return nil }
        return PackageSignature(issuerURL: issuerURL, key: key, thumbprint: thumbprint)
    }

    /// The fingerprint of a key as a school reads it to another: the thumbprint of its JWK.
    public static func thumbprint(of key: IssuerKey) -> String? {
        (try? key.jwk()).flatMap { publicKey($0, id: key.id)?.thumbprint }
    }

    /// « 3F2A 91C0 … »: a thumbprint in groups of four, easier to read aloud and compare.
    public static func spaced(_ thumbprint: String) -> String {
        stride(from: 0, to: thumbprint.count, by: 4).map { start in
            let from = thumbprint.index(thumbprint.startIndex, offsetBy: start)
            return String(thumbprint[from..<(thumbprint.index(from, offsetBy: 4, limitedBy: thumbprint.endIndex) ?? thumbprint.endIndex)])
        }.joined(separator: " ")
    }

    /// The key of a public JWK (RSA or P-256) as PEM, with its RFC 7638 thumbprint: the
    /// required members only, in lexicographic order, without spaces.
    static func publicKey(_ jwk: JSONValue, id: String) -> (key: IssuerKey, thumbprint: String)? {
        let canonical: String, pem: String, algorithm: IssuerKey.Algorithm
        switch jwk["kty"]?.string {
        case "RSA":
            guard let n = jwk["n"]?.string, let e = jwk["e"]?.string,
                  let key = try? JWTKit.Insecure.RSA.PublicKey(modulus: n, exponent: e) else { return nil }
            canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
            (pem, algorithm) = (key.pemRepresentation, .rs256)
        case "EC":
            guard jwk["crv"]?.string == "P-256", let x = jwk["x"]?.string, let y = jwk["y"]?.string,
                  let key = try? ES256PublicKey(parameters: (x: x, y: y)) else { return nil }
            canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
            (pem, algorithm) = (key.pemRepresentation, .es256)
        default:
            return nil
        }
        let thumbprint = SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02X", $0) }.joined()
        return (IssuerKey(id: id, algorithm: algorithm, publicKeyPEM: pem, createdAt: Date(timeIntervalSince1970: 0)), thumbprint)
    }
}
