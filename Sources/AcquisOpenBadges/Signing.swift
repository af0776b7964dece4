import AcquisBadges
import Crypto
import CryptoExtras
import Foundation
import JWTKit
import Synchronization

/// The private half of an issuer key, as read from its key file.
public struct PrivateSigningKey: Sendable {
    enum Material: Sendable {
        case rsa(JWTKit.Insecure.RSA.PrivateKey)
        case p256(ES256PrivateKey)
    }

    public var key: IssuerKey
    let material: Material

    /// Generates a key: RSA 2048 for RS256, P-256 for ES256. The key id is random.
    public static func generate(_ algorithm: IssuerKey.Algorithm, createdAt: Date = Date()) throws -> PrivateSigningKey {
        let id = "cle-" + UUID().uuidString.lowercased().prefix(8)
        switch algorithm {
        case .rs256:
            let rsa = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            return PrivateSigningKey(key: IssuerKey(id: id, algorithm: .rs256, publicKeyPEM: rsa.publicKey.pemRepresentation,
                                                    createdAt: createdAt), material: .rsa(rsa))
        case .es256:
            let p256 = try ES256PrivateKey(backing: P256.Signing.PrivateKey())
            return PrivateSigningKey(key: IssuerKey(id: id, algorithm: .es256, publicKeyPEM: p256.publicKey.pemRepresentation,
                                                    createdAt: createdAt), material: .p256(p256))
        }
    }

    /// Reads a private key in PEM for a published key.
    public init(pem: String, for key: IssuerKey) throws {
        self.key = key
        switch key.algorithm {
        case .rs256: material = .rsa(try JWTKit.Insecure.RSA.PrivateKey(pem: pem))
        case .es256: material = .p256(try ES256PrivateKey(pem: pem))
        }
    }

    init(key: IssuerKey, material: Material) {
        self.key = key
        self.material = material
    }

    /// The private key in PEM, for its key file only.
    public var pemRepresentation: String {
        switch material {
        case .rsa(let rsa): rsa.pemRepresentation
        case .p256(let p256): p256.pemRepresentation
        }
    }
}

/// The JSON Web Key of a published key (RFC 7517), as OB 3.0 headers embed it.
extension IssuerKey {
    public func jwk() throws -> JSONValue {
        switch algorithm {
        case .rs256:
            let primitives = try JWTKit.Insecure.RSA.PublicKey(pem: publicKeyPEM).getKeyPrimitives()
            return ["kty": "RSA", "alg": "RS256", "use": "sig", "kid": .string(id),
                    "n": .string(primitives.modulus.base64URLEncoded), "e": .string(primitives.publicExponent.base64URLEncoded)]
        case .es256:
            guard let parameters = try ES256PublicKey(pem: publicKeyPEM).parameters else {
                throw BadgeSigningError.unreadableKey(id)
            }
            return ["kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": .string(id),
                    "x": .string(parameters.x), "y": .string(parameters.y)]
        }
    }
}

public enum BadgeSigningError: Error, CustomStringConvertible {
    case unreadableKey(String)
    case ob2NeedsRSA(String)

    public var description: String {
        switch self {
        case .unreadableKey(let id): "la clé \(id) est illisible"
        case .ob2NeedsRSA(let id):
            "la clé \(id) est une clé ES256 ; Open Badges 2.0 n’accepte que RS256 : il faut une clé RSA"
        }
    }
}

/// Signs Open Badges: OB 2.0 assertions as JWS, OB 3.0 credentials as VC-JWT.
public struct BadgeSigner: Sendable {
    public var issuer: Issuer
    public var signingKey: PrivateSigningKey
    private let keys: JWTKeyCollection
    private let kid: JWKIdentifier
    /// The OB 3.0 header, with the public JWK: built once, reading the key is not free.
    private let credentialHeader: JWTHeader
    /// The tokens are assembled here, byte for byte as jwt-kit does (tests hold the signed parts
    /// equal), so that a badge costs little beyond its signature: jwt-kit re-encodes the header
    /// and has no public way to plug in another signer. RS256 signs through the system's
    /// OpenSSL when it reads the key (twice as fast as swift-crypto's), ES256 through
    /// swift-crypto; nil when neither applies, and jwt-kit signs.
    private let direct: DirectSigning?
    /// Each badge's achievement, built once for every award of it.
    private let achievements = AchievementMemo()

    private struct DirectSigning: Sendable {
        var sign: @Sendable ([UInt8]) throws -> [UInt8]
        /// The encoded headers: OB 2.0's (RS256 only) and OB 3.0's, with the JWK.
        var assertionHeader: [UInt8]?
        var credentialHeader: [UInt8]
    }

