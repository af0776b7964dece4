import AcquisTestSupport
import Foundation
import Testing

/// Runs the real `acquis` binary, as users do, and checks exit codes and output.
@Suite("acquis command line")
struct CLITests {
    let acquis = AcquisBinary()

    private func shipped(_ name: String) throws -> String {
        try #require(Fixtures.shippedReferentials.first { $0.hasSuffix(name) })
    }

    @Test("a SACoche export names no referential: importing it asks for --code and --titre instead of using the file name")
    func sacocheIdentity() throws {
        let path = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <arbre id="SACoche">
              <domaine code="V" nom="Vendre"><theme nom="Accueillir"><item nom="Saluer le client"/></theme></domaine>
            </arbre>
            """, named: "vente-2nde.xml")
        let refused = try acquis("referentiel", "import", path)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("indiquez son code et son intitulé avec --code et --titre"), "\(refused.errors)")
        #expect(try acquis("referentiel", "list").output.contains("VENTE-2NDE") == false)
        let imported = try acquis("referentiel", "import", path, "--code", "VENTE-2NDE", "--titre", "Vente, seconde")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("VENTE-2NDE version 1 — Vente, seconde"))
    }

    @Test("validate accepts every shipped referential")
    func validateShipped() throws {
        for path in Fixtures.shippedReferentials {
            let run = try acquis("referentiel", "validate", path)
            #expect(run.status == 0, "\(path): \(run.errors)")
            #expect(run.output.contains("valide"))
        }
    }

    @Test("validate lists each error as file:line and exits with 1")
    func validateInvalid() throws {
        let path = Fixtures.file(Fixtures.acquisReferential(body: """
              <competency code="C 1"><title>Espace</title></competency>
            """))
        let run = try acquis("referentiel", "validate", path)
        #expect(run.status == 1)
        #expect(run.errors.contains("\(path):4:"))
        #expect(run.errors.split(separator: "\n").last?.hasPrefix("erreur : 1 fichier invalide") == true)
    }

    @Test("import, list and show a referential")
    func importListShow() throws {
        let imported = try acquis("referentiel", "import", try shipped("cap-equipier-polyvalent-commerce.xml"))
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("importé : CAP-EPC version 2019"))

        let list = try acquis("referentiel", "list")
        #expect(list.output.contains("CAP-EPC\tversion 2019"))

        let show = try acquis("referentiel", "show", "CAP-EPC")
        #expect(show.status == 0)
        #expect(show.output.contains("Bloc B1 — Recevoir et suivre les commandes (rncp RNCP34947BC01 ?, unite UP1)"))
        #expect(show.output.contains("  Compétence B1.1 — Participer à la passation des commandes fournisseurs ◆"))
    }

    @Test("importing an RNCP export keeps only the selected fiche")
    func importSelectedFiche() throws {
        let export = Fixtures.file("""
            <FICHES>
              <FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Un</INTITULE>
                <BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP1BC01</CODE><LIBELLE>Bloc</LIBELLE>
                <LISTE_COMPETENCES>- Vendre</LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE>
              <FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>Deux</INTITULE>
                <BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP2BC01</CODE><LIBELLE>Bloc</LIBELLE>
                <LISTE_COMPETENCES>- Accueillir</LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE>
            </FICHES>
            """)
        let run = try acquis("referentiel", "import", export, "--fiche", "RNCP2")
        #expect(run.status == 0, "\(run.errors)")
        let list = try acquis("referentiel", "list")
        #expect(list.output.contains("RNCP2"))
        #expect(!list.output.contains("RNCP1\t"))
    }

    @Test("errors are one line on standard error with exit code 1")
    func oneLineErrors() throws {
        let missing = try acquis("referentiel", "show", "INCONNU")
        #expect(missing.status == 1)
        #expect(missing.errors == "erreur : aucun référentiel INCONNU ; « acquis referentiel list » montre ce qui est enregistré\n")

        let unreadable = try acquis("referentiel", "import", "/nonexistent.xml")
        #expect(unreadable.status == 1)
        #expect(unreadable.errors.contains("/nonexistent.xml: impossible d’ouvrir le fichier"))
    }

    @Test("a file with an error stores nothing")
    func atomicImport() throws {
        let broken = Fixtures.file(Fixtures.acquisReferential(body: """
              <competency code="C1"><title>Un</title></competency>
              <competency code="C1"><title>Deux</title></competency>
            """))
        let run = try acquis("referentiel", "import", broken)
        #expect(run.status == 1)
        #expect(try acquis("referentiel", "list").output.contains("Aucun référentiel"))
    }
}
