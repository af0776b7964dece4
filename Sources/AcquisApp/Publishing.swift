import AcquisBadges
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import Foundation

/// What the school publishes about its badges, to anyone: the register an award's link
/// opens, hosted Open Badges documents, the issuers a verifier trusts. Nothing here names a
/// student beyond what the award itself carries.
public struct Publishing: Sendable {
    let app: App

    /// An award and its issuer, as the register says today; nil for an unknown award.
    public func register(uuid: String) async throws -> (award: StoredAward, issuer: Issuer)? {
        try await app.read { tx in
            guard let award = try tx.badges.award(uuid: uuid),
                  let issuer = try tx.badges.issuer(schoolID: award.badge.schoolID) else { return nil }
            return (award, issuer)
        }
    }

    /// A hosted Open Badges document (issuer profile, badge class, image, key, revocation list).
    public func hostedDocument(at path: String) async throws -> [UInt8]? {
        try await app.read { tx in
            for schoolID in try tx.badges.schoolIDsWithIssuer() {
                if let document = try BadgePublishing(schoolID: schoolID, in: tx).hostedDocument(at: path, in: tx) {
                    return document
                }
            }
            return nil
        }
    }

    /// The issuers of this server, with their keys and revocations, for offline verification.
    public func trustedIssuers() async throws -> [TrustedIssuer] {
        try await app.read { tx in
            try tx.badges.schoolIDsWithIssuer().map { try BadgePublishing(schoolID: $0, in: tx).trusted(in: tx) }
        }
    }

    /// A stored award signed with the school's active key and handed over as `format`: the
    /// one path for a student's download, the console's `badge issue`, and nothing else.
    ///
    /// - Parameters:
    ///   - version: Open Badges 2.0 (RS256 only) or 3.0.
    ///   - algorithm: the key to sign an OB 3.0 credential with; OB 2.0 always uses RS256.
    ///   - recipient: the address the badge is delivered to, kept only as a salted hash; the
    ///     student's INE when nil.
    ///   - keys: where the private keys are.
    /// - Throws: ``PublishingError/revoked`` for a revoked badge; an unknown award or one the
    ///   person may not see is ``BadgeStoreError/unknownAward``.
    public func signed(uuid: String, version: OpenBadgesVersion = .v3, algorithm: IssuerKey.Algorithm = .rs256,
                       recipient: String? = nil, as format: SignedBadge.Format, keys: KeyDirectory,
                       by person: ActingPerson) async throws -> SignedBadge {
        let award = try await app.badges.award(uuid: uuid, by: person)
        guard !award.isRevoked else { throw PublishingError.revoked }
        let today = app.today
        let (publishing, issued, key) = try await app.read { tx in
            let publishing = try BadgePublishing(schoolID: award.badge.schoolID, in: tx)
            let key = try tx.badges.activeKey(schoolID: publishing.schoolID, algorithm: version == .v2 ? .rs256 : algorithm)
            return (publishing, try publishing.issued(award, recipient: recipient, on: today, in: tx), key)
        }
        let signer = try await BadgeSigner(issuer: publishing.issuer, signingKey: try keys.load(key))
        let token = version == .v2 ? try await signer.signOpenBadges2(issued) : try await signer.signOpenBadges3(issued)
        let bytes: [UInt8] = switch format {
        case .png: try PNGBaker.bake(token, into: BadgeArt.png(award.badge.badgeClass), version: version)
        case .svg: Array(try SVGBaker.bake(token, into: publishing.svg(award.badge.badgeClass), version: version).utf8)
        case .jws: Array((token + "\n").utf8)
        case .json: SignedBadge.payload(of: token)
        }
        return SignedBadge(award: award, keyID: key.id, bytes: bytes)
    }

    /// Every public document of the school's badges, to publish under its public address.
    public func hostedDocuments(uai: String? = nil, by person: ActingPerson) async throws -> [(path: String, content: [UInt8])] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in
            try BadgePublishing(schoolID: access.schoolID(uai: uai, in: tx), in: tx).hostedDocuments(in: tx)
        }
    }
}

