import AcquisStorage
import Foundation
import GRDB
import Testing

/// The académie's overview in the web app: counts drawn as bars, the same figures as CSV,
/// and nothing that names a student.
@Suite("Web app: the académie's overview")
struct WebAcademyTests {
    /// Every student's last name and INE in the demo school.
    static func identities(_ fixture: WebFixture) async throws -> [String] {
        try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT lastName, ine FROM student").flatMap { [$0["lastName"], $0["ine"]].compactMap { $0 as String? } }
        }
    }

    @Test("the page and its CSV give the demo school's counts and name no student")
    func pageAndCSV() async throws {
        let fixture = try await WebFixture()
        let identities = try await Self.identities(fixture)
        try await fixture.test { client in
            _ = try await client.signIn("t-academie")
            let page = try await client.get("/academie")
            #expect(page.status == .ok)
            #expect(page.text.contains("Vue de l’académie") && page.text.contains("1 établissement"))
            #expect(page.text.contains("Référentiels utilisés") && page.text.contains("CAP-EPC — "))
            #expect(page.text.contains(#"<svg class="bar""#), "bars drawn on the server")
            #expect(page.text.contains("Non montré : moins de 5 élèves."), "the demo has lines about fewer than five students")
            let csv = try await client.get("/academie/synthese.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("\u{FEFF}Rubrique;Intitulé;Établissements;Élèves;Nombre;Précision\r\n"))
            #expect(csv.text.contains("Référentiels utilisés;CAP-EPC — "))
            for identity in identities {
                #expect(!page.text.contains(identity) && !csv.text.contains(identity), "\(identity)")
            }
        }
    }
}
