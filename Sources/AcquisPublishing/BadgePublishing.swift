import AcquisBadges
import AcquisCore
import AcquisOpenBadges
import AcquisStorage
import Foundation

/// Turns stored awards into Open Badges: the bridge between the store and the badge formats.
public struct BadgePublishing: Sendable {
    public var issuer: Issuer
    public var schoolID: Int64

    public init(schoolID: Int64, in tx: any StorageTransaction) throws {
        issuer = try tx.badges.requiredIssuer(schoolID: schoolID)
        self.schoolID = schoolID
    }

    public func published(_ badge: StoredBadgeClass, in tx: any StorageTransaction) throws -> PublishedBadge {
        let scale = try tx.badges.levels(of: badge)
        let required: String? = switch badge.badgeClass.rule {
        case .minimumLevel(_, _, let level): level
        case .allAcquired: scale.first(where: \.isAcquired)?.code
        case .manual: nil
        }
        return PublishedBadge(badgeClass: badge.badgeClass,
                              levels: scale.map { PublishedBadge.Level(code: $0.code, label: $0.studentLabel) },
                              requiredLevel: required)
    }

    /// The award as Open Badges carries it, for `recipient` (an e-mail address), or for the
    /// student's INE when no address is given. Productions are pointed to while shared on `day`.
    public func issued(_ award: StoredAward, recipient email: String?, on day: CalendarDate,
                       in tx: any StorageTransaction) throws -> IssuedAward {
        try issued(award, to: identity(studentID: award.studentID, email: email, in: tx), on: day, in: tx)
    }

    /// The award for an identity already read, hashed with a salt of its own.
    public func issued(_ award: StoredAward, to identity: RecipientIdentity, on day: CalendarDate,
                       in tx: any StorageTransaction) throws -> IssuedAward {
        IssuedAward(uuid: award.uuid, badge: try published(award.badge, in: tx), recipient: identity.hashed(),
                    issuedAt: award.issuedAt, expiresAt: award.expiresAt, evidence: award.evidence,
                    achievedLevel: award.achievedLevel, productions: try productions(behind: award, on: day, in: tx))
    }

    /// The productions the observations behind an award were made from (none for a badge a
    /// teacher awards by hand): named always, pointed to only while the student shares them.
    private func productions(behind award: StoredAward, on day: CalendarDate,
                             in tx: any StorageTransaction) throws -> [ProductionEvidence] {
        guard let referentialID = award.badge.referentialID, let node = award.badge.badgeClass.rule.nodeCode else { return [] }
        return try tx.shares.citedProductions(studentID: award.studentID, referentialID: referentialID, nodeCode: node,
                                              observedBy: award.awardedOn, openOn: day).map {
            ProductionEvidence(title: $0.title, day: $0.day, url: $0.sharedKey.map(issuer.urls.sharedProduction))
        }
    }

    /// Who a student's badges are delivered to: `email`, or their INE when no address is given.
    public func identity(studentID: Int64, email: String?, in tx: any StorageTransaction) throws -> RecipientIdentity {
        if let email { return RecipientIdentity(value: email, kind: .email) }
        guard let ine = try tx.schools.student(studentID: studentID, year: nil).student.ine else {
            throw PublishingError.noRecipient
        }
        return RecipientIdentity(value: ine, kind: .studentID)
    }

    public func trusted(in tx: any StorageTransaction) throws -> TrustedIssuer {
        var revocations: [String: String] = [:]
        for entry in try tx.badges.revocations(schoolID: schoolID) { revocations[entry.uuid] = entry.reason }
        var names: [String: String] = [:]
        for badge in try tx.badges.classes(schoolID: schoolID) {
            names[issuer.urls.badgeClass(badge.badgeClass.slug)] = badge.badgeClass.name
        }
        return TrustedIssuer(issuer: issuer, keys: try tx.badges.keys(schoolID: schoolID), revocations: revocations,
                             badgeNames: names)
    }

