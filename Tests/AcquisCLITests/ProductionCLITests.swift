import AcquisDemoSupport
import AcquisTestSupport
import Foundation
import GRDB
import Testing

/// `acquis production`: what a school that scripts does with the portfolio.
@Suite("Command line: productions")
struct ProductionCLITests {
    static let photo = Fixtures.file(bytes: Array(try! Fixtures.production("photo-gps.jpg")), named: "IMG_0042.JPG")

    @Test("a photo is added with its competencies, day and context, then listed; the database keeps it without its GPS position")
    func addAndList() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        let added = try acquis("production", "ajouter", "9000000001A", Self.photo, "--titre", "Vitrine de Noël",
                               "--competences", "CAP-EPC:B1.1,B1.2", "--date", "20/11/2026", "--contexte", "atelier")
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output.hasPrefix("production n° 1 ajoutée : « Vitrine de Noël », photo, "), "\(added.output)")
        let listed = try acquis("production", "liste", "9000000001A")
        #expect(listed.output.hasPrefix("n° 1\t20/11/2026\tatelier\t« Vitrine de Noël »\tphoto, "), "\(listed.output)")
        #expect(listed.output.hasSuffix("\tCAP-EPC B1.1, CAP-EPC B1.2\n"))
        let kept = try await demo.database.writer.read { try Data.fetchOne($0, sql: "SELECT content FROM production")! }
        #expect(![UInt8](kept).contains(subsequence: Array("Exif".utf8)))
        #expect(try acquis("production", "liste", "9000000002B").output == "aucune production\n")
    }

    @Test("bad input: one French line naming the file or the option, exit 1, nothing stored")
    func badInput() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        let program = Fixtures.file(bytes: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 120), named: "rapport.pdf")
        let cases: [([String], String)] = [
            (["9000000001A", program, "--titre", "Rapport"], "erreur : \(program) : ce fichier n’est ni une photo"),
            (["9000000001A", "/nulle/part.jpg", "--titre", "Absent"], "erreur : /nulle/part.jpg : fichier introuvable ou illisible"),
            (["9000000001A", Fixtures.folder.path, "--titre", "Dossier"], "fichier introuvable ou illisible"),
            (["9000000001A", Self.photo, "--titre", "Liste", "--competences", "B1.1"], "ne se lit pas comme une liste de compétences"),
            (["9000000001A", Self.photo, "--titre", "Inconnue", "--competences", "CAP-EPC:Z9"], "aucune compétence Z9 dans CAP-EPC"),
            (["9000000001A", Self.photo, "--titre", "Demain", "--date", "01/01/2099"], "est dans le futur"),
            (["9999999999Z", Self.photo, "--titre", "Inconnu"], "aucun élève enregistré avec l’INE 9999999999Z"),
            (["9000000001A", Self.photo, "--titre", "   "], "Donnez un titre"),
        ]
        for (arguments, message) in cases {
            let run = try acquis(["production", "ajouter"] + arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.errors.contains(message), "\(arguments): \(run.errors)")
            #expect(run.errors.split(separator: "\n").count <= 2, "one line (and a hint at most): \(run.errors)")
        }
        let stored = try await demo.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM production")! }
        #expect(stored == 0)
    }
}
