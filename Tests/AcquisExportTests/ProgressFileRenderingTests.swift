import AcquisCore
import AcquisExport
import AcquisReports
import Foundation
import Testing

/// A progress file rendered for its readers, from a value built by hand: no database.
@Suite("Progress file: text and JSON")
struct ProgressFileRenderingTests {
    static let day = CalendarDate(year: 2026, month: 10, day: 8)!

    static var file: ProgressFile {
        let scale = Scale.benevolent
        let acquired = scale.levels[2]
        let competency = ProgressFile.Competency(
            code: "B1.6", level: acquired, explanation: "Acquis : seule observation, le 08/10/2026 en classe",
            change: .firstLevel, previousLevel: nil,
            teacherViews: [ProgressFile.View(author: "M. Martin", code: acquired.code, label: acquired.studentLabel, date: day,
                                             context: .classe, earlierVersion: "2019")],
            selfEvaluation: nil,
            comment: ProgressFile.Comment(author: "M. Martin", date: day, text: "Bonne réception des colis"))
        let section = ProgressFile.Section(code: "CAP-EPC", version: "2025", title: "CAP Équipier polyvalent du commerce",
                                           scale: scale, method: "bienveillante:3", rows: [
            ProgressFile.Row(code: "B1.6", title: "Réceptionner", term: "Compétence", depth: 1, content: .competency(competency)),
        ])
        return ProgressFile(generatedAt: Date(timeIntervalSince1970: 1_790_000_000), school: SchoolIdentity(uai: "0579999Z", name: "Lycée"),
                            student: StudentIdentity(lastName: "MARTIN", firstName: "Léa", ine: "9000000001A", division: "2CAP"),
                            period: .between(CalendarDate(year: 2026, month: 9, day: 1)!, CalendarDate(year: 2026, month: 12, day: 2)!),
                            asOf: CalendarDate(year: 2026, month: 12, day: 2)!, sections: [section], badges: [], synthesis: nil, goals: [])
    }

    @Test("as text for the team: counts, the level's reason, who observed it and under which version, the comment")
    func text() {
        let text = TextExport.progressFile(Self.file, for: .team)
        #expect(text.hasPrefix("Progrès de l’élève — Léa MARTIN\nDu 01/09/2026 au 02/12/2026 · Niveaux au 02/12/2026"),
                "a period between two days names them once")
        #expect(text.contains("1 compétence acquise, 1 évaluée sur 1 · 1 compétence a progressé sur la période"))
        #expect(text.contains("  ● B1.6 — Réceptionner\n      Acquis : seule observation, le 08/10/2026 en classe"))
        #expect(text.contains("Observé par M. Martin : « Je sais faire » le 08/10/2026 en classe (version 2019 du référentiel)"))
        #expect(text.contains("Commentaire de M. Martin le 08/10/2026 : « Bonne réception des colis »"))
    }

    @Test("in HTML, every word of a row is escaped, hostile ones included, and each detail has its line")
    func htmlRows() {
        var file = Self.file
        guard case .competency(var competency) = file.sections[0].rows[0].content else { Issue.record("a competency row"); return }
        competency.comment = ProgressFile.Comment(author: "M. <b>Martin</b>", date: Self.day, text: "<script>alert(\"x\")</script> & 'co'")
        file.sections[0].rows[0].content = .competency(competency)
        file.sections[0].rows[0].title = "Réceptionner <img src=x onerror=alert(1)>"
        let html = HTMLExport.progressFile(file, for: .team)
        #expect(!html.contains("<script>") && !html.contains("<img src=x") && !html.contains("<b>Martin"))
        #expect(html.contains("<strong>B1.6 — Réceptionner &lt;img src=x onerror=alert(1)&gt;</strong>"), "\(html)")
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"), "\(html)")
        #expect(html.contains("<ul class=\"rows\">\n\n<li class=\"row\" style=\"border-left-color: "))
        #expect(html.contains("</li>\n</ul>"))
    }

    @Test("for a student, the method's reason gives way to when it was last seen")
    func studentVoice() {
        let text = TextExport.progressFile(Self.file, for: .student)
        #expect(text.hasPrefix("Mes progrès — Léa MARTIN"))
        #expect(!text.contains("seule observation"))
        #expect(text.contains("Dernière observation le 08/10/2026 en classe."))
    }

    @Test("in JSON, the earlier version of an observation and the teacher's comment")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: ProgressFileJSON.encoded(Self.file)) as? [String: Any])
        let referential = try #require((object["referentials"] as? [[String: Any]])?.first)
        let row = try #require((referential["rows"] as? [[String: Any]])?.first)
        let view = try #require((row["teacherViews"] as? [[String: Any]])?.first)
        #expect(view["earlierVersion"] as? String == "2019")
        let comment = try #require(row["comment"] as? [String: Any])
        #expect(comment["text"] as? String == "Bonne réception des colis")
        #expect(comment["date"] as? String == "2026-10-08")
    }

    /// The file of a period whose bilan was written together.
    static var bilan: ProgressFile {
        var file = Self.file
        file.synthesis = ProgressFile.Synthesis(text: "Léa a pris de l’assurance en caisse.", author: "M. Martin", writtenOn: day)
        file.studentWords = ProgressFile.StudentWords(proud: "J’ai tenu la caisse seule.", toWork: "La réserve.")
        file.seenByFamily = [ProgressFile.FamilySeen(name: "Mme MARTIN", on: CalendarDate(year: 2026, month: 10, day: 10)!)]
        return file
    }

    @Test("the student's own words head their bilan in each reader's voice, then the team's, then the family's « Vu »")
    func bilanVoices() {
        let mine = TextExport.progressFile(Self.bilan, for: .student)
        #expect(mine.contains("Mon bilan\nCe dont je suis fier·e : J’ai tenu la caisse seule.\nCe que je veux travailler : La réserve."))
        #expect(mine.contains("Synthèse de l’équipe\nLéa a pris de l’assurance en caisse.\nM. Martin, le 08/10/2026"))
        #expect(mine.hasSuffix("Vu par la famille : Mme MARTIN, le 10/10/2026."))
        let family = TextExport.progressFile(Self.bilan, for: .family)
        #expect(family.contains("Ce que Léa en dit\nCe dont Léa est fier·e : J’ai tenu la caisse seule."))
        let html = HTMLExport.progressFile(Self.bilan, for: .team)
        #expect(html.contains("<strong>Ce que Léa veut travailler :</strong> La réserve.") && html.contains("Vu par la famille : Mme MARTIN"))
    }

    @Test("in JSON, the student's words and the family's « Vu »; neither when there is none")
    func bilanJSON() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: ProgressFileJSON.encoded(Self.bilan)) as? [String: Any])
        #expect((object["studentWords"] as? [String: String])?["toWork"] == "La réserve.")
        #expect((object["seenByFamily"] as? [[String: String]])?.first?["on"] == "2026-10-10")
        let plain = try #require(try JSONSerialization.jsonObject(with: ProgressFileJSON.encoded(Self.file)) as? [String: Any])
        #expect(plain["studentWords"] == nil && plain["seenByFamily"] == nil)
    }
}
