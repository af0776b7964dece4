import AcquisCore
import AcquisTestSupport
import AcquisXML
import Foundation
import Testing

@Suite("SIECLE legal guardians (ResponsablesAvecAdresses.xml)")
struct SIECLEGuardianTests {
    /// Both generations of the format in one file: NIVEAU_RESPONSABILITE since 2018, RESP_LEGAL before.
    static let file = """
        <?xml version="1.0" encoding="UTF-8"?>
        <BEE_RESPONSABLES VERSION="1.1">
          <PARAMETRES><UAJ>0579999Z</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES>
          <DONNEES>
            <PERSONNES>
              <PERSONNE PERSONNE_ID="700001"><LC_CIVILITE>MME</LC_CIVILITE><NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE><PRENOM>Hélène</PRENOM>
                <MEL>helene@example.org</MEL><TEL_PORTABLE>0600000000</TEL_PORTABLE><ADRESSE_ID>800001</ADRESSE_ID></PERSONNE>
              <PERSONNE PERSONNE_ID="700002"><LC_CIVILITE>M.</LC_CIVILITE><NOM>MÜLLER</NOM><PRENOM>Jörg</PRENOM></PERSONNE>
              <PERSONNE PERSONNE_ID="700003"><NOM_DE_FAMILLE>VOISIN</NOM_DE_FAMILLE><PRENOM>Paul</PRENOM></PERSONNE>
            </PERSONNES>
            <RESPONSABLES>
              <RESPONSABLE_ELEVE><ELEVE_ID>102</ELEVE_ID><PERSONNE_ID>700001</PERSONNE_ID><NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE><CODE_PARENTE>10</CODE_PARENTE></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>300</ELEVE_ID><PERSONNE_ID>700001</PERSONNE_ID><NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>300</ELEVE_ID><PERSONNE_ID>700002</PERSONNE_ID><RESP_LEGAL>2</RESP_LEGAL></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>102</ELEVE_ID><PERSONNE_ID>700003</PERSONNE_ID><NIVEAU_RESPONSABILITE>3</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
            </RESPONSABLES>
            <ADRESSES><ADRESSE ADRESSE_ID="800001"><LIGNE1_ADRESSE>1 rue X</LIGNE1_ADRESSE></ADRESSE></ADRESSES>
          </DONNEES>
        </BEE_RESPONSABLES>
        """

    @Test("legal guardians of either generation are kept with their children; a contact is counted apart")
    func legalGuardians() throws {
        let roster = try SIECLEGuardianReader.read(bytes: Array(Self.file.utf8), name: "ResponsablesAvecAdresses.xml")
        #expect(roster.uai == "0579999Z" && roster.schoolYear == SchoolYear(startYear: 2026))
        #expect(roster.guardians.map(\.personID) == ["700001", "700002"])
        #expect(roster.guardians[0].children == ["102", "300"])
        #expect(roster.guardians[0].displayName == "Mme Hélène LEFÈVRE")
        #expect(roster.guardians[1].displayName == "M. Jörg MÜLLER", "NOM of older files")
        #expect(roster.notLegal == 1)
    }

    @Test("a file in ISO-8859-15 keeps its accents")
    func latin9() throws {
        let latin = Self.file.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-15\"").data(using: .isoLatin1)!
        let roster = try SIECLEGuardianReader.read(bytes: Array(latin), name: "ResponsablesAvecAdresses.xml")
        #expect(roster.guardians.map(\.lastName) == ["LEFÈVRE", "MÜLLER"])
    }

    @Test("a link to a person missing from the file, and a students' export, are refused with their line")
    func refusals() throws {
        let broken = Self.file.replacingOccurrences(of: "<PERSONNE_ID>700002</PERSONNE_ID>", with: "<PERSONNE_ID>799999</PERSONNE_ID>")
        let error = try #require(throws: InvalidInput.self) {
            try SIECLEGuardianReader.read(bytes: Array(broken.utf8), name: "resp.xml")
        }
        #expect(error.diagnostics.contains { $0.line == 14 && $0.message.contains("personne 799999 absente") }, "\(error.diagnostics)")
        let students = try #require(throws: InvalidInput.self) {
            try SIECLEGuardianReader.read(bytes: Array("<?xml version=\"1.0\"?><BEE_ELEVES/>".utf8), name: "eleves.xml")
        }
        #expect(students.diagnostics.first?.message.contains("BEE_RESPONSABLES") == true)
    }
}
