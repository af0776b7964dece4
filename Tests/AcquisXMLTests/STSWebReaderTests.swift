import AcquisCore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

@Suite("STS-web teachers and services (sts_emp_UAI_YYYY.xml)")
struct STSWebReaderTests {
    /// A fictional school: a teacher of two classes and a group, a main teacher whose
    /// appointment ended, a CPE, a teacher on leave, a `local` teacher without FONCTION.
    static let file = """
        <?xml version="1.0" encoding="UTF-8"?>
        <STS_EDT>
          <PARAMETRES><UAJ CODE="0579999Z"/><ANNEE_SCOLAIRE ANNEE="2026"/></PARAMETRES>
          <NOMENCLATURES><MATIERES>
            <MATIERE CODE="061300"><CODE_GESTION>MATHS</CODE_GESTION><LIBELLE_COURT>MATHEMATIQUES</LIBELLE_COURT><LIBELLE_EDITION>Mathématiques</LIBELLE_EDITION></MATIERE>
            <MATIERE CODE="310100"><CODE_GESTION>VENTE</CODE_GESTION><LIBELLE_COURT>VENTE</LIBELLE_COURT></MATIERE>
          </MATIERES></NOMENCLATURES>
          <DONNEES>
            <INDIVIDUS>
              <INDIVIDU ID="4242" TYPE="epp"><SEXE>2</SEXE><CIVILITE>2</CIVILITE><NOM_USAGE>MARTIN</NOM_USAGE><NOM_PATRONYMIQUE>DURAND</NOM_PATRONYMIQUE><PRENOM>Claire</PRENOM><DATE_NAISSANCE>1980-01-01</DATE_NAISSANCE><FONCTION>ENS</FONCTION>
                <PROFS_PRINC><PROF_PRINC><CODE_STRUCTURE>2CAP-EPC</CODE_STRUCTURE><DATE_FIN>2027-07-04</DATE_FIN></PROF_PRINC>
                  <PROF_PRINC><CODE_STRUCTURE>1MCV</CODE_STRUCTURE><DATE_FIN>2026-10-01</DATE_FIN></PROF_PRINC></PROFS_PRINC></INDIVIDU>
              <INDIVIDU ID="4243" TYPE="epp"><CIVILITE>1</CIVILITE><NOM_USAGE>LEFÈVRE</NOM_USAGE><PRENOM>Jérôme</PRENOM><FONCTION>EDU</FONCTION></INDIVIDU>
              <INDIVIDU ID="4244" TYPE="epp"><NOM_USAGE>ABSENT</NOM_USAGE><PRENOM>Marc</PRENOM></INDIVIDU>
              <INDIVIDU ID="4245" TYPE="local"><NOM_USAGE>VACATAIRE</NOM_USAGE><PRENOM>Inès</PRENOM></INDIVIDU>
            </INDIVIDUS>
            <STRUCTURE>
              <DIVISIONS>
                <DIVISION CODE="2CAP-EPC"><LIBELLE_LONG>2de CAP EPC</LIBELLE_LONG><SERVICES>
                  <SERVICE CODE_MATIERE="061300" CODE_MOD_COURS="CG"><ENSEIGNANTS><ENSEIGNANT ID="4242" TYPE="epp"/><ENSEIGNANT ID="4244" TYPE="epp"/></ENSEIGNANTS></SERVICE>
                  <SERVICE CODE_MATIERE="310100" CODE_MOD_COURS="CG"><ENSEIGNANTS><ENSEIGNANT ID="4245" TYPE="local"/></ENSEIGNANTS></SERVICE>
                </SERVICES></DIVISION>
                <DIVISION CODE="1MCV"><SERVICES><SERVICE CODE_MATIERE="061300"><ENSEIGNANTS><ENSEIGNANT ID="4242"/></ENSEIGNANTS></SERVICE></SERVICES></DIVISION>
              </DIVISIONS>
              <GROUPES><GROUPE CODE="G-PFMP-A"><DIVISIONS_APPARTENANCE><DIVISION_APPARTENANCE CODE="2CAP-EPC"/></DIVISIONS_APPARTENANCE>
                <SERVICES><SERVICE CODE_MATIERE="999999"><ENSEIGNANTS><ENSEIGNANT ID="4242"/></ENSEIGNANTS></SERVICE></SERVICES></GROUPE></GROUPES>
            </STRUCTURE>
          </DONNEES>
        </STS_EDT>
        """

