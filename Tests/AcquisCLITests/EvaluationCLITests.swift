import AcquisCore
import AcquisTestSupport
import Foundation
import Testing

/// The teacher's round trip through the real binary: students in, grid out, grid filled,
/// evaluations in, report.
@Suite("acquis eleves, eval and bilan")
struct EvaluationCLITests {
    let acquis = AcquisBinary()

    private func demoSchool() throws {
        let referential = try #require(Fixtures.shippedReferentials.first { $0.hasSuffix("cap-equipier-polyvalent-commerce.xml") })
        #expect(try acquis("referentiel", "import", referential).status == 0)
        let students = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        let imported = try acquis("eleves", "import", students, "--annee", "2026")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("72 élèves lus — 72 ajoutés"))
    }

    @Test("students then their legal guardians from SIECLE: each guardian linked to children of the school only")
    func guardians() throws {
        let students = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        let guardians = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <BEE_RESPONSABLES><PARAMETRES><UAJ>0579999Z</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES>
            <PERSONNES><PERSONNE PERSONNE_ID="1"><NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE><PRENOM>Hélène</PRENOM></PERSONNE>
            <PERSONNE PERSONNE_ID="2"><NOM_DE_FAMILLE>AILLEURS</NOM_DE_FAMILLE><PRENOM>Marc</PRENOM></PERSONNE></PERSONNES>
            <RESPONSABLES><RESPONSABLE_ELEVE><ELEVE_ID>102</ELEVE_ID><PERSONNE_ID>1</PERSONNE_ID><RESP_LEGAL>1</RESP_LEGAL></RESPONSABLE_ELEVE>
            <RESPONSABLE_ELEVE><ELEVE_ID>999</ELEVE_ID><PERSONNE_ID>2</PERSONNE_ID><RESP_LEGAL>1</RESP_LEGAL></RESPONSABLE_ELEVE></RESPONSABLES>
            </DONNEES></BEE_RESPONSABLES>
            """, named: "ResponsablesAvecAdresses.xml")
        let imported = try acquis("eleves", "import", students, "--annee", "2026", "--responsables", guardians)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("2 responsables légaux lus — 1 ajoutés"), "\(imported.output)")
        #expect(imported.output.contains("non importés : Marc AILLEURS"))
        #expect(imported.output.contains("(ELEVE_ID) : 999"))
    }

    @Test("teachers and their services from STS-web, after the students; an unknown class is reported with its line")
    func teachers() throws {
        let students = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        #expect(try acquis("eleves", "import", students, "--annee", "2026").status == 0)
        let sts = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <STS_EDT><PARAMETRES><UAJ CODE="0579999Z"/><ANNEE_SCOLAIRE ANNEE="2026"/></PARAMETRES>
            <DONNEES><INDIVIDUS><INDIVIDU ID="1" TYPE="epp"><NOM_USAGE>MARTIN</NOM_USAGE><PRENOM>Claire</PRENOM><FONCTION>ENS</FONCTION></INDIVIDU></INDIVIDUS>
            <STRUCTURE><DIVISIONS><DIVISION CODE="1MCV"><SERVICES><SERVICE CODE_MATIERE="1"><ENSEIGNANTS><ENSEIGNANT ID="1"/></ENSEIGNANTS></SERVICE></SERVICES></DIVISION>
            <DIVISION CODE="2NDE-X"><SERVICES><SERVICE CODE_MATIERE="1"><ENSEIGNANTS><ENSEIGNANT ID="1"/></ENSEIGNANTS></SERVICE></SERVICES></DIVISION>
            </DIVISIONS></STRUCTURE></DONNEES></STS_EDT>
            """, named: "sts_emp_0579999Z_2026.xml")
        let imported = try acquis("enseignants", "import", sts, "--annee", "2026")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("1 enseignant lu — 1 ajouté, 0 mis à jour, 0 inchangé ; 1 service ; 0 professeur principal"), "\(imported.output)")
        #expect(imported.errors.contains(":5: classe ou groupe 2NDE-X inconnu en 2026-2027 : 1 service non importé"), "\(imported.errors)")
    }

    @Test("a grid exported for a class, filled and imported, gives each student a level with its reason")
    func gridRoundTrip() throws {
        try demoSchool()
        let grid = Fixtures.folder.appendingPathComponent("grille-\(UUID().uuidString).csv").path
        let exported = try acquis("eval", "export-grid", "--classe", "2CAP-EPC", "--referentiel", "CAP-EPC",
                                  "--competences", "B1", "--annee", "2026", "--sortie", grid)
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("12 élèves × 4 compétences"))
        let text = try String(contentsOfFile: grid, encoding: .utf8)
        let filled = text.replacingOccurrences(of: "MARTIN;Léa;;;;", with: "MARTIN;Léa;A;EC;;ABS")
        try filled.write(toFile: grid, atomically: true, encoding: .utf8)

        let imported = try acquis("eval", "import", grid, "--referentiel", "CAP-EPC", "--date", "12/11/2026",
                                  "--evaluateur", "mdupont")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("ligne 10 : 3 enregistrées"), "MARTIN is the 8th student, after the header and titles rows")
        #expect(imported.output.contains("3 évaluations enregistrées, 0 déjà présente"))

        let report = try acquis("bilan", "eleve", "9000000001A", "--referentiel", "CAP-EPC")
        #expect(report.status == 0, "\(report.errors)")
        #expect(report.output.contains("Acquis : seule observation, le 12/11/2026 en classe"))
        #expect(report.output.contains("1 compétence acquise, 2 évaluées sur 14"))
    }

    @Test("an evaluation file with errors stores nothing and names each line and column")
    func importErrors() throws {
        try demoSchool()
        let path = Fixtures.file("""
            INE;Référentiel;Compétence;Niveau;Date
            9000000001A;CAP-EPC;B1.1;A;12/11/2026
            9000000001A;CAP-EPC;B1.1;Z;12/11/2026
            9999999999Z;CAP-EPC;B1.1;A;12/11/2026
            9000000001A;CAP-EPC;B1.1;A;31/11/2026
            """, named: "evaluations.csv")
        let run = try acquis("eval", "import", path)
        #expect(run.status == 1)
        let lines = run.errors.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("\(path):3: Niveau: niveau « Z » inconnu"))
        #expect(lines[1].hasPrefix("\(path):4: INE: aucun élève"))
        #expect(lines[2].hasPrefix("\(path):5: Date: date « 31/11/2026 » illisible"))
        #expect(lines[3] == "erreur : fichier invalide, rien n’a été enregistré")
        let report = try acquis("bilan", "eleve", "9000000001A", "--referentiel", "CAP-EPC")
        #expect(report.output.contains("0 compétence acquise, 0 évaluée sur 14"))
    }

    @Test("a recorded evaluation prints its number and the new level; its correction is in its history")
    func recordAndCorrect() throws {
        try demoSchool()
        let recorded = try acquis("eval", "record", "--eleve", "9000000001A", "--referentiel", "CAP-EPC",
                                  "--competence", "B1.2", "--niveau", "EC", "--date", "2026-11-10", "--contexte", "pfmp",
                                  "--entreprise", "Boutique Dupont", "--tuteur", "Mme Weber", "--evaluateur", "Mme Weber")
        #expect(recorded.status == 0, "\(recorded.errors)")
        #expect(recorded.output.contains("évaluation n° 1 enregistrée"))
        #expect(recorded.output.contains("B1.2 : En cours d’acquisition : seule observation, le 10/11/2026 en PFMP (Boutique Dupont)"))
        #expect(try acquis("eval", "corriger", "1", "--niveau", "A", "--par", "mdupont", "--motif", "saisie").status == 0)
        let history = try acquis("eval", "historique", "1")
        #expect(history.output.contains("mdupont : niveau EC → A — saisie"))
    }

    @Test("an observation dated tomorrow or before 2000 is refused, by a command and in a file, and nothing is stored")
    func observationDates() throws {
        try demoSchool()
        let tomorrow = CalendarDate.today.adding(days: 1)
        let future = try acquis("eval", "record", "--eleve", "9000000001A", "--referentiel", "CAP-EPC", "--competence", "B1.2",
                                "--niveau", "A", "--date", tomorrow.french)
        #expect(future.status == 1)
        #expect(future.errors.contains("erreur : date d’observation « \(tomorrow.french) » à venir"), "\(future.errors)")
        let path = Fixtures.file("""
            INE;Référentiel;Compétence;Niveau;Date
            9000000001A;CAP-EPC;B1.1;A;12/11/2026
            9000000001A;CAP-EPC;B1.1;A;\(tomorrow.french)
            9000000001A;CAP-EPC;B1.2;A;12/11/1999
            """, named: "dates.csv")
        let run = try acquis("eval", "import", path)
        #expect(run.status == 1)
        #expect(run.errors.contains("\(path):3: Date: date d’observation « \(tomorrow.french) » à venir"), "\(run.errors)")
        #expect(run.errors.contains("\(path):4: Date: date d’observation « 12/11/1999 » antérieure à 2000"))
        let grid = try acquis("eval", "import", path, "--date", tomorrow.french)
        #expect(grid.status == 1)
        #expect(try acquis("bilan", "eleve", "9000000001A", "--referentiel", "CAP-EPC").output.contains("0 évaluée sur 14"))
    }

    @Test("the history of an evaluation that does not exist is an error; a correction that changes nothing says so")
    func historyAndEmptyCorrection() throws {
        try demoSchool()
        let unknown = try acquis("eval", "historique", "99999")
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("aucune évaluation n° 99999"))
        #expect(!unknown.output.contains("jamais modifiée"))
        _ = try acquis("eval", "record", "--eleve", "9000000001A", "--referentiel", "CAP-EPC", "--competence", "B1.2",
                       "--niveau", "EC", "--date", "2026-11-10")
        let nothing = try acquis("eval", "corriger", "1", "--par", "mdupont")
        #expect(nothing.status == 1)
        #expect(nothing.errors.contains("indiquez ce qui change"))
        let same = try acquis("eval", "corriger", "1", "--niveau", "EC", "--par", "mdupont")
        #expect(same.status == 0)
        #expect(same.output.contains("évaluation n° 1 inchangée"))
        #expect(try acquis("eval", "historique", "1").output.contains("jamais modifiée"))
    }

    @Test("argument errors are said in French and exit with 1, like every other error")
    func argumentErrors() throws {
        let cases: [(arguments: [String], says: String)] = [
            (["eval", "record", "--eleve", "X", "--referentiel", "R", "--competence", "C", "--niveau", "A", "--date", "31/02/2026"],
             "erreur : la valeur « 31/02/2026 » ne convient pas pour --date"),
            (["referentiel", "methode", "CAP-EPC", "--calcul", "au-hasard"], "erreur : la valeur « au-hasard » ne convient pas pour --calcul"),
            (["export", "eleve", "X", "--periode", "T7", "-o", "x.pdf"], "erreur : période « T7 » inconnue"),
            (["eval", "record"], "erreur : il manque --eleve"),
            (["eval", "--inconnue"], "erreur : option inconnue : --inconnue"),
        ]
        for test in cases {
            let run = try acquis(test.arguments)
            #expect(run.status == 1, "\(test.arguments)")
            #expect(run.errors.contains(test.says), "\(test.arguments): \(run.errors)")
            #expect(!run.errors.contains("Error:") && !run.errors.contains("Usage:"), "\(run.errors)")
        }
        let help = try acquis("eval", "--help")
        #expect(help.status == 0)
    }
}

