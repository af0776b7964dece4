import AcquisCore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

/// Files that are broken or built to hurt: each gets a clear error naming the file and
/// the line, never a crash, a hang, a network access or a disclosed local file.
@Suite("Hostile and broken input")
struct HostileInputTests {
    private func diagnostics(_ contents: String) throws -> [Diagnostic] {
        try diagnostics(path: Fixtures.file(contents))
    }

    private func diagnostics(path: String) throws -> [Diagnostic] {
        do {
            _ = try AcquisReferentialReader.read(path: path)
        } catch {
            for diagnostic in error.diagnostics { #expect(diagnostic.file == path) }
            return error.diagnostics
        }
        Issue.record("the file was accepted")
        return []
    }

    @Test("an external entity pointing at a local file is refused and nothing leaks")
    func externalEntity() throws {
        let secret = Fixtures.file("SECRET-CONTENT-42", named: "secret.txt")
        let found = try diagnostics("""
            <?xml version="1.0"?>
            <!DOCTYPE referential [ <!ENTITY leak SYSTEM "file://\(secret)"> ]>
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4">
              <title>&leak;</title>
              <competency code="C1"><title>&leak;</title></competency>
            </referential>
            """)
        #expect(found.contains { $0.message.contains("entités") && ($0.line ?? 0) > 0 })
        #expect(!found.contains { $0.description.contains("SECRET-CONTENT-42") })
    }

    @Test("an entity expansion bomb is refused at once")
    func billionLaughs() throws {
        var declarations = #"<!ENTITY lol0 "lollollollollollollollollollol">"#
        for level in 1...9 {
            let previous = String(repeating: "&lol\(level - 1);", count: 10)
            declarations += "\n<!ENTITY lol\(level) \"\(previous)\">"
        }
        let clock = ContinuousClock()
        let started = clock.now
        let found = try diagnostics("""
            <?xml version="1.0"?>
            <!DOCTYPE referential [\n\(declarations)\n]>
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4">
              <title>&lol9;</title>
            </referential>
            """)
        #expect(!found.isEmpty)
        #expect(found.contains { $0.message.contains("entités") })
        // A bomb that went off would take minutes and gigabytes; refusal is immediate.
        #expect(clock.now - started < .seconds(10))
    }

    @Test("a file pointing at an external DTD is refused on the DOCTYPE's line, and the DTD is never loaded")
    func externalDTDRefused() throws {
        let dtd = Fixtures.file(#"<!ENTITY injected "INJECTED">"#, named: "evil.dtd")
        let found = try diagnostics("""
            <?xml version="1.0"?>
            <!DOCTYPE referential SYSTEM "file://\(dtd)">
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4">
              <title>Sans entité</title>
              <competency code="C1"><title>Réceptionner</title></competency>
            </referential>
            """)
        #expect(found.map(\.line) == [2])
        #expect(found.first?.field == "DOCTYPE")
        #expect(found.first?.message.contains("DTD externe") == true)
        #expect(!found.contains { $0.description.contains("INJECTED") })
    }

    @Test("an entity declared in a DOCTYPE spread over lines is reported on the DOCTYPE's first line")
    func entityLine() throws {
        let found = try diagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE referential [
              <!ENTITY xxe SYSTEM "file:///etc/passwd">
            ]>
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4">
              <title>&xxe;</title>
            </referential>
            """)
        #expect(found.map(\.line) == [2])
    }

    @Test("a binary file is said to be binary, not empty")
    func binary() throws {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
        bytes += (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let found = try diagnostics(path: Fixtures.file(bytes: bytes))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("binaire") == true)
        #expect(found.first?.message.contains("vide") == false)
        #expect(found.first?.line == 1)
        let text = try diagnostics("Code;Titre\nC1;Accueillir\n")
        #expect(text.first?.message.contains("ne commence pas par une balise") == true)
    }

    @Test("100,000 nested elements are refused in French, without libxml2's advice to programmers")
    func deepNesting() throws {
        let depth = 100_000
        let found = try diagnostics("""
            <?xml version="1.0"?>
            <referential xmlns="urn:acquis:referential:1" code="X" version="1" kind="diplome" scale="acquis-4"><title>T</title>
            \(String(repeating: "<block code=\"B\"><title>T</title>", count: depth))\(String(repeating: "</block>", count: depth))
            </referential>
            """)
        #expect(found.contains { $0.message.contains("plus de 256 niveaux") && $0.line == 3 })
        #expect(!found.contains { $0.message.contains("XML_PARSE_HUGE") })
    }

    @Test("every refusal of a schema rule begins in French; libxml2's follow-up warning is not shown as an error")
    func frenchFirst() throws {
        let found = try diagnostics(Fixtures.acquisReferential(body: """
              <block code="B1"><title>Vendre</title>
                <competency code="C1"><title>Accueillir</title></competency>
                <competency code="C1"><title>Conseiller</title></competency>
                <competency code="c 2" couleur="rouge"><title>Encaisser</title></competency>
                <competency><title>Ranger</title></competency>
                <inconnu/>
              </block>
            """))
        #expect(!found.contains { $0.message.contains("No precomputed value") })
        let english = ["Duplicate", "This element", "The attribute", "[facet", "Missing child"]
        for diagnostic in found {
            #expect(!english.contains { diagnostic.message.hasPrefix($0) }, "\(diagnostic.message)")
        }
        #expect(found.contains { $0.line == 6 && $0.message.hasPrefix("le code « C1 » est déjà employé") })
        #expect(found.contains { $0.line == 7 && $0.message.hasPrefix("la valeur « c 2 » n’a pas la forme attendue") })
        #expect(found.contains { $0.line == 7 && $0.message.hasPrefix("l’attribut « couleur » n’est pas permis") })
        #expect(found.contains { $0.line == 8 && $0.message.hasPrefix("l’attribut « code » est obligatoire") })
        #expect(found.contains { $0.line == 9 && $0.message.hasPrefix("élément inattendu") })
    }

    @Test("a truncated file names the line where it stops")
    func truncated() throws {
        let whole = Fixtures.acquisReferential(body: """
              <block code="B1">
                <title>Bloc</title>
                <competency code="C1"><title>Réceptionner</title></competency>
            """)
        let found = try diagnostics(whole)
        #expect(found.contains { ($0.line ?? 0) >= 6 })
    }

    @Test("bytes that are not UTF-8 are reported with the advice to re-save the file")
    func notUTF8() throws {
        var bytes = Array(Fixtures.acquisReferential(body: """
              <competency code="C1"><title>Réceptionner</title></competency>
            """).utf8)
        // "é" written in Latin-1 while the file claims UTF-8.
        let index = try #require(bytes.firstIndex(of: 0xC3))
        bytes.replaceSubrange(index...index + 1, with: [0xE9])
        let found = try diagnostics(path: Fixtures.file(bytes: bytes))
        #expect(found.contains { $0.message.contains("UTF-8") && $0.line == 3 })
    }

    @Test("a Latin-1 file that says so is read correctly")
    func declaredLatin1() throws {
        let text = Fixtures.acquisReferential(body: """
              <competency code="C1"><title>Réceptionner</title></competency>
            """).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
            .replacingOccurrences(of: "’", with: "'")
        let bytes = try #require(text.data(using: .isoLatin1))
        let referential = try AcquisReferentialReader.read(path: Fixtures.file(bytes: Array(bytes)))
        #expect(referential.children.first?.title == "Réceptionner")
    }

    @Test("an empty file is reported as empty")
    func empty() throws {
        let found = try diagnostics("")
        #expect(found.contains { $0.message.contains("vide") })
    }

    @Test("a file that is not XML at all is reported, not crashed on")
    func notXML() throws {
        let found = try diagnostics("%PDF-1.7\n\u{0}\u{1}binary")
        #expect(!found.isEmpty)
    }

    @Test("a gigantic attribute is refused with a clear error")
    func giganticAttribute() throws {
        let huge = String(repeating: "A", count: 12_000_000)
        let found = try diagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referential xmlns="urn:acquis:referential:1" code="\(huge)" version="1" kind="diplome" scale="acquis-4">
              <title>T</title>
            </referential>
            """)
        #expect(found.contains { $0.line == 2 })
    }

    @Test("a missing file is reported, not crashed on")
    func missingFile() throws {
        let found = try diagnostics(path: "/nonexistent/referentiel.xml")
        #expect(found.first?.message.contains("impossible d’ouvrir") == true)
    }
}