    /// Every hosted document, by path under the public base URL: what the web app serves and
    /// what a static export writes.
    public func hostedDocuments(in tx: any StorageTransaction) throws -> [(path: String, content: [UInt8])] {
        var documents = try issuerDocuments(in: tx)
        for badge in try tx.badges.classes(schoolID: schoolID) {
            documents += badgeDocuments(badge.badgeClass)
        }
        return documents
    }

    /// One hosted document, rendering only that one; nil when the path is not the issuer's.
    public func hostedDocument(at path: String, in tx: any StorageTransaction) throws -> [UInt8]? {
        if let document = try issuerDocuments(in: tx).first(where: { $0.path == path }) { return document.content }
        let urls = issuer.urls
        for badge in try tx.badges.classes(schoolID: schoolID) {
            let slug = badge.badgeClass.slug
            guard [urls.badgeClassPath(slug), urls.imagePath(slug, format: .png), urls.imagePath(slug, format: .svg)]
                .contains(path) else { continue }
            return badgeDocuments(badge.badgeClass).first { $0.path == path }?.content
        }
        return nil
    }

    /// The issuer profile, its keys and its revocation lists.
    private func issuerDocuments(in tx: any StorageTransaction) throws -> [(path: String, content: [UInt8])] {
        let urls = issuer.urls
        let ob2 = OpenBadges2(issuer: issuer)
        let keys = try tx.badges.keys(schoolID: schoolID)
        let revoked = try tx.badges.revocations(schoolID: schoolID).map { Revocation(uuid: $0.uuid, reason: $0.reason) }
        var documents: [(String, [UInt8])] = [
            (urls.issuerPath, json(ob2.issuerProfile(keys: keys))),
            (urls.revocationListPath, json(ob2.revocationList(revoked))),
            (urls.credentialStatusPath, json(OpenBadges3(issuer: issuer).revocationList(revoked))),
        ]
        for key in keys {
            documents.append((urls.keyPath(key.id), json(ob2.cryptographicKey(key))))
            documents.append((urls.jwkPath(key.id), json(try key.jwk())))
        }
        return documents
    }

    /// A badge class in Open Badges 2.0 and its PNG and SVG images.
    private func badgeDocuments(_ badge: BadgeClass) -> [(path: String, content: [UInt8])] {
        let urls = issuer.urls
        let slug = badge.slug
        return [
            (urls.badgeClassPath(slug), json(OpenBadges2(issuer: issuer).badgeClass(badge))),
            (urls.imagePath(slug, format: .png), BadgeArt.png(badge)),
            (urls.imagePath(slug, format: .svg), Array(svg(badge).utf8)),
        ]
    }

    public func svg(_ badge: BadgeClass) -> String {
        BadgeArt.svg(badge, subtitle: badge.alignments.first?.referential?.code ?? issuer.name)
    }

    private func json(_ value: JSONValue) -> [UInt8] {
        Array(value.encoded(pretty: true)) + [0x0A]
    }
}

/// A recipient before hashing; never stored, never written out in clear.
public struct RecipientIdentity: Sendable {
    public var value: String
    public var kind: HashedRecipient.Kind

    public init(value: String, kind: HashedRecipient.Kind) {
        self.value = value
        self.kind = kind
    }

    /// A fresh salted hash: two badges of one student cannot be linked by their hashes.
    public func hashed() -> HashedRecipient { .hashing(value, kind: kind, salt: HashedRecipient.randomSalt()) }
}

public enum PublishingError: Error, CustomStringConvertible, Equatable {
    /// The student has no INE and no address was given.
    case noRecipient
    /// A revoked badge is never signed again.
    case revoked

    public var description: String {
        switch self {
        case .noRecipient:
            "cet élève n’a pas d’INE : indiquez l’adresse électronique à laquelle délivrer le badge"
        case .revoked:
            "ce badge a été révoqué : il ne peut plus être délivré"
        }
    }
}
