import AcquisApp
import AcquisCore
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

/// `acquis pfmp`: a period created from a script prints its tutor's link, which opens the
/// tutor's page until it is withdrawn.
@Suite("Command line: PFMP")
struct PFMPCLITests {
    static let period = ["pfmp", "creer", "9000000001A", "--entreprise", "Boutique Dupont", "--tuteur", "Mme Dupont",
                         "--courriel", "dupont@boutique.example", "--du", "16/11/2026", "--au", "11/12/2026",
                         "--referentiel", "CAP-EPC", "--competences", "B1.2,B3.2"]

    @Test("creer prints the tutor's link on the school's public address; the database keeps only its hash; revoquer withdraws it")
    func createAndRevoke() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        let created = try acquis(Self.period + ["--url-publique", "https://acquis.lycee.example/"])
        #expect(created.status == 0, "\(created.errors)")
        #expect(created.output.hasPrefix("PFMP n° 1 créée : Boutique Dupont, du 16/11/2026 au 11/12/2026, B1.2, B3.2\n"))
        #expect(created.output.contains("valable jusqu’au 26/12/2026"))
        let token = try #require(created.output.firstMatch(of: /https:\/\/acquis\.lycee\.example\/pfmp\/lien\/([A-Za-z0-9_-]{43})\n/)?.1)
        let stored = try await demo.database.writer.read { try String.fetchOne($0, sql: "SELECT linkHash FROM pfmpPeriod")! }
        #expect(stored.count == 64 && stored != String(token), "only the SHA-256 is kept")
        #expect(try acquis("pfmp", "revoquer", "1").output == "PFMP n° 1 : lien retiré\n")
        let revoked = try await demo.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pfmpPeriod WHERE revokedAt IS NOT NULL")! }
        #expect(revoked == 1)
    }

    @Test("bad input: one French line, exit 1, nothing stored")
    func badInput() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        func replacing(_ option: String, with value: String) -> [String] {
            var arguments = Self.period
            arguments[arguments.firstIndex(of: option)! + 1] = value
            return arguments
        }
        let cases: [([String], String)] = [
            (replacing("--courriel", with: "dupont chez boutique"), "n’est pas une adresse électronique"),
            (replacing("--au", with: "01/11/2026"), "avant de commencer le 16/11/2026"),
            (replacing("--competences", with: "Z9"), "aucune compétence Z9 dans CAP-EPC"),
            (replacing("--entreprise", with: " "), "Indiquez l’entreprise"),
            (["pfmp", "revoquer", "42"], "aucune PFMP n° 42"),
        ]
        for (arguments, message) in cases {
            let run = try acquis(arguments + (arguments[1] == "creer" ? ["--url-publique", "https://acquis.example"] : []))
            #expect(run.status == 1, "\(arguments)")
            #expect(run.errors.contains(message), "\(arguments): \(run.errors)")
        }
        let stored = try await demo.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pfmpPeriod")! }
        #expect(stored == 0)
    }

    @Test("the LSL Pro export carries the tutor's appreciation of a PFMP of the period, on each of the student's lines")
    func lslCarriesTheAppreciation() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        let created = try acquis(Self.period + ["--url-publique", "https://acquis.lycee.example"])
        let token = try #require(created.output.firstMatch(of: /\/pfmp\/lien\/([A-Za-z0-9_-]{43})/)?.1)
        try await App(storage: demo.database, today: CalendarDate(year: 2026, month: 11, day: 27)!).pfmp
            .tutorRecord(token: String(token), levels: ["B1.2": "A"], appreciation: "Léa est ponctuelle; elle apprend vite.")
        let output = Fixtures.folder.appendingPathComponent("lsl-\(UUID().uuidString).csv").path
        let exported = try acquis("export", "lsl", "--classe", "2CAP-EPC", "--referentiel", "CAP-EPC", "--periode", "T1", "--annee", "2026", "-o", output)
        #expect(exported.status == 0, "\(exported.errors)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.first?.hasSuffix(";Niveau Acquis;Appréciation PFMP") == true, "\(lines.first ?? "")")
        let lea = lines.filter { $0.hasPrefix("9000000001A;") }
        #expect(!lea.isEmpty && lea.allSatisfy { $0.hasSuffix(";\"Boutique Dupont : Léa est ponctuelle; elle apprend vite.\"") }, "\(lea.first ?? "")")
        #expect(lines.filter { $0.hasPrefix("9000000002B;") }.allSatisfy { $0.hasSuffix(";") }, "another student has none")
    }
}
