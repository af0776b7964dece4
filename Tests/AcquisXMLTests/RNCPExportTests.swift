import AcquisCore
import AcquisTestSupport
@testable import AcquisXML
import Foundation
import Testing

@Suite("RNCP export")
struct RNCPExportTests {
    /// Three fiches in the shapes real exports use: HTML escaped twice with HTML entities,
    /// HTML as CDATA with nested lists, and a fiche without blocks.
    static let export = """
        <?xml version="1.0" encoding="UTF-8"?>
        <FICHES>
          <VERSION_FLUX>4.1</VERSION_FLUX>
          <FICHE>
            <ID_FICHE>34947</ID_FICHE>
            <NUMERO_FICHE>RNCP34947</NUMERO_FICHE>
            <INTITULE>CAP Equipier polyvalent du commerce</INTITULE>
            <ABREGE><CODE>CAP</CODE><LIBELLE>CAP</LIBELLE></ABREGE>
            <ACTIVITES_VISEES>&lt;p&gt;Long texte ignoré&lt;/p&gt;</ACTIVITES_VISEES>
            <BLOCS_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>RNCP34947BC01</CODE>
                <LIBELLE>Recevoir et suivre les commandes</LIBELLE>
                <LISTE_COMPETENCES>&lt;p&gt;- Participer &amp;agrave; la passation des commandes fournisseurs&lt;/p&gt;&#13;&lt;p&gt;- R&amp;eacute;ceptionner&lt;/p&gt;&lt;p&gt;- Stocker ; pr&amp;eacute;parer les commandes&lt;/p&gt;</LISTE_COMPETENCES>
                <MODALITES_EVALUATION>&lt;p&gt;CCF&lt;/p&gt;</MODALITES_EVALUATION>
              </BLOC_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>RNCP34947BC02</CODE>
                <LIBELLE>Mettre en valeur et approvisionner</LIBELLE>
                <LISTE_COMPETENCES><![CDATA[<ul><li>Approvisionner<ul><li>Mettre en rayon</li><li>Ranger</li></ul></li><li>Installer la signalétique</li></ul>]]></LISTE_COMPETENCES>
              </BLOC_COMPETENCES>
            </BLOCS_COMPETENCES>
            <DATE_DECISION>29/10/2019</DATE_DECISION>
            <DATE_EFFET>01/09/2020</DATE_EFFET>
            <DATE_FIN_ENREGISTREMENT>31/08/2025</DATE_FIN_ENREGISTREMENT>
            <ACTIF>Oui</ACTIF>
          </FICHE>
          <FICHE>
            <NUMERO_FICHE>RNCP40792</NUMERO_FICHE>
            <INTITULE>BTS Services informatiques aux organisations</INTITULE>
            <BLOCS_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>RNCP40792BC01</CODE>
                <LIBELLE>Support et mise à disposition de services informatiques</LIBELLE>
                <LISTE_COMPETENCES>* Gérer le patrimoine informatique
        o Recenser et identifier les ressources
        o Exploiter des référentiels
        * Répondre aux incidents</LISTE_COMPETENCES>
              </BLOC_COMPETENCES>
            </BLOCS_COMPETENCES>
            <DATE_DECISION>15/06/2025</DATE_DECISION>
          </FICHE>
          <FICHE>
            <NUMERO_FICHE>RNCP12345</NUMERO_FICHE>
            <INTITULE>Ancienne certification sans blocs</INTITULE>
          </FICHE>
        </FICHES>
        """

    private func read(fiches: [String] = []) throws -> ([Referential], RNCPExportReader.Summary) {
        var referentials: [Referential] = []
        let summary = try RNCPExportReader(path: Fixtures.file(Self.export), fiches: fiches).forEach {
            referentials.append($0)
        }
        return (referentials, summary)
    }

    @Test("each fiche with blocks becomes a referential; fiches without blocks are counted apart")
    func allFiches() throws {
        let (referentials, summary) = try read()
        #expect(referentials.map(\.code) == ["RNCP34947", "RNCP40792"])
        #expect(summary.fichesRead == 3)
        #expect(summary.skippedWithoutBlocks == ["RNCP12345"])
    }

