import AcquisCore
import AcquisTestSupport
import Foundation
import HTTPTypes
import Testing

/// Teachers from STS-web: the school's team imports who teaches what, makes their accounts
/// in one step, and a teacher who activates theirs finds their classes.
@Suite("Web app: teachers from STS-web")
struct WebTeacherImportTests {
    /// Claire MARTIN teaches 2CAP-EPC and leads it; Inès VACATAIRE (local staff) teaches a
    /// class the school does not have; a CPE and a teacher on leave are left out.
    static var sts: String {
        let year = SchoolYear(containing: .today).startYear
        return """
            <?xml version="1.0" encoding="ISO-8859-15"?>
            <STS_EDT>
              <PARAMETRES><UAJ CODE="0579999Z"/><ANNEE_SCOLAIRE ANNEE="\(year)"/></PARAMETRES>
              <NOMENCLATURES><MATIERES>
                <MATIERE CODE="061300"><CODE_GESTION>MATHS</CODE_GESTION><LIBELLE_EDITION>Mathématiques</LIBELLE_EDITION></MATIERE>
                <MATIERE CODE="310100"><CODE_GESTION>VENTE</CODE_GESTION><LIBELLE_EDITION>Vente et accueil</LIBELLE_EDITION></MATIERE>
              </MATIERES></NOMENCLATURES>
              <DONNEES>
                <INDIVIDUS>
                  <INDIVIDU ID="4242" TYPE="epp"><CIVILITE>2</CIVILITE><NOM_USAGE>MARTIN</NOM_USAGE><PRENOM>Claire</PRENOM><FONCTION>ENS</FONCTION>
                    <PROFS_PRINC><PROF_PRINC><CODE_STRUCTURE>2CAP-EPC</CODE_STRUCTURE><DATE_FIN>\(year + 1)-07-04</DATE_FIN></PROF_PRINC></PROFS_PRINC></INDIVIDU>
                  <INDIVIDU ID="4243" TYPE="epp"><NOM_USAGE>LEFÈVRE</NOM_USAGE><PRENOM>Jérôme</PRENOM><FONCTION>EDU</FONCTION></INDIVIDU>
                  <INDIVIDU ID="4244" TYPE="epp"><NOM_USAGE>ABSENT</NOM_USAGE><PRENOM>Marc</PRENOM></INDIVIDU>
                  <INDIVIDU ID="4245" TYPE="local"><NOM_USAGE>VACATAIRE</NOM_USAGE><PRENOM>Inès</PRENOM></INDIVIDU>
                </INDIVIDUS>
                <STRUCTURE>
                  <DIVISIONS>
                    <DIVISION CODE="2CAP-EPC"><SERVICES>
                      <SERVICE CODE_MATIERE="061300"><ENSEIGNANTS><ENSEIGNANT ID="4242"/><ENSEIGNANT ID="4244"/></ENSEIGNANTS></SERVICE>
                      <SERVICE CODE_MATIERE="310100"><ENSEIGNANTS><ENSEIGNANT ID="4242"/></ENSEIGNANTS></SERVICE>
                    </SERVICES></DIVISION>
                    <DIVISION CODE="TERM-INCONNUE"><SERVICES><SERVICE CODE_MATIERE="310100"><ENSEIGNANTS><ENSEIGNANT ID="4245"/></ENSEIGNANTS></SERVICE></SERVICES></DIVISION>
                  </DIVISIONS>
                  <GROUPES><GROUPE CODE="G-PFMP-A"><SERVICES><SERVICE CODE_MATIERE="310100"><ENSEIGNANTS><ENSEIGNANT ID="4242"/></ENSEIGNANTS></SERVICE></SERVICES></GROUPE></GROUPES>
                </STRUCTURE>
              </DONNEES>
            </STS_EDT>
            """
    }

    static var file: [UInt8] { Array(sts.data(using: .isoLatin1)!) }

