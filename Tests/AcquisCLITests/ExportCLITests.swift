import AcquisTestSupport
import AcquisXML
import Foundation
import Testing
import ZIPFoundation

/// The whole demo school (lycée professionnel and collège classes sans notes) as an issuer, in
/// a database of its own, with a folder for what the exports write.
struct DemoSchool {
    let acquis = AcquisBinary()
    let folder: String

    init() throws {
        folder = Fixtures.folder.appendingPathComponent("exports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let samples = Fixtures.repositoryRoot.appendingPathComponent("Samples")
        for arguments in [["referentiel", "import"] + Fixtures.shippedReferentials,
                          ["eleves", "import", samples.appendingPathComponent("ElevesSansAdresses.xml").path],
                          ["eval", "import", samples.appendingPathComponent("evaluations.csv").path],
                          ["eval", "import", samples.appendingPathComponent("evaluations-college.csv").path],
                          ["issuer", "init", "--nom", "Cité scolaire des Tilleuls (fictive)", "--site", "https://tilleuls.example.fr",
                           "--courriel", "ce.0579999z@example.fr", "--url-publique", DemoIssuer.base]] {
            let run = try acquis(arguments)
            guard run.status == 0 else { throw DemoIssuer.Failure("\(arguments.prefix(2)): \(run.errors)") }
        }
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Runs `acquis`, failing the test with its error output unless it succeeds.
    @discardableResult
    func run(_ arguments: String...) throws -> String {
        let run = try acquis(arguments)
        guard run.status == 0 else { throw DemoIssuer.Failure("acquis \(arguments.joined(separator: " ")): \(run.errors)") }
        return run.output
    }

    func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
}


@Suite("Exports from the demo school", .serialized)
struct ExportCLITests {
    static let lea = "9000000001A"
    /// 3e SEGPA, dispensed of the foreign language (DI).
    static let dispensed = "9100000027A"

    @Test("CI has poppler-utils, so that PDF text is always compared there")
    func popplerInCI() {
        #expect(!Validators.runningInCI || Poppler.available, "apt-get install poppler-utils")
    }

    @Test("a progress file says the same thing in PDF, HTML, JSON and CSV, with its date and referential versions",
          .enabled(if: Poppler.available, "pdftotext missing: apt-get install poppler-utils"))
    func progressFileInEveryFormat() throws {
        let demo = try DemoSchool()
        try demo.run("bilan", "synthese", Self.lea, "--periode", "T1", "--annee", "2026", "--texte",
                     "Léa s’investit en atelier et progresse vite en réception.", "--objectif", "Réussir l’étiquetage en autonomie",
                     "--par", "M. Dupont")
        try demo.run("export", "eleve", Self.lea, "--periode", "T1", "--annee", "2026", "--format", "pdf", "html", "json", "csv",
                     "-o", demo.path("lea"))
        let base = "lea/MARTIN_Lea_9000000001A_T1"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo.path(base + ".json")))) as! [String: Any]
        let referential = (json["referentials"] as! [[String: Any]])[0]
        let rows = referential["rows"] as! [[String: Any]]
        let reception = try #require(rows.first { $0["code"] as? String == "B1.2" })
        let explanation = reception["explanation"] as! String

        let pdf = try Poppler.text(demo.path(base + ".pdf"))
        let html = try demo.text(base + ".html")
        let csv = try demo.text(base + ".csv")
        for expected in ["Mes progrès — Léa MARTIN", "Bloc B1 — Recevoir et suivre les commandes", "B1.2 — Réceptionner",
                         "Dernière observation le", "Léa s’investit en atelier et progresse vite en réception.",
                         "Réussir l’étiquetage en autonomie", "Référentiels : CAP-EPC version 2019", "Document généré par Acquis le",
                         "Légende : ○ Pas encore"] {
            #expect(pdf.contains(expected), "PDF lacks « \(expected) »")
            #expect(html.contains(expected.replacingOccurrences(of: "’", with: "’")), "HTML lacks « \(expected) »")
        }
        // The method's reason is for the team; the student reads when the level was last seen.
        #expect(!pdf.contains(explanation) && !html.contains(explanation))
        #expect(!pdf.contains("Pas encore observé Pas encore d’observation"), "an empty row says it once")
        #expect(!html.contains("<p class=\"detail\"></p>"), "no empty line under an empty row")
        try demo.run("export", "eleve", Self.lea, "--periode", "T1", "--annee", "2026", "--format", "pdf", "html",
                     "--pour", "equipe", "-o", demo.path("lea-equipe"))
        let team = try Poppler.text(demo.path("lea-equipe/MARTIN_Lea_9000000001A_T1.pdf"))
        #expect(team.contains("Progrès de l’élève — Léa MARTIN") && team.contains(explanation) && !team.contains("Mes progrès"))
        #expect(csv.contains("B1.2;Réceptionner;") && csv.contains(explanation))
        #expect(json["generatedAt"] != nil && referential["version"] as? String == "2019")
        #expect((json["goals"] as! [[String: Any]]).first?["suggested"] as? Bool == false)