    @Test("a fiche maps to a versioned diploma referential with its RNCP block codes")
    func ficheMapping() throws {
        let cap = try #require(try read(fiches: ["34947"]).0.first)
        #expect(cap.version == "2019-10-29")
        #expect(cap.validity == Validity(from: CalendarDate(iso: "2020-09-01"), until: CalendarDate(iso: "2025-08-31")))
        #expect(cap.kind == .diplome)
        #expect(cap.children.map(\.code) == ["BC01", "BC02"])
        #expect(cap.children.map { $0.externalCode(.rncp)?.value } == ["RNCP34947BC01", "RNCP34947BC02"])
    }

    @Test("HTML escaped with HTML entities is decoded twice and split into competencies")
    func escapedHTML() throws {
        let cap = try #require(try read(fiches: ["RNCP34947"]).0.first)
        #expect(cap.children[0].children.map(\.title) == [
            "Participer à la passation des commandes fournisseurs", "Réceptionner", "Stocker", "Préparer les commandes",
        ])
    }

    @Test("nested HTML lists become competencies with items")
    func nestedLists() throws {
        let cap = try #require(try read(fiches: ["RNCP34947"]).0.first)
        let block = cap.children[1]
        #expect(block.children.map(\.title) == ["Approvisionner", "Installer la signalétique"])
        #expect(block.children[0].children.map(\.title) == ["Mettre en rayon", "Ranger"])
        #expect(block.children[0].children.map(\.code) == ["BC02.C1.1", "BC02.C1.2"])
    }

    @Test("plain text lists with * and o bullets keep their two levels")
    func bulletLevels() throws {
        let bts = try #require(try read(fiches: ["RNCP40792"]).0.first)
        #expect(bts.children[0].children.map(\.title) == ["Gérer le patrimoine informatique", "Répondre aux incidents"])
        #expect(bts.children[0].children[0].children.map(\.title) == [
            "Recenser et identifier les ressources", "Exploiter des référentiels",
        ])
    }

    @Test("a selected fiche that is not in the export is an error")
    func missingFiche() throws {
        #expect(throws: InvalidInput.self) { try read(fiches: ["RNCP99999"]) }
    }

    @Test("a selected fiche without blocks is an error, not a silent no-op")
    func selectedFicheWithoutBlocks() throws {
        #expect(throws: InvalidInput.self) { try read(fiches: ["RNCP12345"]) }
    }

    @Test("a truncated export fails as a whole, naming the line")
    func truncatedExport() throws {
        let truncated = String(Self.export.prefix(Self.export.count / 2))
        do {
            _ = try RNCPExportReader(path: Fixtures.file(truncated)).forEach { _ in }
            Issue.record("a truncated export was accepted")
        } catch let error as InvalidInput {
            #expect(error.diagnostics.contains { ($0.line ?? 0) > 1 })
        }
    }

    @Test("a fiche cut short by truncation is never handed over: the truncation is what is reported, with its line")
    func truncatedFicheNotHandedOver() throws {
        // Cut inside the first fiche's second block: a store would see a fiche with one block
        // and report a version conflict instead of the truncation.
        let cut = Self.export.range(of: "<LIBELLE>Mettre en valeur")!.lowerBound
        let truncated = String(Self.export[..<cut])
        var handed: [String] = []
        let error = try #require(throws: InvalidInput.self) {
            try RNCPExportReader(path: Fixtures.file(truncated)).forEach { handed.append($0.code) }
        }
        #expect(handed.isEmpty)
        #expect(error.diagnostics.first.map { ($0.line ?? 0) >= 18 && $0.message.contains("tronqué") } == true, "\(error.diagnostics)")
    }

    @Test("an inactive fiche is left out and counted, unless it is named")
    func inactiveFiche() throws {
        let export = Self.export.replacingOccurrences(of: "<ACTIF>Oui</ACTIF>", with: "<ACTIF>Non</ACTIF>")
        var codes: [String] = []
        let summary = try RNCPExportReader(path: Fixtures.file(export)).forEach { codes.append($0.code) }
        #expect(codes == ["RNCP40792"])
        #expect(summary.skippedInactive == ["RNCP34947"])
        var named: [String] = []
        _ = try RNCPExportReader(path: Fixtures.file(export), fiches: ["34947"]).forEach { named.append($0.code) }
        #expect(named == ["RNCP34947"])
    }

    /// An export of `count` fiches of one block each, more than the reading thread hands over
    /// before it waits.
    static func export(fiches count: Int) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>" + (1...count).map { n in
            """
            <FICHE><NUMERO_FICHE>RNCP\(90_000 + n)</NUMERO_FICHE><INTITULE>Certification \(n)</INTITULE>
            <BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP\(90_000 + n)BC01</CODE><LIBELLE>Bloc \(n)</LIBELLE>
            <LISTE_COMPETENCES>- Accueillir ; - Conseiller</LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE>
            """
        }.joined(separator: "\n") + "</FICHES>"
    }

    @Test("a long export is handed over whole and in file order, read on one thread and split on another")
    func longExportInOrder() throws {
        var codes: [String] = []
        let summary = try RNCPExportReader(path: Fixtures.file(Self.export(fiches: 500))).forEach { codes.append($0.code) }
        #expect(codes == (1...500).map { "RNCP\(90_000 + $0)" })
        #expect(summary.fichesRead == 500 && summary.referentials == 500)
    }

    @Test("when the receiver of the fiches fails, its error comes back at once and reading stops")
    func receiverFails() throws {
        struct Full: Error {}
        var handed = 0
        #expect(throws: Full.self) {
            try RNCPExportReader(path: Fixtures.file(Self.export(fiches: 2_000))).forEach { _ in
                handed += 1
                if handed == 3 { throw Full() }
            }
        }
        #expect(handed == 3)
        // The same reader, run again, reads everything: nothing was left behind.
        let summary = try RNCPExportReader(path: Fixtures.file(Self.export(fiches: 2_000))).forEach { _ in }
        #expect(summary.referentials == 2_000)
    }

    @Test("a fiche without a title late in a long export stops it there, with its line, whichever thread split it")
    func lateFicheWithoutTitle() throws {
        let export = Self.export(fiches: 600).replacingOccurrences(of: "<INTITULE>Certification 500</INTITULE>", with: "")
        var handed = 0
        let error = try #require(throws: InvalidInput.self) {
            try RNCPExportReader(path: Fixtures.file(export)).forEach { _ in
                // A slow receiver: fiches wait for it, and the reading thread splits them.
                handed += 1
                if handed % 50 == 0 { Thread.sleep(forTimeInterval: 0.005) }
            }
        }
        #expect(handed == 499)
        #expect(error.diagnostics.map(\.field) == ["INTITULE"] && error.diagnostics[0].message.contains("RNCP90500"), "\(error.diagnostics)")
        #expect((error.diagnostics[0].line ?? 0) > 1_000)
    }

    @Test("a file that is not an RNCP export is refused")
    func wrongRoot() throws {
        #expect(throws: InvalidInput.self) {
            try RNCPExportReader(path: Fixtures.shippedReferentials[0]).forEach { _ in }
        }
    }
}

