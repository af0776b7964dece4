import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisEngines
import AcquisOpenBadges
import AcquisPublishing
import AcquisReports
import AcquisStorage
import Foundation
import Testing

/// A school that issues badges: Léa (with an INE) and Noé (without), a manual badge awarded
/// to each, the issuer's RSA key in a key folder of its own.
struct IssuingSchool {
    let app: App
    let keys: KeyDirectory
    let lea: StoredAward
    let noe: StoredAward
    static let today = CalendarDate(year: 2026, month: 12, day: 2)!
    static let console = ActingPerson.console(name: "Mme Durand")

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-publishing-\(UUID().uuidString)")
        app = App(storage: try StorageLocation(folder.appendingPathExtension("sqlite").path).open(), today: Self.today)
        keys = KeyDirectory(path: folder.appendingPathComponent("cles").path)
        let roster = StudentRoster(students: [
            Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP"),
            Student(ine: nil, localID: "102", lastName: "ROY", firstName: "Noé", division: "2CAP"),
        ])
        _ = try await app.school.importRoster(roster, uai: "0579999Z", year: SchoolYear(containing: Self.today), by: Self.console)
        let key = try PrivateSigningKey.generate(.rs256)
        let keys = self.keys
        _ = try await app.badges.createIssuer(name: "Lycée des Tilleuls", website: "https://lycee.example", email: "ce@lycee.example",
                                              publicBaseURL: "https://acquis.lycee.example/", firstKey: key.key,
                                              keepKey: { try keys.store(key) }, by: Self.console)
        let badge = BadgeClass(code: "EQUIPE", name: "Travail en équipe", description: "Coopère avec ses camarades.",
                               criteria: "Observé en atelier.", rule: .manual)
        _ = try await app.badges.define([badge], by: Self.console)
        lea = try await app.badges.award(code: "EQUIPE", to: .ine("9000000001A"), evidence: ["Inventaire de novembre"], by: Self.console)
        noe = try await app.badges.award(code: "EQUIPE", to: .localID("102"), evidence: ["Inventaire de novembre"], by: Self.console)
    }

    func signed(_ award: StoredAward, version: OpenBadgesVersion = .v3, recipient: String? = nil,
                as format: SignedBadge.Format) async throws -> [UInt8] {
        try await app.publishing.signed(uuid: award.uuid, version: version, recipient: recipient, as: format, keys: keys,
                                        by: Self.console).bytes
    }
}

@Suite("Stored awards become Open Badges on one signing path")
struct SigningTests {
    @Test("a signed badge carries a salted hash of the INE, never the INE, and a fresh salt each time")
    func hashedRecipient() async throws {
        let school = try await IssuingSchool()
        let first = String(decoding: try await school.signed(school.lea, as: .json), as: UTF8.self)
        let second = String(decoding: try await school.signed(school.lea, as: .json), as: UTF8.self)
        #expect(first.contains("sha256$"))
        #expect(!first.contains("9000000001A") && !second.contains("9000000001A"))
        #expect(first != second)
    }

    @Test("what is signed verifies against the school's published keys, as PNG, SVG and JWS, in OB 2.0 and 3.0",
          arguments: [(OpenBadgesVersion.v2, SignedBadge.Format.png), (.v3, .png), (.v3, .svg), (.v2, .jws)])
    func verifies(version: OpenBadgesVersion, format: SignedBadge.Format) async throws {
        let school = try await IssuingSchool()
        let bytes = try await school.signed(school.lea, version: version, as: format)
        let verdict = await BadgeVerifier(trusted: try await school.app.publishing.trustedIssuers()).verify(bytes, recipient: "9000000001A")
        #expect(verdict.status == .valid)
        #expect(verdict.recipientMatches == true)
    }

    @Test("a student without an INE gets a badge only for an address given")
    func addressNeeded() async throws {
        let school = try await IssuingSchool()
        await #expect(throws: PublishingError.noRecipient) { try await school.signed(school.noe, as: .jws) }
        let bytes = try await school.signed(school.noe, recipient: "noe@example.fr", as: .png)
        let verdict = await BadgeVerifier(trusted: try await school.app.publishing.trustedIssuers()).verify(bytes, recipient: "noe@example.fr")
        #expect(verdict.status == .valid)
    }

    @Test("a revoked badge is never signed again, and leaves the learner record")
    func revoked() async throws {
        let school = try await IssuingSchool()
        _ = try await school.app.badges.revoke(uuid: school.lea.uuid, reason: "Attribué par erreur", by: IssuingSchool.console)
        await #expect(throws: PublishingError.revoked) { try await school.signed(school.lea, as: .png) }
        var batch = try school.app.exports.progressFiles(period: Period.named("annee", in: SchoolYear(containing: IssuingSchool.today))!,
                                                         by: IssuingSchool.console)
        #expect(try await batch.learnerRecord(studentID: school.lea.studentID, email: nil, keys: school.keys) == nil)
        let record = try await batch.learnerRecord(studentID: school.noe.studentID, email: "noe@example.fr", keys: school.keys)
        #expect(record?.split(separator: ".").count == 3)
    }

    @Test("a signature needs the private key: a missing key file is refused, nothing is signed")
    func missingKey() async throws {
        let school = try await IssuingSchool()
        let elsewhere = KeyDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("acquis-aucune-cle").path)
        await #expect(throws: KeyFileError.self) {
            try await school.app.publishing.signed(uuid: school.lea.uuid, as: .png, keys: elsewhere, by: IssuingSchool.console)
        }
    }
}

@Suite("The school publishes what verifiers need, and nothing else")
struct HostedDocumentTests {
    @Test("every hosted document is served at its path; any other path finds nothing")
    func served() async throws {
        let school = try await IssuingSchool()
        let documents = try await school.app.publishing.hostedDocuments(by: IssuingSchool.console)
        #expect(documents.count == 8)  // issuer, two revocation lists, key and JWK, badge class, PNG, SVG
        for document in documents {
            #expect(try await school.app.publishing.hostedDocument(at: document.path) == document.content)
        }
        for path in ["", "/", "../openbadges/emetteur-0579999z.json", "openbadges/../../etc/passwd", "openbadges/emetteur-0000000a.json"] {
            #expect(try await school.app.publishing.hostedDocument(at: path) == nil)
        }
    }

    @Test("a revoked award is listed with its reason in both revocation lists; the student is not named")
    func revocationLists() async throws {
        let school = try await IssuingSchool()
        _ = try await school.app.badges.revoke(uuid: school.lea.uuid, reason: "Attribué par erreur", by: IssuingSchool.console)
        for path in ["openbadges/revocations-0579999z.json", "openbadges/ob3/revocations-0579999z.json"] {
            let text = String(decoding: try #require(try await school.app.publishing.hostedDocument(at: path)), as: UTF8.self)
            #expect(text.contains(school.lea.uuid) && text.contains("Attribué par erreur"))
            #expect(!text.contains(school.noe.uuid))
            #expect(!text.contains("MARTIN") && !text.contains("9000000001A"))
        }
    }
}
