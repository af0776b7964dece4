import AcquisTestSupport
import Foundation
import HTTPTypes
import Testing

/// Families from SIECLE: the school imports its legal guardians, makes one account per
/// guardian, and a guardian of two children follows each of them.
@Suite("Web app: families from SIECLE")
struct WebFamilyTests {
    /// Inès (ELEVE_ID 102, 2CAP-EPC) and Adam (300, 3A) share a mother; a contact who is not a
    /// legal guardian, and a guardian of a child of another school (999), complete the file.
    static let responsables = """
        <?xml version="1.0" encoding="ISO-8859-15"?>
        <BEE_RESPONSABLES VERSION="1.1">
          <PARAMETRES><UAJ>0579999Z</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES>
          <DONNEES>
            <PERSONNES>
              <PERSONNE PERSONNE_ID="700001"><LC_CIVILITE>MME</LC_CIVILITE><NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE><PRENOM>Hélène</PRENOM></PERSONNE>
              <PERSONNE PERSONNE_ID="700003"><NOM_DE_FAMILLE>VOISIN</NOM_DE_FAMILLE><PRENOM>Paul</PRENOM></PERSONNE>
              <PERSONNE PERSONNE_ID="700004"><LC_CIVILITE>M.</LC_CIVILITE><NOM_DE_FAMILLE>AILLEURS</NOM_DE_FAMILLE><PRENOM>Marc</PRENOM></PERSONNE>
            </PERSONNES>
            <RESPONSABLES>
              <RESPONSABLE_ELEVE><ELEVE_ID>102</ELEVE_ID><PERSONNE_ID>700001</PERSONNE_ID><NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>300</ELEVE_ID><PERSONNE_ID>700001</PERSONNE_ID><NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>102</ELEVE_ID><PERSONNE_ID>700003</PERSONNE_ID><NIVEAU_RESPONSABILITE>3</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
              <RESPONSABLE_ELEVE><ELEVE_ID>999</ELEVE_ID><PERSONNE_ID>700004</PERSONNE_ID><NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE></RESPONSABLE_ELEVE>
            </RESPONSABLES>
          </DONNEES>
        </BEE_RESPONSABLES>
        """

    @Test("guardians are previewed, imported, given accounts; a mother of two follows each child and no other")
    func guardianOfTwo() async throws {
        let fixture = try await WebFixture()
        let ines = try await fixture.studentID("9000000003C"), adam = try await fixture.studentID("9100000001A")
        let lea = try await fixture.studentID("9000000001A")
        let code = try await fixture.test { client -> String in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/eleves")
            let sent = try await client.multipart("/direction/eleves", fields: [:],
                                                  file: ("fichier", "ResponsablesAvecAdresses.xml", Array(Self.responsables.data(using: .isoLatin1)!)))
            let preview = try await client.get(try #require(sent.location))
            #expect(preview.text.contains("export SIECLE des responsables, 2 responsables légaux"), "\(preview.text)")
            #expect(preview.text.contains("1 personne qui ne sont pas responsables légaux") || preview.text.contains("1 personne qui"))
            #expect(preview.text.contains("1 responsable ajouté"))
            #expect(preview.text.contains("2 liens avec des enfants de l’établissement"))
            #expect(preview.text.contains("non importés : M. Marc AILLEURS"))
            #expect(preview.text.contains("ELEVE_ID 999"))
            let path = try #require(preview.text.firstMatch(of: /action="(\/direction\/eleves\/depots\/\d+\/confirmation)"/)?.1)
            let done = try await client.post(String(path), form: [:])
            #expect(done.location == "/direction/eleves?responsables=1")
            _ = try await client.get("/direction/comptes")
            let batch = try #require(try await client.post("/direction/comptes/familles", form: ["classe": "2CAP-EPC"]).location)
            let csv = try await client.get(batch + "/comptes.csv").text
            #expect(csv.contains("Mme Hélène LEFÈVRE;famille;Inès LEFÈVRE (2CAP-EPC), Adam MÜLLER (3A);helene.lefevre;"), "\(csv)")
            let line = try #require(csv.split(whereSeparator: \.isNewline).first { $0.contains("helene.lefevre") })
            return String(line.split(separator: ";")[4])
        }
        try await fixture.test { client -> Void in
            _ = try await client.get("/activation")
            let activated = try await client.post("/activation", form: ["identifiant": "helene.lefevre", "code": code,
                                                                         "mot_de_passe": "un-mot-de-passe-long", "confirmation": "un-mot-de-passe-long"])
            #expect(activated.location == "/eleve")
            let first = try await client.get("/eleve")
            #expect(first.text.contains("aria-label=\"Vos enfants\""))
            #expect(first.text.contains("Les progrès d") && first.text.contains("Adam"))
            let second = try await client.get("/eleve?enfant=\(ines)")
            #expect(second.text.contains("Les progrès d’Inès") || second.text.contains("Les progrès de Inès"), "\(second.text.prefix(600))")
            let notHers = try await client.get("/eleve?enfant=\(lea)")
            #expect(!notHers.text.contains("Léa"), "another child is never shown")
            #expect(try await client.get("/eleves/\(lea)/livret.pdf").status == .forbidden)
            #expect(try await client.get("/eleves/\(adam)/livret.pdf").status == .ok)
            let badges = try await client.get("/eleve/badges?enfant=\(ines)")
            #expect(badges.status == .ok && badges.text.contains("Inès"))
        }
    }
}
