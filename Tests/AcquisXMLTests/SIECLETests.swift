import AcquisCore
import AcquisTestSupport
import AcquisXML
import Testing

@Suite("SIECLE student export")
struct SIECLETests {
    private func export(_ students: String, structures: String = "", parameters: String? = nil) -> String {
        Fixtures.file("""
            <?xml version="1.0" encoding="UTF-8"?>
            <BEE_ELEVES VERSION="3.1">
              \(parameters ?? "<PARAMETRES><UAJ>0579999Z</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES>")
              <DONNEES>
                <ELEVES>\(students)</ELEVES>
                <STRUCTURES>\(structures)</STRUCTURES>
              </DONNEES>
            </BEE_ELEVES>
            """, named: "ElevesSansAdresses.xml")
    }

    @Test("the demo school's export reads 72 students (lycée and collège), each in a class, some in a group")
    func demoSchool() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Samples/ElevesSansAdresses.xml").path
        let roster = try SIECLEStudentReader.read(path: path)
        #expect(roster.uai == "0579999Z")
        #expect(roster.schoolYear == SchoolYear(startYear: 2026))
        #expect(roster.students.count == 72)
        #expect(roster.students.allSatisfy { $0.division != nil && $0.ine.map(Student.isPlausibleINE) == true })
        #expect(roster.students[0].groups == ["G-PFMP-A"])
    }

    @Test("INE, family name, first name, birth date; older files name the family NOM; D is the class, G a group")
    func fields() throws {
        let path = export("""
            <ELEVE ELEVE_ID="1"><ID_NATIONAL>9000000001a</ID_NATIONAL><NOM_DE_FAMILLE>MARTIN</NOM_DE_FAMILLE>
              <NOM_USAGE>AUTRE</NOM_USAGE><PRENOM>Léa</PRENOM><DATE_NAISS>03/04/2009</DATE_NAISS></ELEVE>
            <ELEVE ELEVE_ID="2"><NOM>BENALI</NOM><PRENOM>Yanis</PRENOM><DATE_SORTIE>15/10/2026</DATE_SORTIE></ELEVE>
            """, structures: """
            <STRUCTURES_ELEVE ELEVE_ID="1">
              <STRUCTURE><CODE_STRUCTURE>2CAP</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>
              <STRUCTURE><CODE_STRUCTURE>G1</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>
            </STRUCTURES_ELEVE>
            """)
        let students = try SIECLEStudentReader.read(path: path).students
        #expect(students[0] == Student(ine: "9000000001A", localID: "1", lastName: "MARTIN", firstName: "Léa",
                                       birthDate: CalendarDate(year: 2009, month: 4, day: 3), division: "2CAP", groups: ["G1"]))
        #expect(students[1].lastName == "BENALI" && students[1].ine == nil && students[1].division == nil)
        #expect(students[1].leftOn == CalendarDate(year: 2026, month: 10, day: 15))
    }

    @Test("a student in two classes of the same year is refused, naming both classes and the line: one would silently replace the other")
    func twoClasses() throws {
        let path = export("""
            <ELEVE ELEVE_ID="1"><ID_NATIONAL>9000000001A</ID_NATIONAL><NOM_DE_FAMILLE>MARTIN</NOM_DE_FAMILLE><PRENOM>Léa</PRENOM></ELEVE>
            """, structures: """
            <STRUCTURES_ELEVE ELEVE_ID="1">
              <STRUCTURE><CODE_STRUCTURE>2CAP</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>
              <STRUCTURE><CODE_STRUCTURE>G1</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>
              <STRUCTURE><CODE_STRUCTURE>1MCV</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>
            </STRUCTURES_ELEVE>
            """)
        let error = try #require(throws: InvalidInput.self) { try SIECLEStudentReader.read(path: path) }
        #expect(error.diagnostics.map(\.message) == ["MARTIN Léa (élève 1) est dans deux classes, 2CAP et 1MCV : corrigez-le dans SIECLE, rien n’a été importé"])
        #expect(error.diagnostics.first?.line == 9, "the line of the second class")
    }

    @Test("two students with one INE are refused, naming both lines: they would be merged and swapped at each import")
    func sharedINE() throws {
        let path = export("""
            <ELEVE ELEVE_ID="1"><ID_NATIONAL>9000000001A</ID_NATIONAL><NOM_DE_FAMILLE>MARTIN</NOM_DE_FAMILLE><PRENOM>Léa</PRENOM></ELEVE>
            <ELEVE ELEVE_ID="2"><ID_NATIONAL>9000000001A</ID_NATIONAL><NOM_DE_FAMILLE>BENALI</NOM_DE_FAMILLE><PRENOM>Yanis</PRENOM></ELEVE>
            """)
        let error = try #require(throws: InvalidInput.self) { try SIECLEStudentReader.read(path: path) }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.line == 6)
        #expect(error.diagnostics.first?.message.hasPrefix("INE 9000000001A déjà donné ligne 5 à un autre élève") == true)
    }

    @Test("a file of another kind is refused on its root, with its line")
    func wrongRoot() throws {
        let path = Fixtures.file("<?xml version=\"1.0\"?>\n<STS_EDT><PARAMETRES/></STS_EDT>", named: "sts.xml")
        let error = try #require(throws: InvalidInput.self) { try SIECLEStudentReader.read(path: path) }
        #expect(error.description.contains("sts.xml:2"))
        #expect(error.description.contains("BEE_ELEVES"))
    }

    @Test("every problem is reported: bad INE, missing name, unreadable date, missing UAI")
    func problems() throws {
        let path = export("""
            <ELEVE ELEVE_ID="1"><ID_NATIONAL>123</ID_NATIONAL><NOM_DE_FAMILLE>M</NOM_DE_FAMILLE><PRENOM>L</PRENOM></ELEVE>
            <ELEVE ELEVE_ID="2"><PRENOM>Y</PRENOM><DATE_NAISS>2009-04-03</DATE_NAISS></ELEVE>
            """, parameters: "<PARAMETRES><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES>")
        let error = try #require(throws: InvalidInput.self) { try SIECLEStudentReader.read(path: path) }
        let fields = error.diagnostics.compactMap(\.field)
        #expect(fields == ["ID_NATIONAL", "DATE_NAISS", "ELEVE/NOM_DE_FAMILLE", "PARAMETRES/UAJ"])
        #expect(error.diagnostics.allSatisfy { ($0.line ?? 0) > 0 })
    }
}
