import AcquisTestSupport
import Foundation
import Testing

/// An inspector publishes a new version of a referential; the school moves its classes when
/// it chooses; nobody's progress starts again.
@Suite("Web app: a new referential version")
struct WebVersionTests {
    /// CAP-EPC 2025: the 2019 file with B1.2 renamed B1.6.
    static var cap2025: [UInt8] {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return Array(text.replacingOccurrences(of: "version=\"2019\"", with: "version=\"2025\"")
            .replacingOccurrences(of: "competency code=\"B1.2\"", with: "competency code=\"B1.6\"").utf8)
    }

    static func correspondence(_ changes: String) -> [UInt8] {
        Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <correspondence xmlns="urn:acquis:correspondence:1" referential="CAP-EPC" from="2019" to="2025">
            \(changes)
            </correspondence>
            """.utf8)
    }

    @Test("publishing a version that renames an evaluated competency asks for the correspondence, checks it line by line, then keeps every level")
    func publishWithCorrespondence() async throws {
        try await WebFixture().test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let sent = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "cap-2025.xml", Self.cap2025))
            let draft = try await client.get(try #require(sent.location))
            #expect(draft.text.contains("Continuité avec la version 2019"))
            #expect(draft.text.contains("Des élèves ont déjà été évalués sur B1.2"))
            #expect(draft.text.contains("name=\"correspondance\""))

            let without = try await client.post(sent.location! + "/publication", form: [:])
            #expect(without.status == .unprocessableContent)
            #expect(without.text.contains("n’a plus la compétence B1.2"))

            let wrong = try await client.multipart(sent.location! + "/publication", fields: [:], file: (
                "correspondance", "../../correspondance.xml", Self.correspondence("<renamed from=\"B1.2\" to=\"B9.9\"/>")))
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("correspondance.xml:3: B9.9: aucune compétence B9.9 dans la nouvelle version"))

            let binary = try await client.multipart(sent.location! + "/publication", fields: [:], file: (
                "correspondance", "image.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]))
            #expect(binary.status == .unprocessableContent)
            #expect(binary.text.contains("image.png"), "the error names the file sent")
            let empty = try await client.multipart(sent.location! + "/publication", fields: [:], file: ("correspondance", "vide.xml", []))
            #expect(empty.status == .unprocessableContent, "an empty file is no correspondence: B1.2 would still be lost")
            #expect(empty.text.contains("n’a plus la compétence B1.2"))

            let published = try await client.multipart(sent.location! + "/publication", fields: [:], file: (
                "correspondance", "correspondance.xml", Self.correspondence("<renamed from=\"B1.2\" to=\"B1.6\"/>")), tokenIn: .header)
            #expect(published.location?.hasPrefix("/inspection?publie=") == true)
        }
    }

    @Test("a class stays on its version until direction moves it; then its grid and the student's page show the new version with the earlier evidence")
    func schoolMovesAClass() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let sent = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "cap-2025.xml", Self.cap2025))
            _ = try await client.multipart(sent.location! + "/publication", fields: [:], file: (
                "correspondance", "correspondance.xml", Self.correspondence("<renamed from=\"B1.2\" to=\"B1.6\"/>")))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let grid = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            #expect(grid.text.contains("La classe travaille avec la version 2019 du référentiel"))
            #expect(grid.text.contains("Une version plus récente est publiée (2025) : la direction décide quand la classe y passe"))
            let refused = try await client.post("/classes/2CAP-EPC/version", form: ["referentiel": "CAP-EPC", "version": "2025"])
            #expect(refused.status == .forbidden)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            let grid = try await client.get("/classes/2CAP-EPC?referentiel=CAP-EPC")
            #expect(grid.text.contains("Faire passer la classe à cette version"))
            let moved = try await client.post("/classes/2CAP-EPC/version", form: ["referentiel": "CAP-EPC", "version": "2025"],
                                              tokenIn: .header)
            #expect(moved.status == .found)
            let after = try await client.get(try #require(moved.location))
            #expect(after.text.contains("La classe travaille avec la version 2025 du référentiel"))
            #expect(after.text.contains(">B1.6</a></th>"))
            #expect(!after.text.contains(">B1.2</a></th>"))
            let unknown = try await client.post("/classes/2CAP-EPC/version", form: ["referentiel": "CAP-EPC", "version": "../2031"])
            #expect(unknown.status == .unprocessableContent)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let page = try await client.get("/eleve")
            #expect(page.text.contains("CAP-EPC version 2025"))
            #expect(!page.text.contains("CAP-EPC version 2019"), "one CAP-EPC section")
            #expect(page.text.contains("(version 2019 du référentiel)"))
        }
    }
}
