import AcquisBadges
import AcquisCore
@testable import AcquisOpenBadges
import Foundation
import JWTKit
import Testing

@Suite("Recipient hashing")
struct RecipientTests {
    @Test("hashes identifier then salt with SHA-256, as the Open Badges test vectors")
    func vectors() {
        #expect(HashedRecipient.hashing("a@example.com", kind: .email, salt: "Kosher").identityHash
                == "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
        #expect(HashedRecipient.hashing("eleve@example.org", kind: .email, salt: "s4lt").identityHash
                == "sha256$2f4777ab87852755b65ec29ef504cfbcd96b8ff5f0e3a97e8772c2e23c9bfeb8")
    }

    @Test("an e-mail address matches whatever its case and surrounding spaces")
    func matching() {
        let recipient = HashedRecipient.hashing(" Eleve@Example.org ", kind: .email, salt: HashedRecipient.randomSalt())
        #expect(recipient.matches("eleve@example.org"))
        #expect(!recipient.matches("autre@example.org"))
        #expect(recipient.salt.count == 16)
    }
}

@Suite("Baking")
struct BakingTests {
    static let png = BadgeArt.png(BadgeClass(code: "T", name: "Test", description: "", criteria: "", rule: .manual))

    @Test("the iTXt chunk is byte for byte the one of the Open Badges baking specification")
    func chunkBytes() throws {
        let baked = try PNGBaker.bake("aaa.bbb.ccc", into: Self.png, version: .v2)
        let expected: [UInt8] = [0x00, 0x00, 0x00, 0x1a, 0x69, 0x54, 0x58, 0x74, 0x6f, 0x70, 0x65, 0x6e, 0x62, 0x61, 0x64,
                                 0x67, 0x65, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x61, 0x61, 0x2e, 0x62, 0x62, 0x62,
                                 0x2e, 0x63, 0x63, 0x63, 0x89, 0x35, 0x63, 0x12]
        // Right after the signature (8 bytes) and IHDR (25 bytes).
        #expect(Array(baked[33..<33 + expected.count]) == expected)
        let v3 = try PNGBaker.bake("aaa.bbb.ccc", into: Self.png, version: .v3)
        #expect(Array(v3[33..<37]) == [0x00, 0x00, 0x00, 0x23])
        #expect(Array(v3[(33 + 43)..<(33 + 47)]) == [0xab, 0xdf, 0x73, 0x45])
    }

    @Test("baking twice replaces the badge; both versions can live in one image")
    func rebake() throws {
        var image = try PNGBaker.bake("first", into: Self.png, version: .v2)
        image = try PNGBaker.bake("second", into: image, version: .v2)
        image = try PNGBaker.bake("credential", into: image, version: .v3)
        #expect(try PNGBaker.unbake(image, version: .v2) == "second")
        #expect(try PNGBaker.unbake(image, version: .v3) == "credential")
        // One chunk per version: 12 bytes of framing, the keyword, 5 zero bytes and the text.
        #expect(image.count == Self.png.count + (12 + 10 + 5 + 6) + (12 + 19 + 5 + 10))
    }

    @Test("a file that is not a PNG is refused with a reason")
    func notPNG() {
        #expect(throws: BakingError.notPNG) { try PNGBaker.bake("x", into: Array("hello".utf8), version: .v2) }
        #expect(throws: BakingError.truncatedPNG(offset: 33)) {
            try PNGBaker.unbake(Array(Self.png.prefix(40)), version: .v2)
        }
    }

    @Test("an SVG gets the version's namespace on <svg> and the token in verify")
    func svg() throws {
        let art = BadgeArt.svg(BadgeClass(code: "T", name: "Bloc 1 – Recevoir & suivre", description: "", criteria: "",
                                          rule: .manual), subtitle: "CAP-EPC")
        let v2 = try SVGBaker.bake("h.p.s", into: art, version: .v2)
        #expect(v2.contains("xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"h.p.s\"/>"))
        let v3 = try SVGBaker.bake("h.p.s", into: art, version: .v3)
        #expect(v3.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential verify=\"h.p.s\"/>"))
        #expect(SVGBaker.unbake(v3, version: .v3) == "h.p.s")
        #expect(SVGBaker.unbake(v3, version: .v2) == nil)
        #expect(art.contains("Recevoir &amp; suivre"))
    }
}