    public init(issuer: Issuer, signingKey: PrivateSigningKey) async throws {
        self.issuer = issuer
        self.signingKey = signingKey
        let serializer = DefaultJWTSerializer(jsonEncoder: ClaimsEncoder())
        let kid = JWKIdentifier(string: issuer.urls.jwk(signingKey.key.id))
        self.kid = kid
        let jwk = try signingKey.key.jwk()
        credentialHeader = ["alg": .string(signingKey.key.algorithm.rawValue), "typ": "JWT", "jwk": JWTHeaderField(jwk)]
        let base: [String: JSONValue] = ["alg": .string(signingKey.key.algorithm.rawValue), "typ": "JWT", "kid": .string(kid.string)]
        var credential = base
        credential["jwk"] = jwk
        let credentialHeader = Base64URL.encoded(JSONWriter.bytes(.object(credential)))
        switch signingKey.material {
        case .rsa(let rsa):
            keys = await JWTKeyCollection().add(rsa: rsa, digestAlgorithm: .sha256, kid: kid, serializer: serializer)
            direct = SystemRSASigner(pem: rsa.pemRepresentation).map { signer in
                DirectSigning(sign: signer.sign, assertionHeader: Base64URL.encoded(JSONWriter.bytes(.object(base))),
                              credentialHeader: credentialHeader)
            }
        case .p256(let p256):
            keys = await JWTKeyCollection().add(ecdsa: p256, kid: kid, serializer: serializer)
            let key = try P256.Signing.PrivateKey(pemRepresentation: p256.pemRepresentation)
            // As jwt-kit's ECDSA signer: the SHA-256 digest signed, r ‖ s as the signature.
            direct = DirectSigning(sign: { input in Array(try key.signature(for: SHA256.hash(data: input)).rawRepresentation) },
                                   assertionHeader: nil, credentialHeader: credentialHeader)
        }
    }

    /// A JWS compact serialization: header, claims, signature.
    private func signed(_ claims: JSONValue, header: [UInt8], by sign: ([UInt8]) throws -> [UInt8]) throws -> String {
        var token = header
        token.append(UInt8(ascii: "."))
        Base64URL.append(JSONWriter.bytes(claims), to: &token)
        let signature = try sign(token)
        token.append(UInt8(ascii: "."))
        Base64URL.append(signature, to: &token)
        return String(decoding: token, as: UTF8.self)
    }

    /// The signed assertion (JWS compact serialization), for baking under the `openbadges` keyword.
    public func signOpenBadges2(_ award: IssuedAward) async throws -> String {
        guard signingKey.key.algorithm == .rs256 else { throw BadgeSigningError.ob2NeedsRSA(signingKey.key.id) }
        let assertion = OpenBadges2(issuer: issuer).assertion(award, keyID: signingKey.key.id)
        if let direct, let header = direct.assertionHeader { return try signed(assertion, header: header, by: direct.sign) }
        return try await keys.sign(Claims(assertion), kid: kid, header: ["alg": "RS256", "typ": "JWT"])
    }

    /// The credential as a VC-JWT, for baking under the `openbadgecredential` keyword. The header
    /// carries the public key (`jwk`) and where it is published (`kid`, added by the key collection).
    public func signOpenBadges3(_ award: IssuedAward) async throws -> String {
        let ob3 = OpenBadges3(issuer: issuer)
        let achievement = achievements.achievement(of: award.badge) { ob3.achievement($0) }
        return try await signCredentialClaims(ob3.claims(award, achievement: achievement))
    }

    func signCredentialClaims(_ claims: JSONValue) async throws -> String {
        if let direct { return try signed(claims, header: direct.credentialHeader, by: direct.sign) }
        return try await keys.sign(Claims(claims), kid: kid, header: credentialHeader)
    }

    /// The same token through jwt-kit and swift-crypto only, for tests that hold both equal.
    func signedByLibrary(_ claims: JSONValue, credential: Bool) async throws -> String {
        try await keys.sign(Claims(claims), kid: kid, header: credential ? credentialHeader : ["alg": "RS256", "typ": "JWT"])
    }
}

/// Achievements by badge: a batch awards one badge to a whole class, and its achievement (a
/// fifth of a credential's cost to build) is the same for each. Bounded: a signer lives for a batch.
private final class AchievementMemo: Sendable {
    private let built = Mutex<[PublishedBadge: JSONValue]>([:])
    private static let limit = 256

    func achievement(of badge: PublishedBadge, _ build: (PublishedBadge) -> JSONValue) -> JSONValue {
        if let kept = built.withLock({ $0[badge] }) { return kept }
        let achievement = build(badge)
        built.withLock { memo in
            if memo.count >= Self.limit { memo.removeAll() }
            memo[badge] = achievement
        }
        return achievement
    }
}

/// A JWT payload holding any JSON: badge checks are made by ``BadgeVerifier``, not by the JWT library.
struct Claims: JWTPayload {
    var json: JSONValue

    init(_ json: JSONValue) {
        self.json = json
    }

    init(from decoder: any Decoder) throws {
        json = try JSONValue(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension JWTHeaderField {
    init(_ json: JSONValue) {
        switch json {
        case .string(let value): self = .string(value)
        case .number(let value): self = Int(exactly: value).map(JWTHeaderField.int) ?? .decimal(value)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        case .array(let values): self = .array(values.map(JWTHeaderField.init))
        case .object(let members): self = .object(members.mapValues(JWTHeaderField.init))
        }
    }
}

extension Data {
    public var base64URLEncoded: String {
        String(decoding: Base64URL.encoded(Array(self)), as: UTF8.self)
    }

    public init?(base64URLEncoded text: some StringProtocol) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