/// A new version of a referential through the binary: refused while it would lose evidence,
/// accepted with its correspondence, adopted by a class when the school says so.
@Suite("acquis referentiel: versions and correspondences")
struct ReferentialVersionCLITests {
    let acquis = AcquisBinary()

    @Test("a renamed competency needs the correspondence; its errors name file, line and code; then the level carries over")
    func importWithCorrespondence() throws {
        let referential = try #require(Fixtures.shippedReferentials.first { $0.hasSuffix("cap-equipier-polyvalent-commerce.xml") })
        #expect(try acquis("referentiel", "import", referential).status == 0)
        let students = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        #expect(try acquis("eleves", "import", students, "--annee", "2026").status == 0)
        let recorded = try acquis("eval", "record", "--eleve", "9000000001A", "--referentiel", "CAP-EPC", "--competence", "B1.2",
                                  "--niveau", "A", "--date", "2026-10-01", "--evaluateur", "mdupont")
        #expect(recorded.status == 0, "\(recorded.errors)")

        let text = try String(contentsOfFile: referential, encoding: .utf8)
            .replacingOccurrences(of: "version=\"2019\"", with: "version=\"2025\"")
            .replacingOccurrences(of: "competency code=\"B1.2\"", with: "competency code=\"B1.6\"")
        let version2025 = Fixtures.file(text, named: "cap-2025.xml")
        let refused = try acquis("referentiel", "import", version2025)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("n’a plus la compétence B1.2 de la version 2019"))
        #expect(refused.errors.contains("--correspondance"))

