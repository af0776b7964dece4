import AcquisCore
import AcquisCSV
import AcquisTestSupport
import Testing

@Suite("Student and evaluation CSV files")
struct SchoolFileTests {
    @Test("a student list reads INE, names, birth date, class and groups; extra columns are ignored")
    func students() throws {
        let path = Fixtures.file("""
            INE;Nom;Prénom;Date de naissance;Classe;Groupes;Téléphone
            9000000001A;MARTIN;Léa;03/04/2009;2CAP-EPC;G1, G2;0600000000
            9000000002B;Benali;Yanis;;2CAP-EPC;;
            """, named: "eleves.csv")
        let roster = try StudentCSV().read(path: path)
        #expect(roster.students.count == 2)
        #expect(roster.students[0] == Student(ine: "9000000001A", lastName: "MARTIN", firstName: "Léa",
                                              birthDate: CalendarDate(year: 2009, month: 4, day: 3), division: "2CAP-EPC",
                                              groups: ["G1", "G2"]))
        #expect(roster.students[1].birthDate == nil && roster.students[1].groups.isEmpty)
    }

    @Test("every bad row is reported with its line and column, and nothing is returned")
    func badStudents() throws {
        let path = Fixtures.file("""
            INE;Nom;Prénom;Date de naissance
            9000000001A;MARTIN;Léa;03/04/2009
            123;;Yanis;31/02/2009
            9000000001A;MARTIN;Léa;
            """, named: "eleves.csv")
        let error = try #require(throws: InvalidInput.self) { try StudentCSV().read(path: path) }
        let lines = error.diagnostics.map { "\($0.line ?? 0) \($0.field ?? "")" }
        #expect(lines == ["3 INE", "3 Nom", "3 Date de naissance", "4 INE"])
        #expect(error.diagnostics.last?.message == "INE « 9000000001A » déjà donné ligne 2 : deux élèves ne peuvent pas le partager")
    }

    @Test("two students sharing an INE or a school id are refused, naming both lines, instead of being merged")
    func sharedIdentifiers() throws {
        let path = Fixtures.file("""
            INE;Identifiant;Nom;Prénom
            9000000001A;101;MARTIN;Léa
            9000000002B;101;BENALI;Yanis
            9000000001A;103;DIALLO;Aya
            """, named: "doublons.csv")
        let error = try #require(throws: InvalidInput.self) { try StudentCSV().read(path: path) }
        #expect(error.diagnostics.map { "\($0.line ?? 0) \($0.field ?? "")" } == ["3 Identifiant", "4 INE"])
        #expect(error.diagnostics[0].message == "identifiant « 101 » déjà donné ligne 2 : deux élèves ne peuvent pas le partager")
    }

    @Test("a file of another shape is refused on its header")
    func wrongShape() throws {
        let path = Fixtures.file("Produit;Prix\nPain;1\n", named: "autre.csv")
        let error = try #require(throws: InvalidInput.self) { try StudentCSV().read(path: path) }
        #expect(error.diagnostics.count == 1)
        #expect(error.description.contains("autre.csv:1"))
        #expect(error.description.contains("en-tête attendu"))
    }

    private func entries(_ text: String, defaults: EvaluationDefaults = EvaluationDefaults()) throws
        -> [(line: Int, field: String, entry: EvaluationEntry)] {
        var result: [(Int, String, EvaluationEntry)] = []
        try EvaluationCSV(defaults: defaults).forEachRow(path: Fixtures.file(text, named: "evaluations.csv")) { row, _ in
            result.append((row.line, row.field, row.entry))
        }
        return result
    }

    @Test("one evaluation per row, with PFMP company and tutor, French or ISO dates")
    func longFormat() throws {
        let read = try entries("""
            INE;Référentiel;Compétence;Niveau;Date;Contexte;Entreprise;Tuteur;Évaluateur;Commentaire
            9000000001A;CAP-EPC;B1.1;A;12/03/2026;pfmp;Boutique Dupont;Mme Weber;Mme Weber;Bel accueil
            9000000001A;CAP-EPC;B1.2;EC;2026-03-13;;;;;
            """)
        #expect(read.count == 2)
        #expect(read[0].entry == EvaluationEntry(
            student: .ine("9000000001A"), referentialCode: "CAP-EPC", competencyCode: "B1.1", code: "A",
            observedOn: CalendarDate(year: 2026, month: 3, day: 12)!, context: .pfmp(company: "Boutique Dupont", tutor: "Mme Weber"),
            evaluator: "Mme Weber", comment: "Bel accueil"))
        #expect(read[1].entry.context == .classe)
        #expect(read[1].entry.observedOn == CalendarDate(year: 2026, month: 3, day: 13))
    }

    @Test("a filled grid gives one evaluation per non-empty cell; the titles row is skipped")
    func grid() throws {
        let day = CalendarDate(year: 2026, month: 3, day: 12)!
        let read = try entries("""
            INE;Nom;Prénom;B1.1;B1.2
            # intitulés;;;Passer commande;Réceptionner
            9000000001A;MARTIN;Léa;A;
            9000000002B;BENALI;Yanis;ec;ABS
            """, defaults: EvaluationDefaults(referentialCode: "CAP-EPC", observedOn: day, evaluator: "mdupont"))
        #expect(read.map { "\($0.line) \($0.field) \($0.entry.code)" } == ["3 B1.1 A", "4 B1.1 ec", "4 B1.2 ABS"])
        #expect(read.allSatisfy { $0.entry.observedOn == day && $0.entry.evaluator == "mdupont" && $0.entry.referentialCode == "CAP-EPC" })
    }

    @Test("a grid without a referential or a day says what to add")
    func gridNeedsDefaults() throws {
        let error = try #require(throws: InvalidInput.self) { try entries("INE;Nom;Prénom;B1.1\n9000000001A;M;L;A\n") }
        #expect(error.description.contains("--referentiel"))
        #expect(error.description.contains("--date"))
    }

    @Test("a written grid reads back with its students and competencies, and an empty grid records nothing")
    func gridRoundTrip() throws {
        let students = [Student(ine: "9000000001A", lastName: "MARTIN", firstName: "Léa"),
                        Student(localID: "105", lastName: "HADDAD", firstName: "Adam")]
        let text = GridCSV().write(students: students, competencies: [.init(code: "B1.1", title: "Passer; commande"),
                                                                      .init(code: "B1.2", title: "Réceptionner")])
        let defaults = EvaluationDefaults(referentialCode: "CAP-EPC", observedOn: CalendarDate(year: 2026, month: 3, day: 12))
        #expect(try entries(text, defaults: defaults).isEmpty)
        let filled = text.replacingOccurrences(of: "MARTIN;Léa;;", with: "MARTIN;Léa;A;")
            .replacingOccurrences(of: "HADDAD;Adam;;", with: "HADDAD;Adam;;EC")
        let read = try entries(filled, defaults: defaults)
        #expect(read.map(\.entry.student) == [.ine("9000000001A"), .localID("105")])
        #expect(read.map(\.field) == ["B1.1", "B1.2"])
    }
}
