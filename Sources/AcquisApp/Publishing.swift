import AcquisBadges
import AcquisOpenBadges
import AcquisPublishing
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

    /// What a student's download needs: the award as an Open Badges document (recipient as
    /// a salted hash of the INE), its publishing profile and the key to sign it with.
    public func download(uuid: String, by person: ActingPerson) async throws
        -> (award: StoredAward, publishing: BadgePublishing, issued: IssuedAward, key: IssuerKey)
    {
        let award = try await app.badges.award(uuid: uuid, by: person)
        return try await app.read { db in
            let publishing = try BadgePublishing(schoolID: award.badge.schoolID, in: db)
            let key = try BadgeStore().activeKey(schoolID: publishing.schoolID, algorithm: .rs256, in: db)
            return (award, publishing, try publishing.issued(award, recipient: nil, in: db), key)
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

    /// Changes the issuer profile. Returns how many awards still point at the former public
    /// address when it changed (nil when it did not).
    public func updateIssuer(name: String, website: String, email: String, publicBaseURL: String,
                             by person: ActingPerson) async throws -> Int? {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.write { db in
            let schoolID = try access.schoolID(uai: nil, in: db)
            let before = try BadgeStore().requiredIssuer(schoolID: schoolID, in: db)
            let after = Issuer(uai: before.uai, name: name, url: website, email: email, publicBaseURL: publicBaseURL)
            try BadgeStore().updateIssuer(after, schoolID: schoolID, in: db)
            guard before.publicBaseURL != after.publicBaseURL else { return nil }
            return try BadgeStore().awardCount(schoolID: schoolID, in: db)
        }
    }
}

extension App {
    /// What anyone may read of the school's badges.
    public var publishing: Publishing { Publishing(app: self) }
}