@Suite("Splitting RNCP competency lists")
struct CompetencyListTests {
    @Test("a bullet or a number is recognised byte by byte as it is character by character")
    func bulletsByBytes() {
        let lines = ["* Accueillir", "- Vendre", "o Conseiller", "o", "oui, vendre", "1. Analyser", "12) Proposer", "123. Trop long",
                     "a) Conclure", "ab. Deux lettres", "abc) Trois lettres", "A) Majuscule", "1.Sans espace", "1)", "1", "", "-",
                     "• Point", "◦ Second niveau", "– Tiret", "é) Accentuée", "e\u{301}) Accent combiné", "1\u{301}. Chiffre combiné",
                     "o\u{308} Tréma", "*\u{301} Astérisque combiné", "1a) Mêlé", "a1. Mêlé", "1.\u{A0}Espace insécable",
                     "z) Fin", "9) Neuf", "x. Croix", ") Rien", ". Rien", "0. Zéro", "Ⅳ. Chiffre romain", "٣. Chiffre arabe",
                     "Réaliser une vente", "R\u{301}aliser", "É) Capitale", "Zèle", "A", "+ Plus", "(a) Parenthèse", "#1. Dièse",
                     "é", "ré", "1é. Mêlé", "o\u{A0}Conseiller", "*\u{A0}Vendre"]
        for line in lines {
            let bytes = CompetencyList.stripBullet(line), characters = CompetencyList.stripBulletByCharacters(line)
            #expect(bytes.depth == characters.depth && bytes.text == characters.text, "« \(line) »")
        }
    }

