import AcquisBadges
import Foundation

/// Open Badges 3.0 credentials (`OpenBadgeCredential`), signed as VC-JWT.
/// See https://www.imsglobal.org/spec/ob/v3p0/
public struct OpenBadges3: Sendable {
    public static let context: JSONValue = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        // Defines `1EdTechRevocationList`, the credential status type used here.
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]

    public var issuer: Issuer
    public var urls: HostedURLs { issuer.urls }

    public init(issuer: Issuer) {
        self.issuer = issuer
    }

    public var profile: JSONValue {
        [
            "id": .string(urls.issuer),
            "type": ["Profile"],
            "name": .string(issuer.name),
            "url": .string(issuer.url),
            "email": .string(issuer.email),
        ]
    }

    public func achievement(_ badge: PublishedBadge) -> JSONValue {
        let badgeClass = badge.badgeClass
        let id = urls.badgeClass(badgeClass.slug)
        return .compact([
            "id": .string(id),
            "type": ["Achievement"],
            "achievementType": badgeClass.rule == .manual ? "Badge" : "Competency",
            "name": .string(badgeClass.name),
            "description": .string(badgeClass.description),
            "criteria": .compact(["id": .string(id), "narrative": .string(badgeClass.criteria)]),
            "image": ["id": .string(urls.image(badgeClass.slug)), "type": "Image"],
            "inLanguage": "fr",
            "alignment": badgeClass.alignments.isEmpty ? nil : .array(badgeClass.alignments.map { alignment in
                .compact([
                    "type": ["Alignment"],
                    "targetName": .string(alignment.targetName),
                    "targetUrl": .string(issuer.targetURL(alignment)),
                    "targetFramework": alignment.targetFramework.map(JSONValue.string),
                    "targetCode": alignment.targetCode.map(JSONValue.string),
                    "targetDescription": alignment.targetDescription.map(JSONValue.string),
                    "targetType": "ceasn:Competency",
                ])
            }),
            "resultDescription": badge.levels.isEmpty ? nil : [resultDescription(badge, id: id)],
        ])
    }

    /// The scale as a rubric: "acquis / non acquis" levels are not numbers.
    private func resultDescription(_ badge: PublishedBadge, id: String) -> JSONValue {
        .compact([
            "id": .string(Self.resultDescriptionID(id)),
            "type": ["ResultDescription"],
            "name": "Niveau de maîtrise",
            "resultType": "RubricCriterionLevel",
            "requiredLevel": badge.requiredLevel.map { .string(Self.levelID(id, $0)) },
            "rubricCriterionLevel": .array(badge.levels.map { level in
                [
                    "id": .string(Self.levelID(id, level.code)),
                    "type": ["RubricCriterionLevel"],
                    "name": .string(level.label),
                ]
            }),
        ])
    }

    static func resultDescriptionID(_ achievementID: String) -> String { "\(achievementID)#niveau" }
    static func levelID(_ achievementID: String, _ code: String) -> String { "\(achievementID)#niveau-\(BadgeClass.slug(code))" }

    /// The credential, before the JWT claims are added.
    public func credential(_ award: IssuedAward) -> JSONValue {
        credential(award, achievement: achievement(award.badge))
    }

    /// ``credential(_:)`` with the badge's `achievement` already built.
    func credential(_ award: IssuedAward, achievement: JSONValue) -> JSONValue {
        let achievementID = achievement["id"]?.string ?? urls.badgeClass(award.badge.badgeClass.slug)
        let result: JSONValue? = award.achievedLevel.flatMap { level in
            award.badge.levels.contains { $0.code == level } ? [[
                "type": ["Result"],
                "resultDescription": .string(Self.resultDescriptionID(achievementID)),
                "achievedLevel": .string(Self.levelID(achievementID, level)),
            ]] : nil
        }
        return .compact([
            "@context": Self.context,
            "id": .string(award.id),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": profile,
            "validFrom": .string(award.issuedAt.openBadgesTimestamp),
            "validUntil": award.expiresAt.map { .string($0.openBadgesTimestamp) },
            "name": .string(award.badge.badgeClass.name),
            "credentialSubject": .compact([
                "type": ["AchievementSubject"],
                "identifier": [[
                    "type": "IdentityObject",
                    "identityHash": .string(award.recipient.identityHash),
                    "identityType": .string(award.recipient.kind.ob3Type),
                    "hashed": true,
                    "salt": .string(award.recipient.salt),
                ]],
                "achievement": achievement,
                "result": result,
            ]),
            "evidence": award.evidence.isEmpty && award.productions.isEmpty ? nil : .array(award.evidence.map { sentence in
                ["type": ["Evidence"], "narrative": .string(sentence)]
            } + award.productions.map { production in
                .compact(["type": ["Evidence"], "id": production.url.map { .string($0) }, "name": .string(production.name),
                          "narrative": .string(production.narrative)])
            }),
            "credentialStatus": ["id": .string(urls.credentialStatus), "type": "1EdTechRevocationList"],
        ])
    }

    /// The JWT claims of a VC-JWT: the credential itself at the top level, with `iss`, `jti`,
    /// `nbf` and `exp` repeating its fields. No `sub`: the subject has no id, only a hashed identifier.
    public func claims(_ award: IssuedAward) -> JSONValue {
        claims(award, achievement: achievement(award.badge))
    }

    /// ``claims(_:)`` with the badge's `achievement` already built.
    func claims(_ award: IssuedAward, achievement: JSONValue) -> JSONValue {
        let credential = credential(award, achievement: achievement)
        guard case .object(var members) = credential else { return credential }
        members["iss"] = .string(urls.issuer)
        members["jti"] = .string(award.id)
        members["nbf"] = .number(award.issuedAt.timeIntervalSince1970.rounded(.down))
        if let expires = award.expiresAt { members["exp"] = .number(expires.timeIntervalSince1970.rounded(.down)) }
        return .object(members)
    }

    /// The 1EdTech revocation list the credentials' `credentialStatus` points at.
    public func revocationList(_ revoked: [Revocation]) -> JSONValue {
        [
            "@context": Self.context,
            "id": .string(urls.credentialStatus),
            "type": ["1EdTechRevocationList"],
            "issuer": .string(urls.issuer),
            "revokedCredential": .array(revoked.map { entry in
                ["id": .string("urn:uuid:\(entry.uuid)"), "revoked": true, "revocationReason": .string(entry.reason)]
            }),
        ]
    }
}
