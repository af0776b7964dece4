import AcquisBadges
import AcquisCore
import AcquisStorage
import Foundation

/// Badge classes, awards and the school as an issuer. Whatever makes new badge rules apply
/// (defining badges, becoming an issuer) checks them against every level in the same
/// transaction, as a changed level does.
public struct Badges: Sendable {
    let app: App

    /// Adds or updates the school's badge classes, then awards what students already earned.
    /// - Returns: how many classes were saved, and how many badges the rules awarded.
    public func define(_ classes: [BadgeClass], uai: String? = nil, by person: ActingPerson) async throws -> (saved: Int, awarded: Int) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            _ = try tx.badges.requiredIssuer(schoolID: schoolID)
            for badge in classes { try tx.badges.save(badge, schoolID: schoolID) }
            return (classes.count, try tx.badges.evaluateAllRules(now: Date(), cause: .recomputation).awarded.count)
        }
    }

    /// Makes the school a badge issuer with its first signing key, installs the standard
    /// badge classes of its referentials and awards what students already earned.
    /// `keepKey` stores the private key: it runs inside the transaction, so that nothing is
    /// stored if the key cannot be kept.
    public func createIssuer(name: String, website: String, email: String, publicBaseURL: String, uai: String? = nil,
                             firstKey: IssuerKey, keepKey: @Sendable @escaping () throws -> Void,
                             by person: ActingPerson) async throws -> (uai: String, classes: Int, awarded: Int) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            guard let uai = try tx.schools.uai(schoolID: schoolID) else { throw AccessRefusal.role }
            let issuer = Issuer(uai: uai, name: name, url: website, email: email, publicBaseURL: publicBaseURL)
            let classes = try tx.badges.createIssuer(issuer, schoolID: schoolID, firstKey: firstKey)
            try keepKey()
            return (uai, classes, try tx.badges.evaluateAllRules(now: Date(), cause: .recomputation).awarded.count)
        }
    }

    /// A teacher awards a badge by hand (savoir-être, engagement, PFMP) to a student they follow.
    public func award(code: String, to student: StudentReference, evidence: [String], on day: CalendarDate? = nil,
                      uai: String? = nil, by person: ActingPerson) async throws -> StoredAward {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.write { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            let schoolID = try tx.schools.schoolID(studentID: studentID) ?? access.schoolID(uai: uai, in: tx)
            return try tx.badges.award(code: code, schoolID: schoolID, studentID: studentID, by: person.signature ?? "",
                                          evidence: evidence, on: day ?? today, now: Date())
        }
    }

    /// An award of a student the person follows; the same refusal for an unknown one.
    public func award(uuid: String, by person: ActingPerson) async throws -> StoredAward {
        let access = app.access(person)
        return try await app.read { tx in
            guard let award = try tx.badges.award(uuid: uuid) else { throw BadgeStoreError.unknownAward(uuid) }
            do {
                try access.requireStudent(award.studentID, in: tx)
            } catch is AccessRefusal {
                throw BadgeStoreError.unknownAward(uuid)
            }
            return award
        }
    }

    /// Revokes an award; the reason is published in the revocation lists.
    public func revoke(uuid: String, reason: String, by person: ActingPerson) async throws -> StoredAward {
        let award = try await award(uuid: uuid, by: person)
        try app.access(person).require(.teacher, .admin)
        try await app.write { tx in try tx.badges.revoke(uuid: uuid, by: person.signature ?? "", reason: reason, now: Date()) }
        return award
    }

    /// Keeps an award whose evidence changed: the teacher decides it stays earned.
    public func keep(uuid: String, by person: ActingPerson) async throws {
        _ = try await award(uuid: uuid, by: person)
        try app.access(person).require(.teacher, .admin)
        try await app.write { tx in try tx.badges.keep(uuid: uuid) }
    }
}
