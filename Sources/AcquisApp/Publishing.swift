import AcquisBadges
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import AcquisStore
import Foundation
import GRDB

/// What the school publishes about its badges, to anyone: the register an award's link
/// opens, hosted Open Badges documents, the issuers a verifier trusts. Nothing here names a
/// student beyond what the award itself carries.
public struct Publishing: Sendable {
    let app: App

    /// An award and its issuer, as the register says today; nil for an unknown award.
    public func register(uuid: String) async throws -> (award: StoredAward, issuer: Issuer)? {
        try await app.read { db in
            guard let award = try BadgeStore().award(uuid: uuid, in: db),
                  let issuer = try BadgeStore().issuer(schoolID: award.badge.schoolID, in: db) else { return nil }
            return (award, issuer)
        }
    }

    /// A hosted Open Badges document (issuer profile, badge class, image, key, revocation list).
    public func hostedDocument(at path: String) async throws -> [UInt8]? {
        try await app.read { db in
            for schoolID in try BadgeStore().schoolIDsWithIssuer(in: db) {
                if let document = try BadgePublishing(schoolID: schoolID, in: db).hostedDocument(at: path, in: db) {
                    return document
                }
            }
            return nil
        }
    }

    /// The issuers of this server, with their keys and revocations, for offline verification.
    public func trustedIssuers() async throws -> [TrustedIssuer] {
        try await app.read { db in
            try BadgeStore().schoolIDsWithIssuer(in: db).map { try BadgePublishing(schoolID: $0, in: db).trusted(in: db) }
        }
    }

    /// What signing an award needs: the award as an Open Badges document (recipient as a
    /// salted hash of `email`, else of the INE), its publishing profile and the active key of
    /// `algorithm` to sign it with. One path for a student's download and the console.
    public func issued(uuid: String, recipient email: String? = nil, algorithm: IssuerKey.Algorithm = .rs256,
                       by person: ActingPerson) async throws -> (award: StoredAward, publishing: BadgePublishing, issued: IssuedAward, key: IssuerKey) {
        let award = try await app.badges.award(uuid: uuid, by: person)
        return try await app.read { db in
            let publishing = try BadgePublishing(schoolID: award.badge.schoolID, in: db)
            let key = try BadgeStore().activeKey(schoolID: publishing.schoolID, algorithm: algorithm, in: db)
            return (award, publishing, try publishing.issued(award, recipient: email, in: db), key)
        }
    }

    /// Every public document of the school's badges, to publish under its public address.
    public func hostedDocuments(uai: String? = nil, by person: ActingPerson) async throws -> [(path: String, content: [UInt8])] {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { db in
            try BadgePublishing(schoolID: access.schoolID(uai: uai, in: db), in: db).hostedDocuments(in: db)
        }
    }
}

extension Badges {
    /// The school's issuer profile, nil before it became an issuer.
    public func issuer(by person: ActingPerson) async throws -> Issuer? {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { try BadgeStore().issuer(schoolID: access.schoolID(uai: nil, in: $0), in: $0) }
    }

    /// Changes the issuer profile (nil keeps a field). Returns the profile before and after,
    /// and how many awards were delivered: when the public address changed, they still point
    /// at the former one.
    public func updateIssuer(name: String?, website: String?, email: String?, publicBaseURL: String?, uai: String? = nil,
                             by person: ActingPerson) async throws -> (before: Issuer, after: Issuer, delivered: Int) {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.write { db in
            let schoolID = try access.schoolID(uai: uai, in: db)
            let before = try BadgeStore().requiredIssuer(schoolID: schoolID, in: db)
            let after = Issuer(uai: before.uai, name: name ?? before.name, url: website ?? before.url, email: email ?? before.email,
                               publicBaseURL: publicBaseURL ?? before.publicBaseURL)
            try BadgeStore().updateIssuer(after, schoolID: schoolID, in: db)
            return (before, after, try BadgeStore().awardCount(schoolID: schoolID, in: db))
        }
    }

    /// Adds a signing key; earlier keys stay published, so that delivered badges stay
    /// verifiable. `keepKey` stores the private key inside the transaction.
    public func addKey(_ key: IssuerKey, keepKey: @Sendable @escaping () throws -> Void, uai: String? = nil,
                       by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        try await app.write { db in
            let schoolID = try access.schoolID(uai: uai, in: db)
            _ = try BadgeStore().requiredIssuer(schoolID: schoolID, in: db)
            try BadgeStore().addKey(key, schoolID: schoolID, in: db)
            try keepKey()
        }
    }

    /// The school's badge classes, with their rules.
    public func classes(uai: String? = nil, by person: ActingPerson) async throws -> [StoredBadgeClass] {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        return try await app.read { try BadgeStore().classes(schoolID: access.schoolID(uai: uai, in: $0), in: $0) }
    }

    /// The school's awards whose evidence changed, waiting for a teacher's decision.
    public func awardsToReview(uai: String? = nil, by person: ActingPerson) async throws -> [StoredAward] {
        let access = Access(person: person, year: app.year)
        try access.require(.teacher, .admin)
        return try await app.read { try BadgeStore().awardsToReview(schoolID: access.schoolID(uai: uai, in: $0), in: $0) }
    }
}

extension App {
    /// What anyone may read of the school's badges.
    public var publishing: Publishing { Publishing(app: self) }
}