        let wrong = Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <correspondence xmlns="urn:acquis:correspondence:1" referential="CAP-EPC" from="2019" to="2025">
              <renamed from="B1.2" to="B1.9"/>
            </correspondence>
            """, named: "correspondance-fausse.xml")
        let checked = try acquis("referentiel", "import", version2025, "--correspondance", wrong)
        #expect(checked.status == 1)
        #expect(checked.errors.contains("correspondance-fausse.xml:3: B1.9: aucune compétence B1.9 dans la nouvelle version (CAP-EPC 2025)"))
        #expect(try acquis("referentiel", "list").output.components(separatedBy: "CAP-EPC").count == 2, "nothing stored")

        let right = Fixtures.file(String(decoding: try Data(contentsOf: URL(fileURLWithPath: wrong)), as: UTF8.self)
            .replacingOccurrences(of: "B1.9", with: "B1.6"), named: "correspondance.xml")
        #expect(try acquis("referentiel", "validate", right).output.contains("correspondance valide (CAP-EPC version 2019 → 2025, 1 changement)"))
        let imported = try acquis("referentiel", "import", version2025, "--correspondance", right)
        #expect(imported.status == 0, "\(imported.errors)")

        let report = try acquis("bilan", "eleve", "9000000001A", "--referentiel", "CAP-EPC", "--version", "2025")
        #expect(report.output.contains("B1.6 — Réceptionner"))
        #expect(report.output.contains("Acquis : seule observation, le 01/10/2026 en classe"))

        let adopted = try acquis("referentiel", "adopter", "CAP-EPC", "--version", "2025", "--classe", "2CAP-EPC", "--annee", "2026")
        #expect(adopted.status == 0, "\(adopted.errors)")
        let grid = try acquis("eval", "export-grid", "--classe", "2CAP-EPC", "--referentiel", "CAP-EPC", "--competences", "B1",
                              "--annee", "2026")
        #expect(grid.output.contains("B1.6"), "the class's grid is in 2025 now")
    }
}
