import Foundation
import HTTPTypes
import Testing

/// An inspector publishes, from the page, every format the command line imports.
@Suite("Web app: referentials in every format")
struct WebReferentialFormatTests {
    /// Two fiches of an RNCP export, in the export's own shape (our own text).
    static let rncp = """
        <?xml version="1.0" encoding="UTF-8"?>
        <FICHES>
          <FICHE>
            <NUMERO_FICHE>RNCP90001</NUMERO_FICHE>
            <INTITULE>CAP Accueil en boutique (fiche d’essai)</INTITULE>
            <BLOCS_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>RNCP90001BC01</CODE>
                <LIBELLE>Accueillir la clientèle</LIBELLE>
                <LISTE_COMPETENCES><![CDATA[<ul><li>Saluer le client</li><li>Identifier sa demande</li></ul>]]></LISTE_COMPETENCES>
              </BLOC_COMPETENCES>
            </BLOCS_COMPETENCES>
            <DATE_DECISION>01/07/2026</DATE_DECISION>
            <ACTIF>Oui</ACTIF>
          </FICHE>
          <FICHE>
            <NUMERO_FICHE>RNCP90002</NUMERO_FICHE>
            <INTITULE>Bac pro Vente en ligne (fiche d’essai)</INTITULE>
            <BLOCS_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>RNCP90002BC01</CODE>
                <LIBELLE>Préparer une commande</LIBELLE>
                <LISTE_COMPETENCES><![CDATA[<ul><li>Vérifier le stock</li></ul>]]></LISTE_COMPETENCES>
              </BLOC_COMPETENCES>
            </BLOCS_COMPETENCES>
            <DATE_DECISION>01/07/2026</DATE_DECISION>
            <ACTIF>Oui</ACTIF>
          </FICHE>
        </FICHES>
        """

    static let sacoche = """
        <?xml version="1.0" encoding="UTF-8"?>
        <arbre id="SACoche">
          <domaine code="V" nom="Vendre"><theme nom="Accueillir"><item nom="Saluer le client"/></theme></domaine>
        </arbre>
        """

    @Test("an RNCP export: every active fiche, or the fiches named, previewed then published in one step")
    func rncpExport() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let both = try await client.multipart("/inspection/referentiels", fields: [:], file: ("fichier", "rncp.xml", Array(Self.rncp.utf8)))
            let preview = try await client.get(both.location!)
            #expect(preview.text.contains("export RNCP (France Compétences)"))
            #expect(preview.text.contains("il contient 2 référentiels"))
            #expect(preview.text.contains("Publier ces 2 référentiels"))
            #expect(preview.text.contains("Identifier sa demande"))
            _ = try await client.get("/inspection")
            let one = try await client.multipart("/inspection/referentiels", fields: ["fiches": " 90002 "],
                                                 file: ("fichier", "rncp.xml", Array(Self.rncp.utf8)))
            let single = try await client.get(one.location!)
            #expect(single.text.contains("Publier cette version"))
            #expect(!single.text.contains("Identifier sa demande"))
            let published = try await client.post(one.location! + "/publication", form: [:])
            #expect(published.location == "/inspection?publie=RNCP90002%202026%2D07%2D01")
            let list = try await client.get("/inspection")
            #expect(list.text.contains("RNCP90002") && !list.text.contains("RNCP90001"))
        }
    }

    @Test("a fiche that is not in the export is named, with nothing published")
    func missingFiche() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let sent = try await client.multipart("/inspection/referentiels", fields: ["fiches": "../../etc/passwd RNCP99999"],
                                                  file: ("fichier", "rncp.xml", Array(Self.rncp.utf8)))
            let draft = try await client.get(sent.location!)
            #expect(draft.text.contains("ne peut pas être publié"))
            #expect(draft.text.contains("RNCP99999"))
            #expect(!draft.text.contains("Publier"))
            let refused = try await client.post(sent.location! + "/publication", form: [:])
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test("a SACoche export needs its code and title: asked for on the page, then published with them")
    func sacocheExport() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-inspection")
            _ = try await client.get("/inspection")
            let bare = try await client.multipart("/inspection/referentiels", fields: [:],
                                                  file: ("fichier", "vente-2nde.xml", Array(Self.sacoche.utf8)))
            let refused = try await client.get(bare.location!)
            #expect(refused.text.contains("indiquez son code et son intitulé"))
            #expect(!refused.text.contains("--code"))
            _ = try await client.get("/inspection")
            let named = try await client.multipart("/inspection/referentiels",
                                                   fields: ["code": "VENTE-2NDE", "titre": "Vente, seconde", "version": "2026"],
                                                   file: ("fichier", "vente-2nde.xml", Array(Self.sacoche.utf8)))
            let preview = try await client.get(named.location!)
            #expect(preview.text.contains("export SACoche"))
            #expect(preview.text.contains("Saluer le client"))
            let published = try await client.post(named.location! + "/publication", form: [:])
            #expect(published.location == "/inspection?publie=VENTE%2D2NDE%202026")
            let tree = try await client.get("/referentiels/VENTE-2NDE/2026")
            #expect(tree.text.contains("Vente, seconde"))
        }
    }

    @Test("a published tree shows a node's external codes only when it has some: never « (nil) »")
    func treeWithoutCodes() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            let tree = try await client.get("/referentiels/CAP-EPC/2019")
            #expect(tree.text.contains("(rncp RNCP34947BC01"))
            #expect(!tree.text.contains("nil"))
            #expect(!tree.text.contains("()"))
        }
    }
}
