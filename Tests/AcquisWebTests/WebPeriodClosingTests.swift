import AcquisCore
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The head teacher closes the class's period: its bilans become final. Direction reopens it,
/// saying why; both stay in the trace.
@Suite("Web app: closing and reopening a class's period")
struct WebPeriodClosingTests {
    /// Makes t-lycee the main teacher of 2CAP-EPC, as STS-web's PROF_PRINC would.
    static func makeMainTeacher(_ fixture: WebFixture) async throws {
        try await fixture.database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO mainTeacher (divisionId, teacherId)
                SELECT d.id, t.id FROM division d, teacher t WHERE d.code = '2CAP-EPC' AND d.schoolYear = ? AND t.login = 't-lycee'
                """, arguments: [SchoolYear(containing: .today).startYear])
        }
    }

    @Test("a teacher of the class who is not its main teacher sees where bilans stand but cannot close")
    func notMainTeacher() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/classes/2CAP-EPC/periode?periode=T1")
            #expect(page.status == .ok && page.text.contains("Où en est le bilan de chaque élève"))
            #expect(!page.text.contains("Clore le"))
            let refused = try await client.post("/classes/2CAP-EPC/periode/cloture?periode=T1", form: [:])
            #expect(refused.status == .unprocessableContent && refused.text.contains("seul le professeur principal"))
            #expect(try await client.get("/classes/3A/periode").status == .forbidden)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            #expect(try await client.get("/classes/2CAP-EPC/periode").status == .forbidden)
        }
    }

    @Test("closed by the main teacher, the bilans are final for the student and the team; direction reopens with a reason, kept")
    func closeAndReopen() async throws {
        let fixture = try await WebFixture()
        try await Self.makeMainTeacher(fixture)
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/classes/2CAP-EPC/periode")
            #expect(page.text.contains("Clore le"), "\(page.text)")
            let closed = try await client.post("/classes/2CAP-EPC/periode/cloture", form: [:])
            #expect(closed.status == .found)
            let after = try await client.get(try #require(closed.location))
            #expect(after.text.contains("Période close") && after.text.contains("Close le") && after.text.contains("par t-lycee"))
            #expect(!after.text.contains("Rouvrir le"), "only direction reopens")
            #expect(try await client.post("/classes/2CAP-EPC/periode/cloture", form: [:]).status == .unprocessableContent, "once")
            #expect(try await client.post("/classes/2CAP-EPC/periode/reouverture", form: ["raison": "oubli"]).status == .forbidden)
            let synthesis = try await client.post("/eleves/\(lea)/bilan", form: ["synthese": "Changer après coup"])
            #expect(synthesis.status == .unprocessableContent && synthesis.text.contains("la période est close pour la classe 2CAP-EPC"))
            #expect(try await client.get("/eleves/\(lea)").text.contains("le bilan est définitif"))
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            let space = try await client.get("/eleve")
            #expect(space.text.contains("Ce bilan est définitif") && !space.text.contains("Enregistrer mon bilan"))
            let words = try await client.post("/eleve/bilan", form: ["fier": "Après coup", "travailler": ""])
            #expect(words.status == .unprocessableContent)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/classes/2CAP-EPC/periode")
            let noReason = try await client.post("/classes/2CAP-EPC/periode/reouverture", form: ["raison": "  "])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("indiquez pourquoi"))
            let reopened = try await client.post("/classes/2CAP-EPC/periode/reouverture", form: ["raison": "Synthèse de Léa à compléter"])
            let page = try await client.get(try #require(reopened.location))
            #expect(page.text.contains("Période rouverte") && page.text.contains("Rouverte le") && page.text.contains("« Synthèse de Léa à compléter »"))
            #expect(page.text.contains("Close le"), "the closing stays in the trace")
            #expect(page.text.contains("Clore le"), "direction may close it again")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            _ = try await client.get("/eleve")
            #expect(try await client.post("/eleve/bilan", form: ["fier": "Après la réouverture", "travailler": ""]).location == "/eleve?ok=bilan")
        }
    }

    @Test("direction names a class's main teacher by hand, among its teachers; that teacher may then close its periods")
    func mainTeacherByHand() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            #expect(page.text.contains("Professeur principal de 2CAP-EPC") && page.text.contains("<option value=\"t-lycee\""))
            let saved = try await client.post("/direction/classes/2CAP-EPC/professeur-principal", form: ["enseignant": "t-lycee"])
            #expect(saved.location == "/direction/classes/2CAP-EPC/referentiels?principal=1")
            let stranger = try await client.post("/direction/classes/2CAP-EPC/professeur-principal", form: ["enseignant": "t-college"])
            #expect(stranger.status == .unprocessableContent, "a teacher who does not teach the class")
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/classes/2CAP-EPC/periode").text.contains("Clore le"))
            #expect(try await client.post("/direction/classes/2CAP-EPC/professeur-principal", form: ["enseignant": "t-lycee"]).status == .forbidden)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/classes/2CAP-EPC/referentiels")
            _ = try await client.post("/direction/classes/2CAP-EPC/professeur-principal", form: ["enseignant": ""])
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lycee")
            #expect(!(try await client.get("/classes/2CAP-EPC/periode").text.contains("Clore le")), "nobody leads the class any more")
        }
    }
}