    static let today = CalendarDate(year: 2026, month: 11, day: 2)!

    @Test("teachers, their services by class and group with the subject's printed name, and current main teachers")
    func teachersAndServices() throws {
        let roster = try STSWebReader.read(bytes: Array(Self.file.utf8), name: "sts_emp_0579999Z_2026.xml", asOf: Self.today)
        #expect(roster.uai == "0579999Z" && roster.schoolYear == SchoolYear(startYear: 2026))
        #expect(roster.teachers.map(\.stsID) == ["4242", "4245"], "ENS, and local staff without FONCTION")
        #expect(roster.teachers[0].displayName == "Claire MARTIN", "NOM_USAGE before NOM_PATRONYMIQUE")
        #expect(roster.teachers[0].civility == "Mme")
        #expect(roster.services.map { "\($0.teacherID) \($0.division) \($0.subject)" }
                == ["4242 2CAP-EPC Mathématiques", "4245 2CAP-EPC VENTE", "4242 1MCV Mathématiques", "4242 G-PFMP-A 999999"])
        #expect(roster.mainTeachers == ["4242": ["2CAP-EPC"]], "the appointment in 1MCV ended on 1 October")
    }

    @Test("staff who are not teachers, and a teacher on leave, are reported with their line and why")
    func skippedStaff() throws {
        let roster = try STSWebReader.read(bytes: Array(Self.file.utf8), name: "sts.xml", asOf: Self.today)
        #expect(roster.skipped.map(\.name) == ["Jérôme LEFÈVRE", "Marc ABSENT"])
        #expect(roster.skipped[0].line == 13 && roster.skipped[0].reason.contains("CPE"))
        #expect(roster.skipped[1].reason.contains("absence de longue durée"))
        #expect(!roster.services.contains { $0.teacherID == "4244" }, "services of a teacher on leave are not theirs now")
    }

    @Test("a file in ISO-8859-15 keeps its accents")
    func latin9() throws {
        let latin = Self.file.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-15\"").data(using: .isoLatin1)!
        let roster = try STSWebReader.read(bytes: Array(latin), name: "sts.xml", asOf: Self.today)
        #expect(roster.skipped.first?.name == "Jérôme LEFÈVRE")
        #expect(roster.services.first?.subject == "Mathématiques")
    }

    @Test("a timetable tool's file, a teacher missing from INDIVIDUS, a SIECLE file: refused with their line")
    func refusals() throws {
        let timetable = Self.file.replacingOccurrences(of: "<ANNEE_SCOLAIRE ANNEE=\"2026\"/>",
                                                       with: "<ANNEE_SCOLAIRE ANNEE=\"2026\"/><APPLICATION_SOURCE>EDT</APPLICATION_SOURCE>")
        let fromTool = try #require(throws: InvalidInput.self) {
            try STSWebReader.read(bytes: Array(timetable.utf8), name: "sts.xml", asOf: Self.today)
        }
        #expect(fromTool.diagnostics.contains { $0.field == "PARAMETRES/APPLICATION_SOURCE" && $0.message.contains("pas de STS-web") })
        let dangling = Self.file.replacingOccurrences(of: "<ENSEIGNANT ID=\"4245\" TYPE=\"local\"/>", with: "<ENSEIGNANT ID=\"9999\"/>")
        let missing = try #require(throws: InvalidInput.self) {
            try STSWebReader.read(bytes: Array(dangling.utf8), name: "sts.xml", asOf: Self.today)
        }
        #expect(missing.diagnostics.contains { $0.line == 21 && $0.message.contains("enseignant 9999 absent") }, "\(missing.diagnostics)")
        let siecle = try #require(throws: InvalidInput.self) {
            try STSWebReader.read(bytes: Array("<?xml version=\"1.0\"?><BEE_ELEVES/>".utf8), name: "eleves.xml", asOf: Self.today)
        }
        #expect(siecle.diagnostics.first?.message.contains("STS_EDT") == true)
    }
}
