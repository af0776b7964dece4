import AcquisTestSupport
import Foundation
import HTTPTypes
import Testing
import ZIPFoundation

/// The school's team imports its students from the browser: preview first, then one transaction.
@Suite("Web app: students from the school's files")
struct WebRosterTests {
    static let siecle = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/ElevesSansAdresses.xml"), encoding: .utf8)
    static let csv = "INE;Nom;Prénom;Date de naissance;Classe\n9000000077K;GÉRARD;Zoé;03/02/2010;2CAP-EPC\n"

    func send(_ client: WebClient, _ name: String, _ bytes: [UInt8]) async throws -> WebClient.Page {
        _ = try await client.get("/direction/eleves")
        let sent = try await client.multipart("/direction/eleves", fields: [:], file: ("fichier", name, bytes))
        #expect(sent.status == .found, "\(sent.text)")
        return try await client.get(sent.location ?? "/")
    }

    @Test("a CSV of one new student: the preview says what will happen, nothing is stored until confirmed, once")
    func csvPreviewThenConfirm() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            let preview = try await send(client, "nouveaux.csv", Array(Self.csv.utf8))
            #expect(preview.text.contains("fichier CSV"))
            #expect(preview.text.contains("1 élève ajouté"))
            let before = try await client.get("/direction/eleves")
            #expect(!before.text.contains("Import terminé"))
            let path = try #require(preview.text.firstMatch(of: /action="(\/direction\/eleves\/depots\/\d+\/confirmation)"/)?.1)
            let done = try await client.post(String(path), form: [:])
            #expect(done.location == "/direction/eleves?importe=1")
            #expect(try await client.get(done.location!).text.contains("Import terminé : 1 élève enregistré"))
            #expect(try await client.post(String(path), form: [:]).status == .notFound)
        }
        _ = try await fixture.studentID("9000000077K")
    }

    @Test("the school's SIECLE export reads the same in UTF-8, in ISO-8859-15 and zipped: nothing new, accents intact",
          arguments: ["utf-8", "iso-8859-15", "zip"])
    func siecleEncodings(form: String) async throws {
        let fixture = try await WebFixture()
        let bytes: [UInt8] = switch form {
        case "iso-8859-15":
            Array(Self.siecle.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-15\"").data(using: .isoLatin1)!)
        case "zip": try Self.zipped(["ElevesSansAdresses.xml": Array(Self.siecle.utf8)])
        default: Array(Self.siecle.utf8)
        }
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            let preview = try await send(client, form == "zip" ? "ElevesSansAdresses.zip" : "ElevesSansAdresses.xml", bytes)
            #expect(preview.text.contains("export SIECLE, année 2026-2027"), "\(preview.text)")
            #expect(preview.text.contains("aucun élève ajouté"))
            #expect(preview.text.contains("inchangés"))
            #expect(!preview.text.contains("ne peut pas être importé"))
        }
    }

    @Test("another school's export, an archive of two files, binary and empty files are refused in words, with nothing stored")
    func refusals() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-direction")
            let other = try await send(client, "autre.xml", Array(Self.siecle.replacingOccurrences(of: "0579999Z", with: "0671234A").utf8))
            #expect(other.text.contains("ce fichier est celui de l’établissement 0671234A, pas du vôtre (0579999Z)"))
            #expect(!other.text.contains("Importer</button>"))
            let two = try await send(client, "deux.zip", try Self.zipped(["a.csv": Array(Self.csv.utf8), "b.csv": Array(Self.csv.utf8)]))
            #expect(two.text.contains("l’archive contient 2 fichiers"))
            let binary = try await send(client, "../../etc/passwd", (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 37) })
            #expect(binary.text.contains("ne peut pas être importé"))
            #expect(binary.text.contains("passwd") && !binary.text.contains("../"))
            _ = try await client.get("/direction/eleves")
            let empty = try await client.multipart("/direction/eleves", fields: [:], file: ("fichier", "vide.csv", []))
            #expect(empty.status == .badRequest)
        }
    }

    @Test("only the school's team imports students; a teacher, a student and an inspector are refused")
    func roles() async throws {
        let fixture = try await WebFixture()
        for login in ["t-lycee", "t-lea", "t-inspection"] {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                #expect(try await client.get("/direction/eleves").status == .forbidden, "\(login)")
                #expect(try await client.get("/direction/eleves/depots/1").status == .forbidden, "\(login)")
            }
        }
    }

    static func zipped(_ files: [String: [UInt8]]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                Data(bytes[Int(position)..<Int(position) + size])
            }
        }
        return Array(archive.data!)
    }
}
