import AcquisCore
import Foundation
import HTTPTypes
import Testing
import ZIPFoundation

/// Exports from the browser: started from a page, followed while they run, downloaded when
/// done — by the roles allowed, for the classes they may see.
@Suite("Web app: exports with progress and download")
struct WebExportTests {
    /// Follows the job's page until it says the export ended; its last text.
    static func finished(_ client: WebClient, _ job: String) async throws -> WebClient.Page {
        for _ in 0..<200 {
            let page = try await client.get(job)
            if !page.text.contains("Export en cours") { return page }
            #expect(page.headers[HTTPField.Name("Refresh")!] == "2", "a running export's page refreshes itself")
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the export did not end")
        return try await client.get(job)
    }

    @Test("a teacher exports the progress files of their class as a ZIP, one PDF per student; nobody else sees the job")
    func classZIP() async throws {
        let fixture = try await WebFixture()
        let job = try await fixture.test { client -> String in
            _ = try await client.signIn("t-lycee")
            let page = try await client.get("/exports")
            #expect(page.text.contains("Fichiers de progrès d’une classe") && !page.text.contains("LSU : bilans"))
            let started = try await client.post("/exports/livrets", form: ["classe": "2CAP-EPC", "periode": "T1", "lecteur": "famille"])
            let job = try #require(started.location)
            let done = try await Self.finished(client, job)
            #expect(done.text.contains("Export terminé") && done.text.contains("livrets-2CAP-EPC-T1.zip"), "\(done.text)")
            let zip = try await client.get(job + "/fichier")
            #expect(zip.headers[.contentType] == "application/zip")
            let archive = try Archive(data: Data(zip.bytes), accessMode: .read)
            let entries = archive.map(\.path)
            #expect(entries.count >= 10 && entries.allSatisfy { $0.hasSuffix("_T1.pdf") }, "\(entries)")
            #expect(entries.contains { $0.hasPrefix("MARTIN_Lea_9000000001A") })
            #expect(try await client.post("/exports/livrets", form: ["classe": "3A", "periode": "T1"]).status == .forbidden)
            #expect(try await client.post("/exports/lsu", form: ["classes[]": "3A", "chef": "X"]).status == .forbidden)
            #expect(try await client.post("/exports/livrets", form: ["classe": "2CAP-EPC", "periode": "../../etc"]).status == .badRequest)
            return job
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-college")
            #expect(try await client.get(job).status == .notFound, "another teacher learns nothing of the job")
            #expect(try await client.get(job + "/fichier").status == .notFound)
        }
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-lea")
            #expect(try await client.get("/exports").status == .forbidden)
            #expect(try await client.get(job + "/fichier").status == .forbidden)
        }
    }

    @Test("the school's team exports the LSU bilans de cycle (checked against the official schema) and LSL Pro positions")
    func official() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            let page = try await client.get("/exports")
            #expect(page.text.contains("LSU : bilans de fin de cycle") && page.text.contains("LSL Pro"))
            let lsu = try #require(try await client.post("/exports/lsu", form: ["classes[]": "3SEGPA", "cycle": "4", "chef": "Mme Durand"]).location)
            let lsuDone = try await Self.finished(client, lsu)
            #expect(lsuDone.text.contains("lsu-bilans-cycle4.xml"), "\(lsuDone.text)")
            let xml = try await client.get(lsu + "/fichier").text
            #expect(xml.contains("<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\""), "\(xml.prefix(300))")
            #expect(xml.contains("Mme Durand"))
            let lsl = try #require(try await client.post("/exports/lsl", form: ["classes[]": "2CAP-EPC", "referentiel": "CAP-EPC",
                                                                              "periode": "annee"]).location)
            _ = try await Self.finished(client, lsl)
            let csv = try await client.get(lsl + "/fichier")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("9000000001A"), "\(csv.text.prefix(400))")
            let none = try await client.post("/exports/lsl", form: ["referentiel": "CAP-EPC", "periode": "T1"])
            #expect(none.status == .badRequest && none.text.contains("Choisissez au moins une classe"))
        }
    }

    @Test("an export that fails says why in words, and offers no file")
    func failureAndLimit() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client -> Void in
            _ = try await client.signIn("t-direction")
            _ = try await client.get("/exports")
            let job = try #require(try await client.post("/exports/lsl", form: ["classes[]": "2CAP-EPC", "referentiel": "INCONNU",
                                                                              "periode": "T1"]).location)
            let failed = try await Self.finished(client, job)
            #expect(failed.text.contains("L’export n’a pas abouti") && failed.text.contains("INCONNU"), "\(failed.text)")
            let incomplete = try #require(try await client.post("/exports/lsu", form: ["classes[]": "3A", "chef": "Mme Durand"]).location)
            let words = try await Self.finished(client, incomplete).text
            #expect(words.contains("HOARAU Hugo (3A) : pas encore de positionnement pour CPD_ART"), "says whom and what is missing")
            #expect(!words.contains(".."))
            #expect(try await client.get(incomplete + "/fichier").status == .notFound, "no half file")
        }
    }
}
