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

    /// What signing an award needs: the award as an Open Badges document (recipient as a
    /// salted hash of `email`, else of the INE), its publishing profile and the active key of
    /// `algorithm` to sign it with. One path for a student's download and the console.
    public func issued(uuid: String, recipient email: String? = nil, algorithm: IssuerKey.Algorithm = .rs256,
                       by person: ActingPerson) async throws -> (award: StoredAward, publishing: BadgePublishing, issued: IssuedAward, key: IssuerKey) {
        let award = try await app.badges.award(uuid: uuid, by: person)
        return try await app.read { tx in
            let publishing = try BadgePublishing(schoolID: award.badge.schoolID, in: tx)
            let key = try tx.badges.activeKey(schoolID: publishing.schoolID, algorithm: algorithm)
            return (award, publishing, try publishing.issued(award, recipient: email, in: tx), key)
        }
    }

    /// Every public document of the school's badges, to publish under its public address.
    public func hostedDocuments(uai: String? = nil, by person: ActingPerson) async throws -> [(path: String, content: [UInt8])] {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { tx in
            try BadgePublishing(schoolID: access.schoolID(uai: uai, in: tx), in: tx).hostedDocuments(in: tx)
        }
    }
}

extension Badges {
    /// The school's issuer profile, nil before it became an issuer.
    public func issuer(by person: ActingPerson) async throws -> Issuer? {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { tx in try tx.badges.issuer(schoolID: access.schoolID(uai: nil, in: tx)) }
    }

    /// Changes the issuer profile (nil keeps a field). Returns the profile before and after,
    /// and how many awards were delivered: when the public address changed, they still point
    /// at the former one.
    public func updateIssuer(name: String?, website: String?, email: String?, publicBaseURL: String?, uai: String? = nil,
                             by person: ActingPerson) async throws -> (before: Issuer, after: Issuer, delivered: Int) {
        let access = Access(person: person, year: app.year)
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

    /// Adds a signing key; earlier keys stay published, so that delivered badges stay
    /// verifiable. `keepKey` stores the private key inside the transaction.
    public func addKey(_ key: IssuerKey, keepKey: @Sendable @escaping () throws -> Void, uai: String? = nil,
                       by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
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
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        return try await app.read { tx in try tx.badges.classes(schoolID: access.schoolID(uai: uai, in: tx)) }
    }

    /// The school's awards whose evidence changed, waiting for a teacher's decision.
    public func awardsToReview(uai: String? = nil, by person: ActingPerson) async throws -> [StoredAward] {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        return try await app.read { tx in try tx.badges.awardsToReview(schoolID: access.schoolID(uai: uai, in: tx)) }
    }
}

extension App {
    /// What anyone may read of the school's badges.
    public var publishing: Publishing { Publishing(app: self) }
}
