import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import AcquisStorageTestSupport
import AcquisTestSupport
import Foundation
import Testing
import ZIPFoundation

@Suite("A portfolio from a school of another installation is received once its key's fingerprint is confirmed")
struct PackageSignerTests {
    typealias F = AppFixture

    /// Léa's package as a school of another installation signs it: its own issuer and key.
    static func foreignPackage(_ school: F) async throws -> (package: OpenedPortfolioPackage, fingerprint: String) {
        let contents = try await school.app.portfolio.contents(of: F.lea, keys: nil, by: F.console)
        let key = try PrivateSigningKey.generate(.rs256)
        let issuer = Issuer(uai: "0571111A", name: "Lycée de l’Autre Rive", url: "https://autre-rive.example",
                            email: "ce@autre-rive.example", publicBaseURL: "https://acquis.autre-rive.example")
        let signer = try await BadgeSigner(issuer: issuer, signingKey: key)
        let entries = try await PortfolioPackage.entries(contents) { try await signer.signPortfolioPackage(manifestSHA256: $0, issuedAt: Date()) }
        let archive = try Archive(accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return (try PortfolioPackage.open(archive.data!), try #require(PackageSignature.thumbprint(of: key.key)))
    }

    @Test("asked, a wrong fingerprint trusts nothing, the right one is kept for the school; withdrawn, it is asked again", arguments: Engine.all)
    func confirmation(engine: Engine) async throws {
        let school = try await F(engine)
        let direction = school.person("direction")
        let (package, fingerprint) = try await Self.foreignPackage(school)
        let spaced = PackageSignature.spaced(fingerprint)
        await #expect(throws: PortfolioError.unconfirmedSigner(school: package.schoolName, uai: package.schoolUAI, thumbprint: spaced)) {
            try await school.app.portfolio.receive(package, by: direction)
        }
        await #expect(throws: PortfolioError.self) {
            try await school.app.portfolio.receive(package, confirming: String(repeating: "AB12 ", count: 16), by: direction)
        }
        #expect(try await school.app.portfolio.signers(by: direction).isEmpty)
        await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.receive(package, confirming: spaced, by: school.person("prof")) }

        let received = try await school.app.portfolio.receive(package, confirming: spaced.lowercased(), by: direction)
        #expect(received.verifiedBy == package.schoolName)
        let signers = try await school.app.portfolio.signers(by: direction)
        #expect(signers.map(\.thumbprint) == [fingerprint] && signers.map(\.uai) == [package.schoolUAI])
        _ = try await school.app.portfolio.receive(package, by: direction)
        #expect(try await school.app.portfolio.previous(of: F.lea, by: direction).count == 2, "the next package needs no confirmation")

        await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.withdrawTrust(signers[0].id, by: school.person("prof")) }
        try await school.app.portfolio.withdrawTrust(signers[0].id, by: direction)
        await #expect(throws: PortfolioError.self) { try await school.app.portfolio.receive(package, by: direction) }
        await #expect(throws: AccessRefusal.role) { try await school.app.portfolio.withdrawTrust(signers[0].id, by: direction) }
    }
}