@Suite("Signing and verification")
struct SigningTests {
    static let issuer = Issuer(uai: "0579999Z", name: "Lycée des Tilleuls", url: "https://lycee.example",
                               email: "ce@lycee.example", publicBaseURL: "https://acquis.lycee.example")
    static let badge = BadgeClass(code: "CAP-EPC-2019-B1", name: "Bloc 1 – Recevoir et suivre les commandes",
                                  description: "Toutes les compétences du bloc sont acquises.", criteria: "Chaque compétence est acquise.",
                                  rule: .allAcquired(ReferentialKey(code: "CAP-EPC", version: "2019"), node: "B1"))

    static func award(expires: Date? = nil) -> IssuedAward {
        IssuedAward(uuid: "5b0c8e0a-3c1d-4f7e-9a2b-1c2d3e4f5a6b",
                    badge: PublishedBadge(badgeClass: badge, levels: [.init(code: "EC", label: "En cours"), .init(code: "A", label: "Acquis")],
                                          requiredLevel: "A"),
                    recipient: .hashing("lea@example.org", kind: .email, salt: "0123456789abcdef"),
                    issuedAt: Date(timeIntervalSince1970: 1_790_000_000), expiresAt: expires,
                    evidence: ["B1.1 Réceptionner : Acquis (12/10/2026)"], achievedLevel: "A")
    }