        let fonts = try Poppler.run("pdffonts", demo.path(base + ".pdf")).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.contains(" yes yes ") }, "every font embedded as a subset: \(fonts)")
        #expect(!html.contains("<script") && !html.contains("src=\"http"), "the page is self-contained")
    }

    @Test("progress files of a whole class go into a folder, whole files only: exported twice, the files are replaced and no temporary file is left")
    func classBatchToFolder() throws {
        let demo = try DemoSchool()
        for _ in 0..<2 {
            let output = try demo.run("export", "classe", "3SEGPA", "--periode", "annee", "--annee", "2026", "--format", "html", "json",
                                      "-o", demo.path("3segpa"))
            #expect(output.contains("48 fichiers pour 24 élèves"))
        }
        let files = try #require(FileManager.default.enumerator(atPath: demo.path("3segpa"))?.allObjects as? [String])
        #expect(files.filter { $0.hasSuffix(".html") }.count == 24)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 25)
        #expect(!files.contains { $0.hasSuffix(".part") })
        let html = try #require(files.first { $0.hasSuffix(".html") })
        #expect(try String(contentsOfFile: demo.path("3segpa/\(html)"), encoding: .utf8).contains("</html>"))
    }

    @Test("progress files of a whole class go into a ZIP archive, one folder per class, with the JSON schema")
    func classBatchToZIP() throws {
        let demo = try DemoSchool()
        let output = try demo.run("export", "classe", "3SEGPA", "--periode", "annee", "--annee", "2026", "--format", "html", "json",
                                  "-o", demo.path("3segpa.zip"))
        #expect(output.contains("48 fichiers pour 24 élèves"))
        let archive = try Archive(url: URL(fileURLWithPath: demo.path("3segpa.zip")), accessMode: .read)
        let paths = archive.map(\.path)
        #expect(paths.count == 49)
        #expect(paths.contains("progress-file.schema.json"))
        #expect(paths.filter { $0.hasPrefix("3SEGPA/") && $0.hasSuffix(".html") }.count == 24)
        #expect(!FileManager.default.fileExists(atPath: demo.path(".3segpa.zip.part")))
    }

    @Test("JSON progress files are valid against their documented JSON Schema",
          .enabled(if: Validators.available, "validators not installed: Tests/Validators/install.sh"))
    func jsonAgainstSchema() throws {
        let demo = try DemoSchool()
        try demo.run("export", "eleve", Self.lea, "--periode", "T1", "--annee", "2026", "--format", "json", "-o", demo.path("lea.json"))
        try demo.run("export", "eleve", Self.dispensed, "--periode", "annee", "--annee", "2025", "--format", "json",
                     "-o", demo.path("segpa.json"))
        let schema = Fixtures.repositoryRoot.appendingPathComponent("Sources/AcquisExport/Schema/progress-file.schema.json").path
        let checked = try Validators.run("ob3", "check_json_schema.py", [schema, demo.path("lea.json"), demo.path("segpa.json")])
        #expect(checked.status == 0, "\(checked.output)")
    }

    @Test("a class report shows every student on each component, its spread, who progressed and who went quiet")
    func classReport() throws {
        let demo = try DemoSchool()
        try demo.run("export", "bilan-classe", "3A", "--referentiel", "SOCLE-2015", "--periode", "annee", "--annee", "2026",
                     "--format", "csv", "-o", demo.path("3a.csv"))
        let lines = try demo.text("3a.csv").split(separator: "\r\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("Élève;") })
        #expect(header == "Élève;CPD_FRA;CPD_ETR;CPD_SCI;CPD_ART;MET_APP;FRM_CIT;SYS_NAT;REP_MND;Acquises;Progrès sur la période")
        let students = lines.drop { !$0.hasPrefix("Élève;") }.dropFirst().prefix { !$0.hasPrefix("Répartition") }
        #expect(students.count == 24)
        for spread in lines.filter({ $0.hasPrefix("Répartition") }) {
            let counts = spread.split(separator: ";").dropFirst().compactMap { Int($0.split(separator: " ").last!) }
            #expect(counts.reduce(0, +) == 24, "\(spread)")
        }
        try demo.run("export", "bilan-classe", "3A", "--referentiel", "SOCLE-2015", "--periode", "annee", "--annee", "2026",
                     "--format", "html", "-o", demo.path("3a.html"))
        let html = try demo.text("3a.html")
        #expect(html.contains("Bilan de la classe 3A") && html.contains("HOARAU Hugo — dernière observation le"))
        #expect(html.contains("○ Maîtrise insuffisante") && html.contains("<caption>"))
    }

    @Test("the class report PDF prints the matrix with its legend",
          .enabled(if: Poppler.available, "pdftotext missing: apt-get install poppler-utils"))
    func classReportPDF() throws {
        let demo = try DemoSchool()
        try demo.run("export", "bilan-classe", "3SEGPA", "--referentiel", "SOCLE-2015", "--periode", "T1", "--annee", "2026",
                     "--format", "pdf", "-o", demo.path("segpa.pdf"))
        let text = try Poppler.text(demo.path("segpa.pdf"))
        for expected in ["Bilan de la classe 3SEGPA", "★ Très bonne maîtrise", "ANDRÉ Lucas", "Répartition par compétence",
                         "Référentiel : SOCLE-2015 version 2015"] {
            #expect(text.contains(expected), "PDF lacks « \(expected) »")
        }
    }

    @Test("the LSU bilan de cycle is valid against the official schema; dispensed is 0; a missing position names the student")
    func lsu() throws {
        let demo = try DemoSchool()
        try demo.run("export", "lsu", "--classe", "3SEGPA", "--annee", "2026", "--chef-etablissement", "Mme Claire Fontaine",
                     "-o", demo.path("lsu.xml"))
        let xml = try demo.text("lsu.xml")
        #expect(try LSUSchema.validate(xml, name: "lsu.xml").isEmpty)
        #expect(xml.components(separatedBy: "<bilan-cycle ").count - 1 == 24)
        #expect(xml.components(separatedBy: "<domaine ").count - 1 == 24 * 8)
        let dispensed = try #require(xml.range(of: "eleve-ref=\"EL_326\""))
        #expect(xml[dispensed.upperBound...].prefix(600).contains("<domaine code=\"CPD_ETR\" positionnement=\"0\"/>"))
        #expect(!xml.contains("adresse") && !xml.contains("9100000"), "no address, no INE: LSU identifies by SIECLE id")

        let refused = try demo.acquis("export", "lsu", "--classe", "3A", "--annee", "2026", "--chef-etablissement", "Mme Fontaine",
                                      "-o", demo.path("refused.xml"))
        #expect(refused.status == 1)
        #expect(refused.errors.contains("HOARAU Hugo (3A) : pas encore de positionnement pour CPD_ART"))
        #expect(!FileManager.default.fileExists(atPath: demo.path("refused.xml")))
    }

    /// The rows of an LSL Pro export of the demo school, fields split, header left out.
    private func lslRows(_ demo: DemoSchool, division: String, referential: String, period: String) throws -> [[String]] {
        try demo.run("export", "lsl", "--classe", division, "--referentiel", referential, "--periode", period, "--annee", "2026",
                     "-o", demo.path("lsl-\(division).csv"))
        return try demo.text("lsl-\(division).csv").split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("LSL Pro positions put each competency with a level on the four degrees")
    func lsl() throws {
        let rows = try lslRows(DemoSchool(), division: "2CAP-EPC", referential: "CAP-EPC", period: "T1")
        #expect(rows.count > 50)
        #expect(Set(rows.map { $0[9] }).isSubset(of: ["1", "2", "3", "4"]))
        for fields in rows {
            let expected = ["PE": "1", "EC": "2", "A": "3", "M": "4"][String(fields[10])]
            #expect(String(fields[9]) == expected, "\(fields)")
            #expect(fields[6].hasPrefix("RNCP34947BC"), "RNCP block code of \(fields[7])")
        }
    }

    @Test("Bac Pro MCV in LSL Pro: a block without a block code says « non renseigné », never a fiche number")
    func lslBacPro() throws {
        let rows = try lslRows(DemoSchool(), division: "1MCV", referential: "BACPRO-MCV", period: "annee")
        #expect(!rows.isEmpty)
        for fields in rows {
            #expect(fields[6] == "non renseigné" || fields[6].range(of: #"^RNCP[0-9]+BC[0-9]+$"#, options: .regularExpression) != nil,
                    "\(fields[7]): « \(fields[6]) »")
        }
        #expect(!rows.contains { $0[6].isEmpty || $0[6] == "RNCP32208" })
    }

    @Test("a CLR 2.0 gathers the student's badges, signed and verifiable, naming the student only by a hash",
          .enabled(if: Validators.available, "validators not installed: Tests/Validators/install.sh"))
    func learnerRecord() throws {
        let demo = try DemoSchool()
        try demo.run("export", "eleve", Self.lea, "--format", "clr", "--courriel", DemoIssuer.email, "-o", demo.path("lea.clr.jwt"))
        try demo.run("issuer", "export", demo.path("hosted"))
        let keys = demo.path("hosted/openbadges/cles")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasSuffix(".json") })
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(keys)/\(name)"))) as? [String: Any]
        try (document?["publicKeyPem"] as! String).write(toFile: demo.path("key.pem"), atomically: true, encoding: .utf8)
        let schema = "\(Validators.scripts)/schemas/ob_v3p0_achievementcredential_schema.json"
        let checked = try Validators.run("ob3", "check_clr.py", [schema, demo.path("key.pem"), DemoIssuer.email, demo.path("lea.clr.jwt")])
        #expect(checked.status == 0, "\(checked.output)")
        let payload = try demo.text("lea.clr.jwt").split(separator: ".")[1]
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let decoded = String(decoding: Data(base64Encoded: payload + String(repeating: "=", count: (4 - payload.count % 4) % 4)) ?? Data(),
                             as: UTF8.self)
        #expect(decoded.contains("ClrCredential"))
        #expect(!decoded.contains("MARTIN") && !decoded.contains("Léa") && !decoded.contains(Self.lea))
    }
}
