import AcquisTestSupport
import Foundation
import Testing

/// The demo school as an issuer, through the real binary: badges earned from the sample
/// evidence, issued, baked, verified, revoked.
struct DemoIssuer {
    static let base = "https://badges.example.org"
    static let email = "lea@example.org"
    let acquis = AcquisBinary()
    let folder: String

    init() throws {
        folder = Fixtures.folder.appendingPathComponent("badges-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let root = Fixtures.repositoryRoot
        for arguments in [["referentiel", "import"] + Fixtures.shippedReferentials,
                          ["eleves", "import", root.appendingPathComponent("Samples/ElevesSansAdresses.xml").path],
                          ["eval", "import", root.appendingPathComponent("Samples/evaluations.csv").path],
                          ["issuer", "init", "--nom", "Lycée des Tilleuls (fictif)", "--site", "https://lp-tilleuls.example.fr",
                           "--courriel", "ce.0579999z@example.fr", "--url-publique", Self.base]] {
            let run = try acquis(arguments)
            guard run.status == 0 else { throw Failure("\(arguments.prefix(2)): \(run.errors)") }
        }
    }

    /// The ids of Léa's badges, the most recent first.
    func awards(_ student: String = "9000000001A") throws -> [String] {
        try acquis("badge", "list", "--eleve", student).output.split(separator: "\n")
            .filter { $0.first?.isHexDigit == true }.map { String($0.prefix(36)) }
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    @discardableResult
    func issue(_ id: String, ob: Int, format: String, to name: String, extra: [String] = []) throws -> String {
        let run = try acquis(["badge", "issue", id, "--ob", String(ob), "--courriel", Self.email, "--format", format,
                              "-o", path(name)] + extra)
        guard run.status == 0 else { throw Failure(run.errors) }
        return path(name)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

@Suite("acquis issuer and badge")
struct BadgeCLITests {
    @Test("the demo evidence earns badges; issued badges verify, tampered and revoked ones are refused")
    func issueVerifyRevoke() throws {
        let demo = try DemoIssuer()
        let awards = try demo.awards()
        #expect(awards.count >= 2)
        let png = try demo.issue(awards[0], ob: 3, format: "png", to: "badge.png")
        let valid = try demo.acquis("badge", "verify", png, "--courriel", "LEA@example.org")
        #expect(valid.status == 0, "\(valid.errors)")
        #expect(valid.output.contains("BADGE VALIDE"))
        #expect(valid.output.contains("délivré à la personne indiquée"))
        #expect(try demo.acquis("badge", "verify", png, "--courriel", "yanis@example.org").status != 0)

        let jws = try demo.issue(awards[0], ob: 2, format: "jws", to: "badge.jws")
        var parts = try String(contentsOfFile: jws, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ".").map(String.init)
        let payload = try #require(Data(base64Encoded: base64(parts[1])).map { String(decoding: $0, as: UTF8.self) })
        let forged = payload.replacingOccurrences(of: "\"issuedOn\":\"", with: "\"issuedOn\":\"1")
        #expect(forged != payload)
        parts[1] = Data(forged.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try parts.joined(separator: ".").write(toFile: demo.path("forged.jws"), atomically: true, encoding: .utf8)
        let tampered = try demo.acquis("badge", "verify", demo.path("forged.jws"))
        #expect(tampered.status != 0)
        #expect(tampered.output.contains("BADGE REFUSÉ : la signature ne correspond pas au contenu"))

        let revoke = try demo.acquis("badge", "revoke", awards[0], "--motif", "Évaluation saisie pour un autre élève", "--par", "mdupont")
        #expect(revoke.status == 0, "\(revoke.errors)")
        let revoked = try demo.acquis("badge", "verify", png)
        #expect(revoked.status != 0)
        #expect(revoked.output.contains("BADGE RÉVOQUÉ"))
        #expect(revoked.output.contains("Évaluation saisie pour un autre élève"))
        #expect(try demo.acquis("badge", "issue", awards[0], "-o", demo.path("again.png")).status != 0)
    }

    @Test("the issuer's name and public address change after init; delivered badges are counted in a warning; bad values are refused")
    func modifyIssuer() throws {
        let demo = try DemoIssuer()
        let renamed = try demo.acquis("issuer", "modifier", "--nom", "Lycée professionnel des Tilleuls", "--url-publique",
                                      "https://acquis.tilleuls.example.fr/")
        #expect(renamed.status == 0, "\(renamed.errors)")
        #expect(renamed.output.contains("Émetteur Lycée professionnel des Tilleuls (0579999Z) modifié."))
        #expect(renamed.output.contains("renvoient à \(DemoIssuer.base)"))
        let award = try #require(try demo.awards().first)
        let png = try demo.issue(award, ob: 2, format: "png", to: "renamed.png")
        let verified = try demo.acquis("badge", "verify", png)
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("Lycée professionnel des Tilleuls"))
        let bad = try demo.acquis("issuer", "modifier", "--url-publique", "acquis sans schéma")
        #expect(bad.status == 1)
        #expect(bad.errors.contains("n’est pas une adresse web"))
        #expect(try demo.acquis("issuer", "modifier").errors.contains("indiquez ce qui change"))
    }

    @Test("private keys are files only their owner reads; a rotated key keeps older badges verifiable")
    func keys() throws {
        let demo = try DemoIssuer()
        let files = try FileManager.default.contentsOfDirectory(atPath: demo.acquis.keys)
        #expect(files.count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: demo.acquis.keys + "/" + files[0])
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: demo.acquis.database, encoding: .isoLatin1).contains("PRIVATE KEY") == false)

        let award = try #require(try demo.awards().first)
        let before = try demo.issue(award, ob: 2, format: "png", to: "before.png")
        #expect(try demo.acquis("issuer", "rotate-key").status == 0)
        #expect(try demo.acquis("issuer", "rotate-key", "--algorithme", "ES256").status == 0)
        let after = try demo.issue(award, ob: 3, format: "svg", to: "after.svg", extra: ["--algorithme", "ES256"])
        #expect(try demo.acquis("badge", "verify", before).status == 0)
        #expect(try demo.acquis("badge", "verify", after).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: demo.acquis.keys).count == 3)
        let es256OB2 = try demo.acquis("badge", "issue", award, "--ob", "2", "--algorithme", "ES256", "-o", demo.path("x.png"))
        #expect(es256OB2.status == 0, "OB 2.0 always signs with the active RS256 key")
    }

    @Test("a badge definition file adds transversal badges a teacher awards; a bad file names line and field")
    func definitions() throws {
        let demo = try DemoIssuer()
        let good = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <badges xmlns="urn:acquis:badges:1">
              <badge code="PFMP-ENGAGEMENT" rule="manual" color="#6A1B9A" validity-months="36">
                <name>Engagement en entreprise</name>
                <description>Ponctualité, tenue et implication pendant la période de formation en milieu professionnel.</description>
                <criteria>Le tuteur et l’enseignant référent constatent l’engagement lors de la visite de PFMP.</criteria>
              </badge>
            </badges>
            """, named: "badges.xml")
        let defined = try demo.acquis("badge", "define", good)
        #expect(defined.status == 0, "\(defined.errors)")
        let award = try demo.acquis("badge", "award", "PFMP-ENGAGEMENT", "--eleve", "9000000002B", "--par", "mdupont",
                                    "--preuve", "Visite de PFMP du 12/11/2026")
        #expect(award.status == 0, "\(award.errors)")
        #expect(try demo.acquis("badge", "list", "--eleve", "9000000002B").output.contains("Engagement en entreprise (décerné par mdupont)"))

        let bad = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <badges xmlns="urn:acquis:badges:1">
              <badge code="X" rule="level" referential="SOCLE-2015" version="2015" node="CPD_FRA">
                <name>X</name><description>X</description><criteria>X</criteria>
              </badge>
              <badge code="Y" color="violet"><name>Y</name><criteria>Y</criteria></badge>
            </badges>
            """, named: "bad-badges.xml")
        let refused = try demo.acquis("badge", "define", bad)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("bad-badges.xml:3: badge@level: attribut level manquant pour la règle « level »"))
        #expect(refused.errors.contains("bad-badges.xml:6: badge@color: couleur « violet » illisible"))
        #expect(refused.errors.contains("bad-badges.xml:6: badge/description: description manquant"))
    }

    private func base64(_ text: String) -> String {
        var value = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while value.count % 4 != 0 { value += "=" }
        return value
    }
}
