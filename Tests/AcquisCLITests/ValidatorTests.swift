import AcquisTestSupport
import Foundation
import Testing

@Suite("Independent Open Badges validators")
struct ValidatorTests {
    @Test("CI has the validators installed, so that conformance is never skipped there")
    func installedInCI() {
        #expect(!Validators.runningInCI || Validators.available,
                "run Tests/Validators/install.sh before the tests (or set ACQUIS_VALIDATORS)")
    }

    @Test("badges issued by Acquis pass 1EdTech's validator, the reference baker, openbadgeslib and the OB 3.0 schema",
          .enabled(if: Validators.available, "validators not installed: Tests/Validators/install.sh"))
    func conformance() throws {
        let demo = try DemoIssuer()
        let awards = try demo.awards()
        try #require(awards.count >= 2)
        let (kept, revoked) = (awards[0], awards[1])

        // Open Badges 2.0: JWS, baked PNG and SVG; a revoked badge; a wrong recipient.
        let jws = try demo.issue(kept, ob: 2, format: "jws", to: "ob2.jws")
        let revokedJWS = try demo.issue(revoked, ob: 2, format: "jws", to: "revoked.jws")
        #expect(try demo.acquis("badge", "revoke", revoked, "--motif", "Erreur de saisie", "--par", "mdupont").status == 0)
        let art = try artFiles(demo)
        for (image, name) in [(art.png, "ob2.png"), (art.svg, "ob2.svg")] {
            #expect(try demo.acquis("badge", "bake", jws, "--image", image, "--ob", "2", "-o", demo.path(name)).status == 0)
        }
        let hosted = demo.path("hosted")
        #expect(try demo.acquis("issuer", "export", hosted).status == 0)

        let valid = try Validators.run("obcore", "check_ob2.py", [hosted, DemoIssuer.base, DemoIssuer.email, "valid",
                                                                  jws, demo.path("ob2.png"), demo.path("ob2.svg")])
        #expect(valid.status == 0, "\(valid.output)")
        let refused = try Validators.run("obcore", "check_ob2.py", [hosted, DemoIssuer.base, DemoIssuer.email, "revoked", revokedJWS])
        #expect(refused.status == 0, "\(refused.output)")
        let stranger = try Validators.run("obcore", "check_ob2.py", [hosted, DemoIssuer.base, "yanis@example.org",
                                                                     "wrong-recipient", jws])
        #expect(stranger.status == 0, "\(stranger.output)")
        let unbaked = try Validators.run("bakery", "check_bakery.py", [jws, demo.path("ob2.png"), demo.path("ob2.svg")])
        #expect(unbaked.status == 0, "\(unbaked.output)")

        // Open Badges 3.0, signed with RS256 and with ES256.
        #expect(try demo.acquis("issuer", "rotate-key", "--algorithme", "ES256").status == 0)
        try demo.acquis("issuer", "export", hosted)
        for algorithm in ["RS256", "ES256"] {
            let token = try demo.issue(kept, ob: 3, format: "jws", to: "ob3-\(algorithm).jws", extra: ["--algorithme", algorithm])
            for (image, name) in [(art.png, "ob3-\(algorithm).png"), (art.svg, "ob3-\(algorithm).svg")] {
                #expect(try demo.acquis("badge", "bake", token, "--image", image, "--ob", "3", "-o", demo.path(name)).status == 0)
            }
            let key = try publicKey(algorithm: algorithm, hosted: hosted, into: demo.path("\(algorithm).pem"))
            let schema = "\(Validators.scripts)/schemas/ob_v3p0_achievementcredential_schema.json"
            let checked = try Validators.run("ob3", "check_ob3.py", [schema, key, DemoIssuer.email, token,
                                                                     demo.path("ob3-\(algorithm).png"), demo.path("ob3-\(algorithm).svg")])
            #expect(checked.status == 0, "\(checked.output)")
            #expect(checked.output.contains("ok   openbadgeslib VC-JWT \(algorithm)"))
        }
    }

    private func artFiles(_ demo: DemoIssuer) throws -> (png: String, svg: String) {
        let folder = demo.path("art")
        #expect(try demo.acquis("issuer", "export", folder).status == 0)
        let badges = "\(folder)/openbadges/badges"
        let png = try #require(try FileManager.default.contentsOfDirectory(atPath: badges).sorted().first { $0.hasSuffix(".png") })
        return ("\(badges)/\(png)", "\(badges)/\(png.dropLast(4)).svg")
    }

    /// The PEM of the issuer's active key of an algorithm, from its hosted key document.
    private func publicKey(algorithm: String, hosted: String, into path: String) throws -> String {
        let keys = "\(hosted)/openbadges/cles"
        for name in try FileManager.default.contentsOfDirectory(atPath: keys).sorted() where name.hasSuffix(".jwk") {
            let jwk = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(keys)/\(name)"))) as? [String: Any]
            guard jwk?["alg"] as? String == algorithm else { continue }
            let document = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(keys)/\(name.dropLast(4)).json"))) as? [String: Any]
            let pem = try #require(document?["publicKeyPem"] as? String)
            try pem.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        throw DemoIssuer.Failure("no \(algorithm) key in \(keys)")
    }
}