    static func verifier(_ key: PrivateSigningKey, revoked: [String: String] = [:], now: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> BadgeVerifier {
        BadgeVerifier(trusted: [TrustedIssuer(issuer: issuer, keys: [key.key], revocations: revoked)], now: now)
    }

    @Test("an OB 2.0 assertion and OB 3.0 credentials (RS256, ES256) verify; the right recipient matches", arguments: [
        (OpenBadgesVersion.v2, IssuerKey.Algorithm.rs256), (.v3, .rs256), (.v3, .es256),
    ])
    func roundTrip(version: OpenBadgesVersion, algorithm: IssuerKey.Algorithm) async throws {
        let key = try PrivateSigningKey.generate(algorithm)
        let signer = try await BadgeSigner(issuer: Self.issuer, signingKey: key)
        let token = version == .v2 ? try await signer.signOpenBadges2(Self.award()) : try await signer.signOpenBadges3(Self.award())
        let baked = try PNGBaker.bake(token, into: BakingTests.png, version: version)
        let verdict = await Self.verifier(key).verify(baked, recipient: "LEA@example.org")
        #expect(verdict.status == .valid)
        #expect(verdict.isValid)
        #expect(verdict.version == version)
        #expect(verdict.badgeName == (version == .v2 ? "https://acquis.lycee.example/openbadges/badges/cap-epc-2019-b1.json" : Self.badge.name))
        #expect(await Self.verifier(key).verify(baked, recipient: "yanis@example.org").isValid == false)
    }

    @Test("a tampered badge, a revoked badge, an expired badge and an unknown key are refused")
    func refusals() async throws {
        let key = try PrivateSigningKey.generate(.rs256)
        let signer = try await BadgeSigner(issuer: Self.issuer, signingKey: key)
        let token = try await signer.signOpenBadges3(Self.award())
        var parts = token.split(separator: ".").map(String.init)
        var payload = try JSONValue(json: try #require(Data(base64URLEncoded: parts[1])))
        if case .object(var members) = payload { members["name"] = "Bloc 3 – Autre chose"; payload = .object(members) }
        parts[1] = payload.encoded().base64URLEncoded
        let tampered = await Self.verifier(key).verify(token: parts.joined(separator: "."))
        guard case .tampered = tampered.status else { Issue.record("expected tampered, got \(tampered.status)"); return }

        let revoked = await Self.verifier(key, revoked: ["5b0c8e0a-3c1d-4f7e-9a2b-1c2d3e4f5a6b": "Erreur de saisie"]).verify(token: token)
        #expect(revoked.status == .revoked(reason: "Erreur de saisie"))
        #expect(revoked.explanation.hasPrefix("BADGE RÉVOQUÉ"))

        let expiring = try await signer.signOpenBadges3(Self.award(expires: Date(timeIntervalSince1970: 1_795_000_000)))
        #expect(await Self.verifier(key).verify(token: expiring).status == .expired(on: Date(timeIntervalSince1970: 1_795_000_000)))

        let other = try PrivateSigningKey.generate(.rs256)
        guard case .unknownIssuer = await Self.verifier(other).verify(token: token).status else {
            Issue.record("a badge signed by an unpublished key must come from an unknown issuer"); return
        }
    }

    @Test("Open Badges 2.0 refuses an ES256 key with advice")
    func ob2NeedsRSA() async throws {
        let signer = try await BadgeSigner(issuer: Self.issuer, signingKey: try PrivateSigningKey.generate(.es256))
        await #expect(throws: BadgeSigningError.self) { try await signer.signOpenBadges2(Self.award()) }
    }

    @Test("a one-entry revocation list is padded so that validators built on JSON-LD compaction see it")
    func revocationPadding() {
        let list = OpenBadges2(issuer: Self.issuer).revocationList([Revocation(uuid: "5b0c8e0a-3c1d-4f7e-9a2b-1c2d3e4f5a6b", reason: "x")])
        #expect(list["revokedAssertions"]?.values.count == 2)
    }

    @Test("the OB 3.0 credential carries the scale as a rubric and the level reached")
    func credentialShape() {
        let credential = OpenBadges3(issuer: Self.issuer).credential(Self.award())
        let achievement = credential["credentialSubject"]?["achievement"]
        #expect(achievement?["resultDescription"]?.values.first?["rubricCriterionLevel"]?.values.count == 2)
        #expect(credential["credentialSubject"]?["result"]?.values.first?["achievedLevel"]?.string
                == "https://acquis.lycee.example/openbadges/badges/cap-epc-2019-b1.json#niveau-a")
        #expect(credential["credentialSubject"]?["identifier"]?.values.first?["identityType"]?.string == "emailAddress")
        #expect(credential["credentialStatus"]?["type"]?.string == "1EdTechRevocationList")
        #expect(credential["validFrom"]?.string == "2026-09-21T14:13:20Z")
    }
}

@Suite("Badge art")
struct BadgeArtTests {
    /// Each `<tspan>` of an SVG badge: its baseline, its font size and its text.
    private func lines(_ svg: String) -> [(y: Int, size: Double, text: String)] {
        var found: [(Int, Double, String)] = []
        for text in svg.components(separatedBy: "<text ").dropFirst() {
            let size = Double(text.components(separatedBy: "font-size=\"")[1].prefix { $0 != "\"" }) ?? 0
            for span in text.components(separatedBy: "<tspan ").dropFirst() {
                let y = Int(span.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" }) ?? 0
                let content = span.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
                found.append((y, size, content.replacingOccurrences(of: "&amp;", with: "&")))
            }
        }
        return found
    }

    @Test("a long school name and a long title stay inside the ring, wrapped to the circle's width at each line")
    func textInsideTheRing() {
        let badge = BadgeClass(code: "X", name: "Accueillir, conseiller et fidéliser la clientèle en magasin et à distance",
                               description: "d", criteria: "c", rule: .manual)
        let svg = BadgeArt.svg(badge, subtitle: "Lycée des métiers du commerce et de la vente Jean-Baptiste Colbert (fictif)")
        let all = lines(svg)
        #expect(all.count >= 4)
        for line in all {
            let charWidth = line.size == 17 ? 10.6 : 6.2
            let capacity = BadgeArt.capacity(baseline: line.y, fontSize: line.size, charWidth: charWidth)
            #expect(line.text.count <= capacity, "« \(line.text) » at y \(line.y) holds \(capacity) characters")
        }
        #expect(all.contains { $0.text.hasPrefix("Lycée des") }, "the school's name starts on the badge, not cut to nothing")
    }

    @Test("a short title stays on one centred line")
    func shortTitle() {
        let svg = BadgeArt.svg(BadgeClass(code: "X", name: "Ponctualité", description: "d", criteria: "c", rule: .manual),
                               subtitle: "CAP-EPC")
        #expect(lines(svg).map(\.text) == ["CAP-EPC", "Ponctualité"])
    }
}

@Suite("RS256 through the system's OpenSSL")
struct SystemRSATests {
    @Test("OB 2.0 and OB 3.0 tokens signed through OpenSSL 3 are byte for byte those of jwt-kit with swift-crypto (RS256 is deterministic)")
    func sameTokens() async throws {
        for _ in 0..<3 {
            let key = try PrivateSigningKey.generate(.rs256)
            let signer = try await BadgeSigner(issuer: SigningTests.issuer, signingKey: key)
            let award = SigningTests.award(expires: Date(timeIntervalSince1970: 1_900_000_000))
            let assertion = OpenBadges2(issuer: SigningTests.issuer).assertion(award, keyID: key.key.id)
            let claims = OpenBadges3(issuer: SigningTests.issuer).claims(award)
            let ob2 = try await signer.signOpenBadges2(award), ob3 = try await signer.signOpenBadges3(award)
            #expect(ob2 == (try await signer.signedByLibrary(assertion, credential: false)))
            #expect(ob3 == (try await signer.signedByLibrary(claims, credential: true)))
        }
    }