    @Test("headings and introductions are not competencies")
    func headings() {
        let entries = CompetencyList.split(html: """
            <p>BLOC DE COMPETENCES N°1</p><p>Le titulaire est capable de :</p><p>- accueillir le client</p><p>- conclure la vente.</p>
            """)
        #expect(entries.map(\.title) == ["Accueillir le client", "Conclure la vente"])
    }

    @Test("an introduction followed by deeper lines becomes their competency")
    func introductionWithItems() {
        let entries = CompetencyList.split(html: "<ul><li>Vendre :<ul><li>découvrir</li><li>argumenter</li></ul></li></ul>")
        #expect(entries == [CompetencyList.Entry(title: "Vendre", items: ["Découvrir", "Argumenter"])])
    }

    @Test("line breaks, numbering and non-breaking spaces are handled")
    func breaksAndNumbers() {
        let entries = CompetencyList.split(html: "1. Analyser&nbsp;le besoin<br/>2) Proposer une offre<br>a) Conclure")
        #expect(entries.map(\.title) == ["Analyser le besoin", "Proposer une offre", "Conclure"])
    }

    @Test("an empty list yields nothing")
    func empty() {
        #expect(CompetencyList.split(html: "").isEmpty)
        #expect(CompetencyList.split(html: "<p> </p>").isEmpty)
    }
}

@Suite("SACoche referential")
struct SACocheTests {
    static let file = """
        <?xml version="1.0" encoding="UTF-8"?>
        <arbre id="SACoche">
          <domaine code="A" ref="A" nom="Vente">
            <theme nom="Accueil">
              <item nom="Saluer le client" coef="1" cart="1" lien="" socle="0">
                <socle cycle="4" composante="11"/>
              </item>
              <item ref="A1.2" nom="Identifier le besoin" coef="1" cart="1" lien="" socle="0"/>
            </theme>
          </domaine>
          <domaine code="B" nom="Gestion">
            <theme nom="Stocks"><item nom="Réceptionner" coef="1" cart="1" lien="" socle="0"/></theme>
          </domaine>
        </arbre>
        """

    @Test("domains and themes become domains, items become competencies shown as « Item »")
    func mapping() throws {
        let referential = try SACocheReferentialReader(code: "VENTE-2NDE", title: "Vente seconde")
            .read(path: Fixtures.file(Self.file))
        #expect(referential.children.map(\.code) == ["A", "B"])
        let theme = referential.children[0].children[0]
        #expect(theme.term == "Thème")
        #expect(theme.children.map(\.code) == ["A1.1", "A1.2"])
        #expect(theme.children.allSatisfy { $0.kind == .competency && $0.term == "Item" && $0.isEvaluable })
        #expect(theme.children[0].externalCodes == [ExternalCode(system: "socle-sacoche", value: "cycle4:11")])
        #expect(referential.evaluableNodes.count == 3)
    }

    @Test("a missing required attribute is reported with its line")
    func missingName() throws {
        let broken = Self.file.replacingOccurrences(of: #"<theme nom="Stocks">"#, with: "<theme>")
        do {
            _ = try SACocheReferentialReader(code: "X", title: "X").read(path: Fixtures.file(broken))
            Issue.record("a theme without name was accepted")
        } catch {
            #expect(error.diagnostics.contains { $0.line == 12 && $0.field == "theme@nom" })
        }
    }
}