    @Test("the preview says who is added, which class is unknown, who is left out and why; confirming stores teachers and services")
    func previewAndImport() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/enseignants")
            let sent = try await client.multipart("/direction/enseignants", fields: [:],
                                                  file: ("fichier", "sts_emp_0579999Z.zip", try WebRosterTests.zipped(["sts_emp_0579999Z.xml": Self.file])))
            let preview = try await client.get(try #require(sent.location))
            #expect(preview.text.contains("export STS-web"), "\(preview.text)")
            #expect(preview.text.contains("2 enseignants ajoutés"))
            #expect(preview.text.contains("1 professeur principal"))
            #expect(preview.text.contains("TERM-INCONNUE") && preview.text.contains("1 service non importé"))
            #expect(preview.text.contains("Inès VACATAIRE") && preview.text.contains("aucun service dans une classe"))
            #expect(preview.text.contains("Jérôme LEFÈVRE") && preview.text.contains("personnel d’éducation (CPE)"))
            #expect(preview.text.contains("Marc ABSENT") && preview.text.contains("absence de longue durée"))
            let before = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM teacher WHERE stsId IS NOT NULL") }
            #expect(before == 0, "a preview stores nothing")
            let path = try #require(preview.text.firstMatch(of: /action="(\/direction\/eleves\/depots\/\d+\/confirmation)"/)?.1)
            let done = try await client.post(String(path), form: [:])
            #expect(done.location == "/direction/enseignants?importe=2")
            let list = try await client.get("/direction/enseignants")
            #expect(list.text.contains("Claire MARTIN") && list.text.contains("claire.martin"))
            #expect(list.text.contains("2CAP-EPC (Mathématiques, Vente et accueil) ; G-PFMP-A (Vente et accueil)"), "\(list.text)")
            #expect(list.text.contains("pas encore"))
        }
    }

    @Test("importing the same file again changes nothing; a teacher added by hand is left alone")
    func reimport() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/enseignants")
            for round in 1...2 {
                let sent = try await client.multipart("/direction/enseignants", fields: [:], file: ("fichier", "sts.xml", Self.file))
                let preview = try await client.get(try #require(sent.location))
                if round == 2 { #expect(preview.text.contains("2 enseignants inchangés"), "\(preview.text)") }
                let path = try #require(preview.text.firstMatch(of: /action="(\/direction\/eleves\/depots\/\d+\/confirmation)"/)?.1)
                _ = try await client.post(String(path), form: [:])
            }
        }
        let teaching = try await fixture.database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT t.login || ' ' || d.code FROM teaching g JOIN teacher t ON t.id = g.teacherId JOIN division d ON d.id = g.divisionId
                WHERE t.login IN ('claire.martin', 't-lycee') ORDER BY 1
                """)
        }
        #expect(teaching == ["claire.martin 2CAP-EPC", "claire.martin G-PFMP-A", "t-lycee 2CAP-EPC"])
    }

    @Test("teachers' accounts are made in one step with their letters; a teacher activates theirs and finds their classes")
    func accountsAndActivation() async throws {
        let fixture = try await WebFixture()
        let code = try await fixture.test { client -> String in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/enseignants")
            let sent = try await client.multipart("/direction/enseignants", fields: [:], file: ("fichier", "sts.xml", Self.file))
            let preview = try await client.get(try #require(sent.location))
            let path = try #require(preview.text.firstMatch(of: /action="(\/direction\/eleves\/depots\/\d+\/confirmation)"/)?.1)
            _ = try await client.post(String(path), form: [:])
            let accounts = try await client.get("/direction/comptes")
            #expect(accounts.text.contains("2 enseignants de la page"), "\(accounts.text)")
            let batch = try #require(try await client.post("/direction/comptes/enseignants/manquants", form: [:]).location)
            let csv = try await client.get(batch + "/comptes.csv").text
            #expect(csv.contains("Claire MARTIN;équipe pédagogique;2CAP-EPC, G-PFMP-A;claire.martin;"), "\(csv)")
            #expect(csv.contains("Inès VACATAIRE;"))
            let again = try await client.get("/direction/comptes")
            #expect(!again.text.contains("de la page <a href=\"/direction/enseignants\">Enseignants</a> sans compte"), "nobody left without an account")
            let line = try #require(csv.split(whereSeparator: \.isNewline).first { $0.contains("claire.martin") })
            return String(line.split(separator: ";")[4])
        }
        try await fixture.test { client -> Void in
            _ = try await client.get("/activation")
            let activated = try await client.post("/activation", form: ["identifiant": "claire.martin", "code": code,
                                                                         "mot_de_passe": "un-mot-de-passe-long", "confirmation": "un-mot-de-passe-long"])
            #expect(activated.location == "/enseignant")
            let home = try await client.get("/enseignant")
            #expect(home.text.contains("2CAP-EPC") && home.text.contains("G-PFMP-A"))
            #expect(try await client.get("/classes/2CAP-EPC").status == .ok)
            #expect(try await client.get("/classes/3A").status == .forbidden)
        }
    }

    @Test("only the school's team imports teachers or lists them")
    func roles() async throws {
        let fixture = try await WebFixture()
        for login in ["t-lycee", "t-lea", "t-famille-lea", "t-inspection"] {
            try await fixture.test { client -> Void in
                _ = try await client.signIn(login)
                #expect(try await client.get("/direction/enseignants").status == .forbidden, "\(login)")
                _ = try await client.get("/eleve")
                let sent = try await client.multipart("/direction/enseignants", fields: [:], file: ("fichier", "sts.xml", Self.file))
                #expect(sent.status == .forbidden, "\(login) POST")
                #expect(try await client.post("/direction/comptes/enseignants/manquants", form: [:]).status == .forbidden, "\(login)")
            }
        }
    }

    @Test("through the API: a file is previewed then confirmed; a broken, binary or empty one is refused with its problems and stores nothing")
    func api() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            let session = try await client.api("/api/v1/session", method: .post,
                                               json: #"{"identifiant": "t-direction", "motDePasse": "\#(WebFixture.password)"}"#)
            #expect(session.status == .ok)
            let broken = Self.sts.replacingOccurrences(of: "<ENSEIGNANT ID=\"4245\"/>", with: "<ENSEIGNANT ID=\"77\"/>")
            let refused = try await client.api("/api/v1/imports?nom=../../etc/sts.xml", method: .post,
                                               body: Array(broken.data(using: .isoLatin1)!), type: "application/xml")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("enseignant 77 absent") && refused.text.contains("\"ligne\":22"), "\(refused.text)")
            let garbage = try await client.api("/api/v1/imports", method: .post, body: [0x3C, 0x00, 0xFF, 0xFE, 0x01], type: "application/xml")
            #expect(garbage.status == .unprocessableContent, "\(garbage.text)")
            let empty = try await client.api("/api/v1/imports", method: .post, body: [], type: "application/xml")
            #expect(empty.status == .badRequest)
            let staged = try await client.api("/api/v1/imports?nom=sts.xml", method: .post, body: Self.file, type: "application/xml")
            #expect(staged.status == .created)
            #expect(staged.text.contains("\"nature\":\"enseignants\"") && staged.text.contains("\"ajoutes\":2"), "\(staged.text)")
            #expect(staged.text.contains("TERM-INCONNUE"))
            let id = try #require(staged.text.firstMatch(of: /"id":(\d+)/)?.1)
            let done = try await client.api("/api/v1/imports/\(id)/confirmation", method: .post)
            #expect(done.status == .ok && done.text.contains("\"ajoutes\":2"), "\(done.text)")
            #expect(try await client.api("/api/v1/imports/\(id)/confirmation", method: .post).status == .notFound, "confirmed once")
            let staff = try await client.api("/api/v1/enseignants")
            #expect(staff.text.contains("\"identifiant\":\"claire.martin\"") && staff.text.contains("\"professeurPrincipal\":[\"2CAP-EPC\"]"))
        }
        let stored = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM teacher WHERE stsId IS NOT NULL") }
        #expect(stored == 2, "only the confirmed file was stored")
    }
}
