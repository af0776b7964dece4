import AcquisCore
import AcquisStorage
import AcquisStore
import Foundation
import GRDB
import Testing

/// Early warning in the web app, on the demo school as of the last day of its evidence.
@Suite("Web app: vigilance, follow-ups, tutoring, need groups")
struct WebVigilanceTests {
    static let today = CalendarDate(iso: "2026-11-20")!

    private func school() async throws -> (WebFixture, hugo: Int64) {
        let fixture = try await WebFixture(today: Self.today)
        return (fixture, try await fixture.studentID("9100000005E"))
    }

    private func views(_ fixture: WebFixture, viewer: String) async throws -> [String] {
        try await fixture.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT subject FROM sensitiveView WHERE viewer = ? ORDER BY id", arguments: [viewer])
        }
    }

    @Test("a mixed group (CAP and Bac Pro) says for each student what their own page and class list say")
    func mixedGroup() async throws {
        let (fixture, _) = try await school()
        let (group, pages, classes) = try await fixture.database.writer.read { db in
            let schoolID = try SchoolStore().schoolID(uai: "0579999Z", in: db)
            let year = SchoolYear(containing: Self.today)
            let group = try VigilanceStore().list(for: SchoolStore().division(code: "G-PFMP-A", schoolID: schoolID, year: year, in: db),
                                                  asOf: Self.today, in: db)
            let pages = try group.map { try VigilanceStore().signals(studentID: $0.student.id, year: year, asOf: Self.today, in: db) }
            let classes = try VigilanceStore().lists(schoolID: schoolID, year: year, asOf: Self.today, in: db)
                .flatMap(\.entries)
            return (group, pages, Dictionary(classes.map { ($0.student.id, $0.signals) }, uniquingKeysWith: { a, _ in a }))
        }
        #expect(group.count == 12)
        #expect(group.filter(\.isFlagged).count < group.count, "the other diploma's referential flags nobody")
        for (entry, page) in zip(group, pages) {
            #expect(entry.signals.map(\.reason) == page.map(\.reason), "\(entry.student.student.lastName)")
            #expect(entry.signals.map(\.reason) == classes[entry.student.id]?.map(\.reason), "\(entry.student.student.lastName)")
        }
    }

    @Test("signals are for the student's teachers, tutor and the school's team, never for students or families")
    func access() async throws {
        let (fixture, hugo) = try await school()
        let cases: [(login: String, uri: String, status: Int)] = [
            ("t-college", "/vigilance", 200), ("t-direction", "/vigilance", 200), ("t-lycee", "/vigilance", 200),
            ("t-lea", "/vigilance", 403), ("t-famille-lea", "/vigilance", 403), ("t-inspection", "/vigilance", 403),
            ("t-college", "/classes/3A/groupes", 200), ("t-lycee", "/classes/3A/groupes", 403),
            ("t-lea", "/classes/3A/groupes", 403), ("t-lycee", "/eleves/\(hugo)", 403),
            ("t-direction", "/direction/seuils", 200), ("t-college", "/direction/seuils", 403),
        ]
        for login in Set(cases.map(\.login)) {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                for test in cases where test.login == login {
                    #expect(Int(try await client.get(test.uri).status.code) == test.status, "\(login) GET \(test.uri)")
                }
                if login == "t-lea" {
                    let own = try await client.get("/eleve")
                    #expect(!own.text.contains("Plus de nouvelle preuve") && !own.text.contains("Vigilance"))
                    let post = try await client.post("/eleves/\(hugo)/suivis", form: ["action": "Tutorat"])
                    #expect(post.status == .forbidden)
                }
            }
        }
    }

    @Test("the teacher's home page counts the students to follow per class, without a name; the list names them with the reason, and that view is logged, by id")
    func home() async throws {
        let (fixture, hugo) = try await school()
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            let home = try await client.get("/enseignant")
            #expect(home.text.contains("<a href=\"/vigilance#classe-3A\">2 élèves à suivre</a>"))
            #expect(home.text.contains("2 élèves à suivre : 2 en 3A."))
            #expect(!home.text.contains("HOARAU"))
            let homeLogged = try await fixture.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sensitiveView WHERE viewer = 't-college'")!
            }
            #expect(homeLogged == 0, "counts name nobody: nothing to log")
            let list = try await client.get("/vigilance")
            #expect(list.text.contains("Aucune nouvelle preuve en SOCLE-2015 depuis le 09/02/2026"))
            #expect(list.text.contains("<a href=\"/eleves/\(hugo)#vigilance\">HOARAU Hugo</a>"))
        }
        let logged = try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sensitiveView WHERE viewer = 't-college' AND studentId = ?", arguments: [hugo])
        }
        #expect(logged.count == 1)
        #expect(logged.allSatisfy { ($0["subject"] as String) == "signaux" })
    }

    @Test("a follow-up recorded on the student's page joins the history; a teacher-tutor then sees the student")
    func followUpAndTutor() async throws {
        let (fixture, hugo) = try await school()
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            _ = try await client.get("/eleves/\(hugo)")
            let recorded = try await client.post("/eleves/\(hugo)/suivis", form: [
                "action": "Contact avec la famille", "date": "2026-11-16", "note": "Appel à la mère"])
            #expect(recorded.status == .found)
            let refused = try await client.post("/eleves/\(hugo)/suivis", form: ["action": "Tutorat", "date": "2026-12-25"])
            #expect(refused.status == .unprocessableContent)
            let tutored = try await client.post("/eleves/\(hugo)/tutorat", form: ["tuteur": "t-lycee"])
            #expect(tutored.status == .found)
            let page = try await client.get("/eleves/\(hugo)")
            #expect(page.text.contains("<strong>16/11/2026 — Contact avec la famille</strong> (t-college) : Appel à la mère"))
            #expect(page.text.contains("Depuis le 16/11/2026 : aucune nouvelle évaluation pour l’instant."))
            #expect(page.text.contains("Enseignant-tuteur : t-lycee ·"))
            #expect(!page.text.contains("(t-lycee)"), "a name, never a login in brackets")
            #expect(page.text.contains("— Entretien avec l’élève</strong> (Mme Petit)"), "the demo's follow-up by professeur-college")
            #expect(!page.text.contains("(professeur-college)"))
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/eleves/\(hugo)").status == .ok)
            let list = try await client.get("/vigilance")
            #expect(list.text.contains("Élèves que j’accompagne"))
            #expect(list.text.contains("HOARAU Hugo</a> (3A)"))
        }
        #expect(try await views(fixture, viewer: "t-lycee").contains("suivi"))
    }

    @Test("a peer sponsor sees the progress of their godchild in positive words, nothing else; nobody else does")
    func sponsor() async throws {
        let (fixture, hugo) = try await school()
        // The demo school makes Léa (2CAP-EPC) the sponsor of 3e SEGPA's first student.
        let godchild = try await fixture.studentID("9100000025Y")
        try await fixture.test { client in
            _ = try await client.signIn("t-lea")
            let home = try await client.get("/eleve")
            #expect(home.text.contains("<a href=\"/eleve/filleuls/\(godchild)\">"))
            let page = try await client.get("/eleve/filleuls/\(godchild)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Tu parraines"))
            #expect(!page.text.contains("Vigilance") && !page.text.contains("Suivi"))
            #expect(try await client.get("/eleve/filleuls/\(hugo)").status == .forbidden)
        }
        for login in ["t-autre", "t-famille-lea", "t-lycee"] {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                #expect(try await client.get("/eleve/filleuls/\(godchild)").status == .forbidden, "\(login)")
            }
        }
    }

    @Test("need groups: the suggestion is edited and saved for the period, then exported as CSV")
    func needGroups() async throws {
        let (fixture, hugo) = try await school()
        try await fixture.test { client in
            _ = try await client.signIn("t-college")
            let page = try await client.get("/classes/3A/groupes?referentiel=SOCLE-2015&periode=T1&competences=D2.1&competences=D2.2")
            #expect(page.text.contains("name=\"g-\(hugo)\""))
            let saved = try await client.post("/classes/3A/groupes", form: [
                "referentiel": "SOCLE-2015", "competences": "D2.1 D2.2", "periode": "T1", "g-\(hugo)": "remediation"])
            #expect(saved.status == .found)
            let after = try await client.get("/classes/3A/groupes?referentiel=SOCLE-2015")
            #expect(after.text.contains("1er trimestre 2026-2027 — SOCLE-2015 D2.1, D2.2"))
            let id = try await fixture.database.writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM needGroupSet")!
            }
            let csv = try await client.get("/classes/3A/groupes/\(id)/fiche.csv")
            #expect(csv.status == .ok)
            #expect(csv.text.contains("Remédiation;HOARAU Hugo;"))
        }
        #expect(try await views(fixture, viewer: "t-college").contains("groupes"))
    }

    @Test("the school's team changes a threshold and the lists follow it; a bad value changes nothing")
    func thresholds() async throws {
        let (fixture, _) = try await school()
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/direction/seuils")
            let bad = try await client.post("/direction/seuils", form: ["silenceDays": "400", "windowDays": "30"])
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.get("/direction/seuils").text.contains("id=\"windowDays\" name=\"windowDays\" type=\"number\" min=\"1\" value=\"42\""))
            let badZone = try await client.post("/direction/seuils", form: ["zone": "D"])
            #expect(badZone.status == .unprocessableContent)
            let zone = try await client.post("/direction/seuils", form: ["zone": "B"])
            #expect(zone.status == .found)
            #expect(try await client.get("/direction/seuils").text.contains("<option value=\"B\" selected>Zone B</option>"))
            let saved = try await client.post("/direction/seuils", form: ["silenceDays": "365"])
            #expect(saved.status == .found)
            #expect(!(try await client.get("/vigilance").text.contains("HOARAU Hugo")))
        }
    }
}
