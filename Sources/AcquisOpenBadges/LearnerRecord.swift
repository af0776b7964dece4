import AcquisBadges
import Foundation

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