    @Test("ES256 tokens assembled here have jwt-kit's header and payload bytes, and a signature jwt-kit and the verifier accept")
    func es256Tokens() async throws {
        let key = try PrivateSigningKey.generate(.es256)
        let signer = try await BadgeSigner(issuer: SigningTests.issuer, signingKey: key)
        for expires in [nil, Date(timeIntervalSince1970: 1_900_000_000)] {
            let award = SigningTests.award(expires: expires)
            let claims = OpenBadges3(issuer: SigningTests.issuer).claims(award)
            let token = try await signer.signOpenBadges3(award)
            let library = try await signer.signedByLibrary(claims, credential: true)
            // ECDSA signatures are random: the signed parts are compared, and the signature checked.
            #expect(token.split(separator: ".").prefix(2) == library.split(separator: ".").prefix(2))
            #expect(token.split(separator: ".")[2].count == 86, "r ‖ s, 64 bytes in base64url")
            let keys = await JWTKeyCollection().add(ecdsa: try ES256PublicKey(pem: key.key.publicKeyPEM),
                                                    kid: JWKIdentifier(string: SigningTests.issuer.urls.jwk(key.key.id)))
            _ = try await keys.verify(token, as: Claims.self)
            let baked = try PNGBaker.bake(token, into: BakingTests.png, version: .v3)
            #expect(await SigningTests.verifier(key).verify(baked).isValid)
        }
    }

    @Test("claims built with the achievement kept from an earlier badge are those built afresh, badges interleaved")
    func keptAchievements() async throws {
        let key = try PrivateSigningKey.generate(.es256)
        let signer = try await BadgeSigner(issuer: SigningTests.issuer, signingKey: key)
        let other = PublishedBadge(badgeClass: BadgeClass(code: "CAP-EPC-2019-B2", name: "Bloc 2", description: "d", criteria: "c",
                                                          rule: .manual), levels: [], requiredLevel: nil)
        var second = SigningTests.award()
        second.badge = other
        second.achievedLevel = nil
        for award in [SigningTests.award(), second, SigningTests.award(), second] {
            let token = try await signer.signOpenBadges3(award)
            let payload = try #require(Data(base64URLEncoded: token.split(separator: ".")[1]))
            #expect(Array(payload) == JSONWriter.bytes(OpenBadges3(issuer: SigningTests.issuer).claims(award)))
        }
    }

    @Test("timestamps are written as ISO8601DateFormatter wrote them, whole seconds in UTC, from 1900 to 2200")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        let edges: [Double] = [0, -1, -0.5, 0.999, 0.9995, 0.9994, -0.0005, -0.0004, 1_790_000_000.9999, 1_790_000_000.4995, 951_782_400 /* 29 Feb 2000 */, -2_208_988_800, 7_258_118_399]
        for seconds in edges + (0..<20_000).map({ _ in Double.random(in: -2_208_988_800...7_258_118_400, using: &generator) }) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(date.openBadgesTimestamp == formatter.string(from: date), "\(seconds)")
        }
    }

