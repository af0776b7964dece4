import AcquisApp
import AcquisCore
import AcquisDemoSupport
import AcquisTestSupport
import Crypto
import Foundation
import GRDB
import Testing
import ZIPFoundation

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

/// `acquis portfolio exporter`: the package that follows the student.
@Suite("Command line: the portfolio package")
struct PortfolioPackageCLITests {
    @Test("the package holds the year's progress file, the signed CLR, every production without metadata, a manifest whose digests match, and the school's signature of it")
    func export() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        for (file, title) in [(ProductionCLITests.photo, "Vitrine de Noël"),
                              (Fixtures.file("Compte rendu : j’ai accueilli trois clients.\n", named: "cr.txt"), "Compte rendu / PFMP")] {
            #expect(try acquis("production", "ajouter", "9000000001A", file, "--titre", title).status == 0)
        }
        let output = Fixtures.folder.appendingPathComponent("lea-\(UUID().uuidString).zip").path
        let run = try acquis("portfolio", "exporter", "9000000001A", "-o", output, "--cles", demo.keys)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("portfolio de Léa MARTIN, 2 productions, badges signés (CLR 2.0)"), "\(run.output)")

        let archive = try Archive(url: URL(fileURLWithPath: output), accessMode: .read)
        var files: [String: [UInt8]] = [:]
        for entry in archive {
            var bytes: [UInt8] = []
            _ = try archive.extract(entry) { bytes += $0 }
            files[entry.path] = bytes
        }
        #expect(Set(files.keys) == ["LISEZMOI.txt", "livret.html", "livret.json", "badges.clr.jwt", "portfolio.json", "portfolio.jws",
                                    "productions/001-compte-rendu-pfmp.txt", "productions/002-vitrine-de-noel.jpg"])
        let record = try #require(files["badges.clr.jwt"])
        #expect(record.split(separator: UInt8(ascii: ".")).count == 3, "a compact JWS")
        let photo = try #require(files["productions/002-vitrine-de-noel.jpg"])
        #expect(!photo.contains(subsequence: Array("Exif".utf8)))
        let manifestBytes = try #require(files["portfolio.json"])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any])
        #expect(manifest["format"] as? String == "acquis-portfolio/1")
        let listed = try #require(manifest["fichiers"] as? [[String: Any]])
        #expect(listed.count == files.count - 3, "every file but the manifest, its signature and the read-me")
        for item in listed {
            let path = try #require(item["chemin"] as? String)
            let bytes = try #require(files[path])
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(item["sha256"] as? String == digest, "\(path)")
        }
        let productions = try #require(manifest["productions"] as? [[String: Any]])
        #expect(productions.map { $0["titre"] as? String } == ["Compte rendu / PFMP", "Vitrine de Noël"])
        let readMe = try #require(files["LISEZMOI.txt"])
        #expect(String(decoding: readMe, as: UTF8.self).contains("2 réalisations gardées"))
    }

    @Test("bad input: an archive not named .zip, an unknown student: one French line, no file")
    func badInput() async throws {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        let tar = Fixtures.folder.appendingPathComponent("lea.tar").path
        let wrong = try acquis("portfolio", "exporter", "9000000001A", "-o", tar, "--cles", demo.keys)
        #expect(wrong.status == 1 && wrong.errors.contains("l’archive doit finir par .zip"))
        let unknown = try acquis("portfolio", "exporter", "9999999999Z", "-o", tar + ".zip", "--cles", demo.keys)
        #expect(unknown.status == 1 && unknown.errors.contains("aucun élève enregistré avec l’INE 9999999999Z"))
        #expect(!FileManager.default.fileExists(atPath: tar) && !FileManager.default.fileExists(atPath: tar + ".zip"))
    }

    /// Léa's package exported from a copy of the demo school, as its files.
    static func exportedPackage() async throws -> (path: String, files: [(String, [UInt8])]) {
        let demo = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: demo.path)
        _ = try acquis("production", "ajouter", "9000000001A", ProductionCLITests.photo, "--titre", "Vitrine de Noël")
        let output = Fixtures.folder.appendingPathComponent("lea-\(UUID().uuidString).zip").path
        #expect(try acquis("portfolio", "exporter", "9000000001A", "-o", output, "--cles", demo.keys).status == 0)
        let archive = try Archive(url: URL(fileURLWithPath: output), accessMode: .read)
        var files: [(String, [UInt8])] = []
        for entry in archive {
            var bytes: [UInt8] = []
            _ = try archive.extract(entry) { bytes += $0 }
            files.append((entry.path, bytes))
        }
        return (output, files)
    }

    /// A ZIP of these files, written for a test.
    static func zip(_ files: [(String, [UInt8])]) throws -> String {
        let path = Fixtures.folder.appendingPathComponent("paquet-\(UUID().uuidString).zip").path
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, bytes) in files {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return path
    }

    func previousCount(_ demo: DemoCopy) async throws -> Int {
        try await demo.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM previousPortfolio")! }
    }

    @Test("importer: a package signed by a school this installation knows is kept apart as « établissement précédent »")
    func importVerified() async throws {
        let (package, _) = try await Self.exportedPackage()
        let school = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: school.path)
        let run = try acquis("portfolio", "importer", package)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("portfolio de Léa MARTIN reçu de Cité scolaire des Tilleuls (fictive)"), "\(run.output)")
        #expect(run.output.contains("1 production, gardé comme « établissement précédent »"))
        let lea = try await school.studentID("9000000001A")
        let previous = try await App(storage: school.database).portfolio.previous(of: .ine("9000000001A"), by: .console(name: nil))
        #expect(previous.map(\.productionTitles) == [["Vitrine de Noël"]] && previous.first?.studentID == lea)
        let mixed = try await school.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM production")! }
        #expect(mixed == 0, "never mixed with the school's own productions or evidence")
    }

    @Test("importer refuses, keeping nothing: a file changed, no signature, a path out of the package, a ZIP bomb, another issuer, not a ZIP")
    func importRefusals() async throws {
        let (package, files) = try await Self.exportedPackage()
        let school = try await DemoDatabase.copy()
        let acquis = AcquisBinary(database: school.path)
        let changed = files.map { $0.0.hasPrefix("productions/") ? ($0.0, $0.1 + [0x00]) : $0 }
        let unsigned = files.filter { $0.0 != "portfolio.jws" }
        let climbing = files + [("../../etc/cron.d/acquis", Array("* * * * * root true\n".utf8))]
        let bomb = files + [("productions/zeros.txt", [UInt8](repeating: 0, count: 40 * 1_048_576))]
        let cases: [(String, String)] = [
            (try Self.zip(changed), "ne correspond pas à l’empreinte du portfolio"),
            (try Self.zip(unsigned), "ne porte pas la signature d’un établissement"),
            (try Self.zip(climbing), "chemin dangereux (« ../../etc/cron.d/acquis »)"),
            (try Self.zip(bomb), "se décompresse en bien plus que sa taille"),
            (Fixtures.file("pas une archive", named: "faux.zip"), "n’est pas une archive ZIP de portfolio"),
        ]
        for (path, message) in cases {
            let run = try acquis("portfolio", "importer", path)
            #expect(run.status == 1, "\(message)")
            #expect(run.errors.contains(message), "\(message): \(run.errors)")
        }
        // The signature of another package (another manifest): it signs nothing of this one.
        let (_, others) = try await Self.exportedPackage()
        let swapped = files.map { $0.0 == "portfolio.jws" ? others.first { $0.0 == "portfolio.jws" }! : $0 }
        let forged = try acquis("portfolio", "importer", try Self.zip(swapped))
        #expect(forged.status == 1 && forged.errors.contains("La signature du portfolio ne correspond pas à son contenu"), "\(forged.errors)")
        #expect(try await previousCount(school) == 0)
    }

    @Test("importer in a school of its own: the first package of another school waits for its key's fingerprint, compared with that school; the next ones are received")
    func importFromAnotherInstallation() async throws {
        let (package, _) = try await Self.exportedPackage()
        // A school whose demo was made anew has keys of its own: the package's signer is not known there.
        let other = AcquisBinary()
        #expect(try other("demo", "--cles", other.keys, "--exemples", Fixtures.repositoryRoot.path).status == 0)
        let asked = try other("portfolio", "importer", package)
        #expect(asked.status == 1 && asked.errors.contains("dont votre établissement n’a pas encore confirmé la clé"), "\(asked.errors)")
        let fingerprint = try #require(asked.errors.firstMatch(of: /--empreinte "([0-9A-F ]+)"/)?.1)
        #expect(fingerprint.split(separator: " ").count == 16, "SHA-256 in sixteen groups of four")
        let wrong = try other("portfolio", "importer", package, "--empreinte", String(repeating: "AB12 ", count: 16))
        #expect(wrong.status == 1 && wrong.errors.contains("n’a pas encore confirmé la clé"), "a fingerprint that differs trusts nothing")
        let confirmed = try other("portfolio", "importer", package, "--empreinte", String(fingerprint))
        #expect(confirmed.status == 0, "\(confirmed.errors)")
        #expect(confirmed.output.contains("signé par Cité scolaire des Tilleuls (fictive)"), "\(confirmed.output)")
        let next = try other("portfolio", "importer", package)
        #expect(next.status == 0, "the school's next packages are received without the step: \(next.errors)")
    }
}
