import AcquisBadges
import Foundation

/// A badge class with what its documents need beyond the class itself: the levels of the
/// scale it is evaluated with, for Open Badges 3.0 result descriptions.
public struct PublishedBadge: Hashable, Sendable {
    public struct Level: Hashable, Sendable {
        public var code: String
        public var label: String

        public init(code: String, label: String) {
            self.code = code
            self.label = label
        }
    }

    public var badgeClass: BadgeClass
    /// The scale's levels, lowest first; empty for a manual badge.
    public var levels: [Level]
    /// The level the rule requires, when the rule is about levels.
    public var requiredLevel: String?

    public init(badgeClass: BadgeClass, levels: [Level] = [], requiredLevel: String? = nil) {
        self.badgeClass = badgeClass
        self.levels = levels
        self.requiredLevel = requiredLevel
    }
}

/// The Open Badges 2.0 documents of an issuer: what a signed assertion points at, and the
/// assertion itself. See https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
public struct OpenBadges2: Sendable {
    public static let context: JSONValue = "https://w3id.org/openbadges/v2"

    public var issuer: Issuer
    public var urls: HostedURLs { issuer.urls }

    public init(issuer: Issuer) {
        self.issuer = issuer
    }

    /// The issuer profile. Every key, retired ones included, stays listed so that earlier
    /// badges keep verifying after a key rotation.
    public func issuerProfile(keys: [IssuerKey]) -> JSONValue {
        let rsaKeys = keys.filter { $0.algorithm == .rs256 }.map { JSONValue.string(urls.key($0.id)) }
        return .compact([
            "@context": Self.context,
            "type": "Issuer",
            "id": .string(urls.issuer),
            "name": .string(issuer.name),
            "url": .string(issuer.url),
            "email": .string(issuer.email),
            "publicKey": rsaKeys.count == 1 ? rsaKeys[0] : .array(rsaKeys),
            "revocationList": .string(urls.revocationList),
        ])
    }

    public func cryptographicKey(_ key: IssuerKey) -> JSONValue {
        [
            "@context": Self.context,
            "type": "CryptographicKey",
            "id": .string(urls.key(key.id)),
            "owner": .string(urls.issuer),
            "publicKeyPem": .string(key.publicKeyPEM),
        ]
    }

    public func badgeClass(_ badge: BadgeClass) -> JSONValue {
        .compact([
            "@context": Self.context,
            "type": "BadgeClass",
            "id": .string(urls.badgeClass(badge.slug)),
            "name": .string(badge.name),
            "description": .string(badge.description),
            "image": .string(urls.image(badge.slug)),
            "criteria": ["narrative": .string(badge.criteria)],
            "issuer": .string(urls.issuer),
            "alignment": badge.alignments.isEmpty ? nil : .array(badge.alignments.map(alignment)),
        ])
    }

    func alignment(_ alignment: BadgeAlignment) -> JSONValue {
        .compact([
            "targetName": .string(alignment.targetName),
            "targetUrl": .string(issuer.targetURL(alignment)),
            "targetFramework": alignment.targetFramework.map(JSONValue.string),
            "targetCode": alignment.targetCode.map(JSONValue.string),
            "targetDescription": alignment.targetDescription.map(JSONValue.string),
        ])
    }

    /// The assertion, to be signed (its `verification` names the key that signs it).
    public func assertion(_ award: IssuedAward, keyID: String) -> JSONValue {
        .compact([
            "@context": Self.context,
            "type": "Assertion",
            "id": .string(award.id),
            "recipient": .compact([
                "type": .string(award.recipient.kind.ob2Type),
                "hashed": true,
                "salt": .string(award.recipient.salt),
                "identity": .string(award.recipient.identityHash),
            ]),
            "badge": .string(urls.badgeClass(award.badge.badgeClass.slug)),
            "issuedOn": .string(award.issuedAt.openBadgesTimestamp),
            "expires": award.expiresAt.map { .string($0.openBadgesTimestamp) },
            "evidence": award.evidence.isEmpty && award.productions.isEmpty ? nil : .array(
                (award.evidence.isEmpty ? [] : [
                    .compact(["narrative": .string(award.evidence.map { "- \($0)" }.joined(separator: "\n"))]),
                ]) + award.productions.map { production in
                    .compact(["id": production.url.map { .string($0) }, "name": .string(production.name),
                              "narrative": .string(production.narrative)])
                }),
            "verification": ["type": "SignedBadge", "creator": .string(urls.key(keyID))],
        ])
    }

    /// The revocation list. Verifiers built on the 1EdTech validator miss a revoked badge when
    /// the list has a single entry (JSON-LD compaction turns it into a scalar), so a
    /// one-entry list is padded with an id that no badge ever has.
    public func revocationList(_ revoked: [Revocation]) -> JSONValue {
        var entries = revoked.map { entry -> JSONValue in
            .compact(["id": .string("urn:uuid:\(entry.uuid)"), "revocationReason": .string(entry.reason)])
        }
        if entries.count == 1 { entries.append(.string(Self.paddingID)) }
        return [
            "@context": Self.context,
            "type": "RevocationList",
            "id": .string(urls.revocationList),
            "issuer": .string(urls.issuer),
            "revokedAssertions": .array(entries),
        ]
    }

    /// A nil version 4 UUID: never the id of an award.
    static let paddingID = "urn:uuid:00000000-0000-4000-8000-000000000000"
}

/// A revoked award, as revocation lists publish it.
public struct Revocation: Hashable, Sendable {
    public var uuid: String
    public var reason: String

    public init(uuid: String, reason: String) {
        self.uuid = uuid
        self.reason = reason
    }
}