extension Badges {
    /// The school's issuer profile, nil before it became an issuer.
    public func issuer(by person: ActingPerson) async throws -> Issuer? {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.badges.issuer(schoolID: access.schoolID(uai: nil, in: tx)) }
    }

    /// Changes the issuer profile (nil keeps a field). Returns the profile before and after,
    /// and how many awards were delivered: when the public address changed, they still point
    /// at the former one.
    public func updateIssuer(name: String?, website: String?, email: String?, publicBaseURL: String?, uai: String? = nil,
                             by person: ActingPerson) async throws -> (before: Issuer, after: Issuer, delivered: Int) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            let before = try tx.badges.requiredIssuer(schoolID: schoolID)
            let after = Issuer(uai: before.uai, name: name ?? before.name, url: website ?? before.url, email: email ?? before.email,
                               publicBaseURL: publicBaseURL ?? before.publicBaseURL)
            try tx.badges.updateIssuer(after, schoolID: schoolID)
            return (before, after, try tx.badges.awardCount(schoolID: schoolID))
        }
    }

    /// The school's signing keys, the newest first: retired ones still verify what they signed.
    public func keys(by person: ActingPerson) async throws -> [IssuerKey] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.badges.keys(schoolID: access.schoolID(uai: nil, in: tx)) }
            .sorted { $0.createdAt > $1.createdAt }
    }

    /// A new signing key of `algorithm`, its private half kept in `folder`: the school's
    /// active key for that algorithm from now on; earlier keys stay published.
    @discardableResult
    public func newKey(_ algorithm: IssuerKey.Algorithm, storingIn folder: KeyDirectory, uai: String? = nil,
                       by person: ActingPerson) async throws -> IssuerKey {
        let signingKey = try PrivateSigningKey.generate(algorithm)
        try await addKey(signingKey.key, keepKey: { try folder.store(signingKey) }, uai: uai, by: person)
        return signingKey.key
    }

    /// Makes the school a badge issuer with a first RS256 key kept in `folder`.
    public func becomeIssuer(name: String, website: String, email: String, publicBaseURL: String, storingIn folder: KeyDirectory,
                             uai: String? = nil, by person: ActingPerson) async throws -> (uai: String, classes: Int, awarded: Int, key: IssuerKey) {
        let signingKey = try PrivateSigningKey.generate(.rs256)
        let made = try await createIssuer(name: name, website: website, email: email, publicBaseURL: publicBaseURL, uai: uai,
                                          firstKey: signingKey.key, keepKey: { try folder.store(signingKey) }, by: person)
        return (made.uai, made.classes, made.awarded, signingKey.key)
    }

    /// Adds a signing key; earlier keys stay published, so that delivered badges stay
    /// verifiable. `keepKey` stores the private key inside the transaction.
    public func addKey(_ key: IssuerKey, keepKey: @Sendable @escaping () throws -> Void, uai: String? = nil,
                       by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            _ = try tx.badges.requiredIssuer(schoolID: schoolID)
            try tx.badges.addKey(key, schoolID: schoolID)
            try keepKey()
        }
    }

    /// The school's badge classes, with their rules.
    public func classes(uai: String? = nil, by person: ActingPerson) async throws -> [StoredBadgeClass] {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        return try await app.read { tx in try tx.badges.classes(schoolID: access.schoolID(uai: uai, in: tx)) }
    }

    /// The school's awards whose evidence changed, waiting for a teacher's decision.
    public func awardsToReview(uai: String? = nil, by person: ActingPerson) async throws -> [StoredAward] {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        return try await app.read { tx in try tx.badges.awardsToReview(schoolID: access.schoolID(uai: uai, in: tx)) }
    }
}

extension App {
    /// What anyone may read of the school's badges.
    public var publishing: Publishing { Publishing(app: self) }
}

/// A badge signed for its student, as a file.
public struct SignedBadge: Sendable {
    /// What a signed badge is handed over as.
    public enum Format: String, Sendable, CaseIterable {
        /// The token baked into the badge's image, as Open Badges backpacks import it.
        case png, svg
        /// The signed token alone (JWS compact serialization).
        case jws
        /// The signed document, readable: the token's payload, indented.
        case json
    }

    public var award: StoredAward
    /// The key that signed it.
    public var keyID: String
    public var bytes: [UInt8]

    /// The payload of a compact JWS, as indented JSON.
    static func payload(of token: String) -> [UInt8] {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let data = Data(base64URLEncoded: parts[1]), let json = try? JSONValue(json: data) else { return [] }
        return Array(json.encoded(pretty: true)) + Array("\n".utf8)
    }
}
