import AcquisCore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

@Suite("Correspondence format")
struct CorrespondenceFormatTests {
    static func file(_ body: String, referential: String = "CAP-EPC", from: String = "2019", to: String = "2025") -> String {
        Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <correspondence xmlns="urn:acquis:correspondence:1" referential="\(referential)" from="\(from)" to="\(to)">
            \(body)
            </correspondence>
            """, named: "correspondance.xml")
    }

    @Test("reads renamed, split, merged and removed competencies in file order")
    func readsEveryChange() throws {
        let read = try CorrespondenceReader.read(path: Self.file("""
              <note>Arrêté du 3 mars 2025.</note>
              <renamed from="B1.2" to="B1.6"/>
              <split from="B2.1"><into code="B2.1"/><into code="B2.6"/></split>
              <merged into="B3.6"><from code="B3.1"/><from code="B3.2"/></merged>
              <removed code="B3.5"/>
            """)).correspondence
        #expect(read.referentialCode == "CAP-EPC" && read.fromVersion == "2019" && read.toVersion == "2025")
        #expect(read.changes == [
            .renamed(from: "B1.2", to: "B1.6"), .split(from: "B2.1", into: ["B2.1", "B2.6"]),
            .merged(from: ["B3.1", "B3.2"], into: "B3.6"), .removed("B3.5"),
        ])
    }

    @Test("an earlier competency named twice is refused on the line of its second mention")
    func namedTwice() throws {
        let invalid = try #require(throws: InvalidInput.self) {
            try CorrespondenceReader.read(path: Self.file("""
                  <renamed from="B1.2" to="B1.6"/>
                  <removed code="B1.2"/>
                """))
        }
        #expect(invalid.diagnostics.count == 1)
        #expect(invalid.diagnostics[0].line == 4)
        #expect(invalid.diagnostics[0].message.contains("B1.2"))
    }

    @Test("a split into one competency, a missing attribute and an unknown element are refused with their lines")
    func schemaErrors() throws {
        let invalid = try #require(throws: InvalidInput.self) {
            try CorrespondenceReader.read(path: Self.file("""
                  <split from="B2.1"><into code="B2.1"/></split>
                  <renamed from="B1.2"/>
                  <moved from="B1.3" to="B2.9"/>
                """))
        }
        #expect(invalid.diagnostics.map(\.line) == [3, 4, 5])
    }

    @Test("a referential given as a correspondence is refused, not read as an empty correspondence")
    func wrongFile() throws {
        let referential = try #require(Fixtures.shippedReferentials.first)
        #expect(!CorrespondenceReader.isCorrespondence(path: referential))
        #expect(throws: InvalidInput.self) { try CorrespondenceReader.read(path: referential) }
    }

    @Test("problems found against the two versions are reported on the line naming the code")
    func diagnosticsOnLines() throws {
        let file = try CorrespondenceReader.read(path: Self.file("""
              <renamed from="B1.2" to="B1.6"/>
              <removed code="B9.9"/>
            """))
        let diagnostics = file.diagnostics(for: [ReferentialProblem(nodeCode: "B9.9", message: "inconnue"),
                                                 ReferentialProblem(message: "mauvaise version")])
        #expect(diagnostics.map(\.line) == [4, 2])
        #expect(diagnostics.map(\.field) == ["B9.9", "correspondence"])
    }

    @Test("the schema shipped with the module is the one published in Referentiels/schema")
    func schemaCopiesAgree() throws {
        for name in ["acquis-referential.xsd", "acquis-correspondence.xsd"] {
            let published = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Referentiels/schema/\(name)"))
            let shipped = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Sources/AcquisXML/Schema/\(name)"))
            #expect(published == shipped, "\(name) differs between Referentiels/schema and Sources/AcquisXML/Schema")
        }
    }
}