    @Test("base64url of every length up to 64 bytes matches Foundation's base64 with the URL alphabet and no padding")
    func base64URL() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(String(decoding: Base64URL.encoded(bytes), as: UTF8.self) == expected)
        }
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    /// What Foundation's encoder writes, as the documents were written before the writer.
    static func foundation(_ value: JSONValue) throws -> Data { try JSONValue.encoder().encode(value) }

    @Test("the word-at-a-time check finds a control character, a quote or a backslash at every position of strings up to 40 bytes, and nothing in clean text (accents, high bytes, 0x7F)")
    func escapingCheck() throws {
        let clean = Array("Réceptionner « la commande » ; data:image/png;base64,iVBORw0KGgo~\u{7F}".utf8)
        for length in 0...40 {
            let text = (0..<length).map { clean[$0 % clean.count] }
            #expect(!text.withUnsafeBufferPointer(JSONWriter.needsEscaping))
            for position in 0..<length {
                for special: UInt8 in [0x00, 0x0A, 0x1F, UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                    var marked = text
                    marked[position] = special
                    #expect(marked.withUnsafeBufferPointer(JSONWriter.needsEscaping), "\(special) at \(position) of \(length)")
                }
                // Bytes next to the special ones in value, which a loose test would flag.
                for neighbour: UInt8 in [0x20, 0x21, 0x23, 0x5B, 0x5D, 0xA2, 0xDC, 0xFF] {
                    var marked = text
                    marked[position] = neighbour
                    #expect(!marked.withUnsafeBufferPointer(JSONWriter.needsEscaping), "\(neighbour) at \(position) of \(length)")
                }
            }
        }
    }

    @Test("badge documents are written byte for byte as Foundation's encoder wrote them")
    func badgeDocuments() throws {
        let award = SigningTests.award(expires: Date(timeIntervalSince1970: 1_900_000_000))
        let documents: [JSONValue] = [
            OpenBadges3(issuer: SigningTests.issuer).credential(award),
            OpenBadges3(issuer: SigningTests.issuer).claims(award),
            OpenBadges2(issuer: SigningTests.issuer).assertion(award, keyID: "cle-1"),
            OpenBadges2(issuer: SigningTests.issuer).revocationList([Revocation(uuid: "5b0c8e0a-3c1d-4f7e-9a2b-1c2d3e4f5a6b", reason: "erreur « de saisie »")]),
        ]
        for document in documents {
            #expect(document.encoded() == (try Self.foundation(document)))
        }
    }

    @Test("a signed badge's header and claims are the bytes Foundation's encoder writes for the same content")
    func signedSegments() async throws {
        for algorithm in [IssuerKey.Algorithm.es256, .rs256] {
            let signer = try await BadgeSigner(issuer: SigningTests.issuer, signingKey: try PrivateSigningKey.generate(algorithm))
            let token = try await signer.signOpenBadges3(SigningTests.award())
            for segment in token.split(separator: ".").prefix(2) {
                var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
                let bytes = try #require(Data(base64Encoded: base64))
                #expect(bytes == (try Self.foundation(try JSONValue(json: bytes))), "\(algorithm)")
            }
        }
    }

    @Test("keys in the same order, every control character, quotes, slashes, accents, emoji and numbers as Foundation writes them")
    func edgeCases() throws {
        let keys = ["a10", "a2", "B", "a", "é", "_", "Z", "z", "aa", "a-1", "@context", "id", "type", "A1", "a01", "", "\u{E000}", "😀", "\u{FFFD}", "e\u{301}"]
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}"
        var members: [String: JSONValue] = [:]
        for (index, key) in keys.enumerated() { members[key] = .number(Double(index)) }
        let value: JSONValue = [
            "keys": .object(members),
            "strings": [.string(controls), "\"quoted\" \\ back", "https://a.example/b/c", "été 👍 \u{2028} œ", ""],
            "numbers": [0, -1, .number(1e15), .number(9_007_199_254_740_992), .number(0.5), .number(1.25e-7), .number(-0.0), .number(123.456)],
            "nested": [[], .object([:]), [.null, true, false, ["x": [1, 2]]]],
        ]
        let written = String(decoding: value.encoded(), as: UTF8.self), expected = String(decoding: try Self.foundation(value), as: UTF8.self)
        #expect(written == expected, "\(written)\n\(expected)")
        let indented = String(decoding: value.encoded(pretty: true), as: UTF8.self)
        let foundationIndented = String(decoding: try JSONValue.encoder(pretty: true).encode(value), as: UTF8.self)
        #expect(indented == foundationIndented, "\(indented)\n\(foundationIndented)")
        for empty: JSONValue in [[], .object([:]), "x", 1, .null, [[[]]], ["a": ["b": .object([:])]]] {
            #expect(empty.encoded(pretty: true) == (try JSONValue.encoder(pretty: true).encode(empty)), "\(empty)")
        }
    }
}

@Suite("PNG checksum")
struct CRC32Tests {
    /// The classic byte-at-a-time CRC-32 (ISO 3309), as a reference.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test("the check value of « 123456789 » and the classic computation for every length from 0 to 300")
    func matchesReference() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC32.checksum(bytes) == Self.reference(bytes), "length \(length)")
        }
    }
}
