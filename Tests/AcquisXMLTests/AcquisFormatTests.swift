import AcquisCore
import AcquisTestSupport
import AcquisXML
import Testing

@Suite("Acquis referential format")
struct AcquisFormatTests {
    @Test("every referential shipped in Referentiels/ validates and loads", arguments: Fixtures.shippedReferentials)
    func shippedReferentialsLoad(path: String) throws {
        let referential = try AcquisReferentialReader.read(path: path)
        #expect(referential.problems().isEmpty)
        #expect(!referential.evaluableNodes.isEmpty)
    }

    private func shipped(_ name: String) throws -> Referential {
        let path = try #require(Fixtures.shippedReferentials.first { $0.hasSuffix(name) })
        return try AcquisReferentialReader.read(path: path)
    }

    @Test("CAP Équipier polyvalent du commerce: three blocks with their RNCP codes, marked unverified")
    func capEPC() throws {
        let cap = try shipped("cap-equipier-polyvalent-commerce.xml")
        #expect(cap.externalCodes.contains(ExternalCode(system: .rncp, value: "RNCP34947")))
        #expect(cap.children.map(\.title) == [
            "Recevoir et suivre les commandes", "Mettre en valeur et approvisionner",
            "Conseiller et accompagner le client dans son parcours d’achat",
        ])
        #expect(cap.children.map { $0.externalCode(.rncp)?.value } == ["RNCP34947BC01", "RNCP34947BC02", "RNCP34947BC03"])
        #expect(cap.children.allSatisfy { $0.externalCode(.rncp)?.reliability == .unverified })
        #expect(cap.children.map(\.children.count) == [4, 5, 5])
    }

    @Test("Bac Pro MCV: blocks 1–3, 4A and 4B with their exam units, option B wording flagged")
    func bacProMCV() throws {
        let mcv = try shipped("bac-pro-metiers-commerce-vente.xml")
        #expect(mcv.children.map(\.code) == ["B1", "B2", "B3", "B4A", "B4B"])
        #expect(mcv.children.map { $0.externalCode(.examUnit)?.value } == ["U31", "U32", "U33", "U34", "U34"])
        #expect(mcv.node(code: "C2.4")?.title == "S’assurer de la satisfaction du client")
        #expect(mcv.node(code: "B4B")?.children.count == 5)
        #expect(mcv.node(code: "4B.1")?.titleReliability == .unverified)
        #expect(mcv.node(code: "B4A")?.externalCode(.cfd)?.value == "40031213")
        #expect(mcv.scaleCode == Scale.lslPro.code)
    }

    @Test("Bac Pro Métiers de l’accueil: three blocks")
    func bacProAccueil() throws {
        let accueil = try shipped("bac-pro-metiers-accueil.xml")
        #expect(accueil.children.map(\.children.count) == [6, 3, 3])
    }

    @Test("socle commun 2015: exactly the eight LSU components")
    func socle() throws {
        let socle = try shipped("socle-commun-2015.xml")
        let lsu = socle.entries.compactMap { $0.node.externalCode(.lsu)?.value }
        #expect(lsu == ["CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND"])
        #expect(socle.kind == .socle)
        #expect(socle.scaleCode == Scale.socle2015.code)
    }

    @Test("LPC palier 3: 7 compétences, 26 domaines, 98 items")
    func lpc() throws {
        let lpc = try shipped("lpc-palier-3.xml")
        #expect(lpc.children.count == 7)
        #expect(lpc.children.allSatisfy { $0.isEvaluable && $0.term == "Compétence" })
        #expect(lpc.children.map(\.children.count).reduce(0, +) == 26)
        #expect(lpc.entries.filter { $0.node.kind == .item }.count == 98)
        #expect(lpc.children.map { $0.children.flatMap(\.children).count } == [13, 16, 14, 17, 16, 11, 11])
    }

    @Test("schema errors are all reported, each with its line and field")
    func schemaErrors() throws {
        let path = Fixtures.file(Fixtures.acquisReferential(body: """
              <block code="B1">
                <title>Bloc un</title>
                <competency code="bad code"><title>Espace dans le code</title></competency>
                <competency code="C2"></competency>
                <competency code="C3" evaluable="peut-être"><title>Booléen faux</title></competency>
              </block>
            """))
        do {
            _ = try AcquisReferentialReader.read(path: path)
            Issue.record("an invalid file was accepted")
        } catch {
            let lines = error.diagnostics.compactMap(\.line)
            #expect(lines.contains(6))
            #expect(lines.contains(7))
            #expect(lines.contains(8))
            #expect(error.diagnostics.contains { $0.field == "competency@code" })
            #expect(error.diagnostics.contains { $0.field == "competency@evaluable" })
            #expect(error.diagnostics.allSatisfy { !$0.description.contains("{urn:") })
        }
    }

    @Test("a code used twice is reported at the line of its second use")
    func duplicateCodeLine() throws {
        let path = Fixtures.file(Fixtures.acquisReferential(body: """
              <competency code="C1"><title>Un</title></competency>
              <competency code="C1"><title>Deux</title></competency>
            """))
        #expect(throws: InvalidInput.self) { try AcquisReferentialReader.read(path: path) }
        do { _ = try AcquisReferentialReader.read(path: path) } catch {
            #expect(error.diagnostics.contains { $0.line == 5 && $0.message.contains("C1") })
        }
    }

    @Test("an unknown scale is reported at the root element")
    func unknownScale() throws {
        let path = Fixtures.file(Fixtures.acquisReferential(scale: "inconnue", body: """
              <competency code="C1"><title>Un</title></competency>
            """))
        do {
            _ = try AcquisReferentialReader.read(path: path)
            Issue.record("an unknown scale was accepted")
        } catch {
            #expect(error.diagnostics.map(\.line) == [2])
            #expect(error.diagnostics.first?.message.contains("échelle inconnue inconnue") == true)
        }
    }

    @Test("a referential can embed its own scale, such as the CCF grid levels")
    func embeddedScale() throws {
        let path = Fixtures.file(Fixtures.acquisReferential(scale: "ccf", body: """
              <scale code="ccf" title="Grille de CCF">
                <level code="N" teacher-label="Novice" student-label="Je découvre" color="#E69F00" marker="○" acquired="false"/>
                <level code="D" teacher-label="Débrouillé" student-label="Je progresse" color="#F0E442" marker="◐" acquired="false"/>
                <level code="A" teacher-label="Averti" student-label="Je sais faire" color="#56B4E9" marker="●" acquired="true"/>
                <level code="E" teacher-label="Expert" student-label="Je sais faire et transmettre" color="#009E73" marker="★" acquired="true"/>
                <special code="ABS" label="Absent" meaning="absent"/>
              </scale>
              <competency code="C1"><title>Un</title></competency>
            """))
        let referential = try AcquisReferentialReader.read(path: path)
        #expect(referential.scale?.levels.map(\.teacherLabel) == ["Novice", "Débrouillé", "Averti", "Expert"])
        #expect(referential.scale?.acquisitionThreshold == 2)
    }

    @Test("the format is recognised from the root element")
    func detection() throws {
        #expect(try ReferentialFormat.detect(path: Fixtures.shippedReferentials[0]) == .acquis)
        #expect(try ReferentialFormat.detect(path: Fixtures.file("<FICHES/>")) == .rncp)
        #expect(try ReferentialFormat.detect(path: Fixtures.file("<arbre id=\"SACoche\"/>")) == .sacoche)
        #expect(throws: InvalidInput.self) { try ReferentialFormat.detect(path: Fixtures.file("<html/>")) }
    }
}
