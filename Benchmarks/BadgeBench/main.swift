import AcquisBadges
import AcquisCore
import AcquisOpenBadges
import _CryptoExtras
import Crypto
import Foundation

// Issues, signs and bakes N badges in memory, one after the other (as `openssl speed` signs on
// one core), and prints badges per second for each format and algorithm.
//
//     badge-bench [N] [LABEL]     (LABEL: only the measures whose label contains it, e.g. ES256)
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10_000
let only = CommandLine.arguments.dropFirst(2).first

let issuer = Issuer(uai: "0579999Z", name: "Lycée des Tilleuls (fictif)", url: "https://lp-tilleuls.example.fr",
                    email: "ce@example.fr", publicBaseURL: "https://badges.example.org")
let badge = BadgeClass(code: "CAP-EPC-2019-B1", name: "Bloc 1 – Recevoir et suivre les commandes",
                       description: "Toutes les compétences du bloc « Recevoir et suivre les commandes » sont acquises.",
                       criteria: "Chacune des 4 compétences du bloc est acquise.",
                       rule: .allAcquired(ReferentialKey(code: "CAP-EPC", version: "2019"), node: "B1"),
                       alignments: [BadgeAlignment(targetName: "Recevoir et suivre les commandes",
                                                   targetURL: "https://www.francecompetences.fr/recherche/rncp/34947/",
                                                   targetFramework: "CAP Équipier polyvalent du commerce (RNCP34947)",
                                                   targetCode: "RNCP34947BC01")])
let published = PublishedBadge(badgeClass: badge, levels: [.init(code: "PE", label: "Je découvre"), .init(code: "EC", label: "Je progresse"),
                                                           .init(code: "A", label: "Je sais faire"), .init(code: "M", label: "Je maîtrise")],
                               requiredLevel: "A")
let art = BadgeArt.png(badge)

func awards() -> [IssuedAward] {
    (0..<count).map { index in
        IssuedAward(uuid: UUID().uuidString.lowercased(), badge: published,
                    recipient: .hashing("eleve\(index)@example.org", kind: .email, salt: HashedRecipient.randomSalt()),
                    issuedAt: Date(), evidence: ["B1.1 Réceptionner : Je sais faire (12/10/2026)"], achievedLevel: "A")
    }
}

func measure(_ label: String, algorithm: IssuerKey.Algorithm, version: OpenBadgesVersion) async throws {
    if let only, !label.contains(only) { return }
    let signer = try await BadgeSigner(issuer: issuer, signingKey: try PrivateSigningKey.generate(algorithm))
    let batch = awards()
    var bytes = 0
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
        for award in batch {
            let token = version == .v2 ? try await signer.signOpenBadges2(award) : try await signer.signOpenBadges3(award)
            bytes += try PNGBaker.bake(token, into: art, version: version).count
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%@\t%d badges\t%.2f s\t%.0f badges/s\t(%d KB baked)", label, count, seconds,
                 Double(count) / seconds, bytes / 1024))
}

try await measure("OB 2.0 RS256 + PNG", algorithm: .rs256, version: .v2)
try await measure("OB 3.0 RS256 + PNG", algorithm: .rs256, version: .v3)
try await measure("OB 3.0 ES256 + PNG", algorithm: .es256, version: .v3)

/// The RSA signature alone through swift-crypto (BoringSSL, PKCS #1 v1.5, SHA-256), beside
/// `openssl speed rsa2048`: why RS256 badges are signed by the system's OpenSSL instead.
func measureRawRSA() throws {
    let label = "RS256 swift-crypto signature only"
    if let only, !label.contains(only) { return }
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let digest = SHA256.hash(data: Data("payload".utf8))
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for _ in 0..<count { _ = try key.signature(for: digest, padding: .insecurePKCS1v1_5) }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%@\t%d signatures\t%.2f s\t%.0f signatures/s", label, count, seconds, Double(count) / seconds))
}

try measureRawRSA()
