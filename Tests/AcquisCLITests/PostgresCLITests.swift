import AcquisDemoSupport
import AcquisTestSupport
import Foundation
import Testing

/// `acquis` on an académie's PostgreSQL: the same commands, and one French line when the
/// server cannot be used.
@Suite("The command line on PostgreSQL", .enabled(if: PostgresTestDatabase.enabled))
struct PostgresCLITests {
    @Test("every command reads and writes the PostgreSQL database ACQUIS_DB names")
    func commands() throws {
        let acquis = AcquisBinary(database: try PostgresTestDatabase.address())
        let imported = try acquis("referentiel", "import", Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path)
        #expect(imported.status == 0, "\(imported.errors)")
        let list = try acquis("referentiel", "list")
        #expect(list.status == 0 && list.output.contains("CAP-EPC"), "\(list.errors)")
        // A second process reads what the first wrote.
        let again = AcquisBinary(database: acquis.database)
        #expect(try again("referentiel", "show", "CAP-EPC").output.contains("B1.1"))
    }

    @Test("a wrong password, an unknown database or a server that does not answer: one French line, exit 1, no password shown")
    func unusableServer() throws {
        let server = try #require(PostgresServer.shared)
        let closedPort = try PostgresServer.unusedPort()
        for (address, expected) in [
            (server.address(database: "postgres", password: "pas-le-bon"), "refuse cet utilisateur ou ce mot de passe"),
            (server.address(database: "aucune_base"), "n’existe pas"),
            ("postgres://acquis:pas-le-bon@127.0.0.1:\(closedPort)/acquis", "ne répond pas"),
            ("postgres://127.0.0.1/acquis", "adresse PostgreSQL"),
        ] {
            let run = try AcquisBinary(database: address)("referentiel", "list")
            #expect(run.status == 1, "\(address)")
            let lines = run.errors.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(expected), "\(run.errors)")
            #expect(!run.errors.contains("pas-le-bon") && !run.errors.contains(PostgresServer.password))
            #expect(run.output.isEmpty)
        }
    }
}

/// `acquis base sauvegarder`: a consistent copy of a school's SQLite database, never over a file.
@Suite("Backing up the database")
struct BackupCLITests {
    @Test("the backup opens as the database it copies; an existing file is never replaced; PostgreSQL points to pg_dump")
    func backup() throws {
        let acquis = AcquisBinary()
        #expect(try acquis("referentiel", "import", Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path).status == 0)
        let file = Fixtures.folder.appendingPathComponent("sauvegarde-\(UUID().uuidString).sqlite").path
        let saved = try acquis("base", "sauvegarder", file)
        #expect(saved.status == 0 && saved.output.contains("Sauvegarde écrite"), "\(saved.errors)")
        let restored = AcquisBinary(database: file)
        #expect(try restored("referentiel", "list").output.contains("CAP-EPC"))

        let again = try acquis("base", "sauvegarder", file)
        #expect(again.status == 1 && again.errors.contains("existe déjà"))
        #expect(try restored("referentiel", "list").output.contains("CAP-EPC"), "the existing file is untouched")

        let none = try AcquisBinary(database: Fixtures.folder.appendingPathComponent("absente.sqlite").path)("base", "sauvegarder", file + "-2")
        #expect(none.status == 1 && none.errors.contains("aucune base à sauvegarder"))
        let postgres = try AcquisBinary(database: "postgres://acquis@127.0.0.1:1/academie")("base", "sauvegarder", file + "-3")
        #expect(postgres.status == 1 && postgres.errors.contains("pg_dump"))
        #expect(!FileManager.default.fileExists(atPath: file + "-2") && !FileManager.default.fileExists(atPath: file + "-3"))
    }
}

/// An import killed half-way (`kill -9`) leaves the académie's database as it was: the whole
/// file is one transaction, which the server rolls back when its client disappears.
@Suite("An import killed half-way on PostgreSQL", .enabled(if: PostgresTestDatabase.enabled))
struct KilledImportTests {
    @Test("kill -9 during an import keeps nothing of it: the same file imported again records every row, none « already there »")
    func killed() async throws {
        let acquis = AcquisBinary(database: try PostgresTestDatabase.address())
        #expect(try acquis("referentiel", "import", Fixtures.repositoryRoot.appendingPathComponent("Referentiels/cap-equipier-polyvalent-commerce.xml").path).status == 0)
        var students = "INE;Nom;Prénom;Classe\n", evaluations = "INE;Référentiel;Compétence;Niveau;Date;Contexte;Évaluateur\n"
        let competencies = ["B1.1", "B1.2", "B1.3", "B1.4", "B2.1", "B2.2", "B2.3", "B3.1", "B3.2"]
        for n in 0..<100 {
            let ine = String(format: "%010dK", 9_100_000_000 + n)
            students += "\(ine);ELEVE\(n);Prénom\(n);2CAP\n"
            for k in 0..<300 {
                evaluations += "\(ine);CAP-EPC;\(competencies[k % 9]);\(["PE", "EC", "A", "M"][k % 4]);\(String(format: "2026-%02d-%02d", 9 + k % 3, 10 + k % 18));classe;prof\(k)\n"
            }
        }
        let studentFile = Fixtures.file(students, named: "eleves-\(UUID().uuidString).csv")
        let file = Fixtures.file(evaluations, named: "evaluations-\(UUID().uuidString).csv")
        #expect(try acquis("eleves", "import", studentFile, "--uai", "0000000X").status == 0)

        // Killed once the server sees it writing rows: mid-import, before its commit. Rows go
        // by COPY, a batch at a time; the transaction stays open until the masteries are written.
        let (inserting, seen) = try await acquis.killed(["eval", "import", file]) { query in
            query.hasPrefix("INSERT INTO evaluation") || query.hasPrefix(#"COPY "acquis_copy_evaluation""#)
        }
        #expect(inserting, "the kill lands while the import inserts: \(seen.suffix(6))")

        let again = try acquis("eval", "import", file)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("30000 évaluations enregistrées, 0 déjà présente"), "\(again.output.suffix(200))")
    }
}

/// `acquis base copier`: a school's SQLite file into the académie's PostgreSQL, as a DANE's
/// operator runs it.
@Suite("Copying a school into an académie's PostgreSQL", .enabled(if: PostgresTestDatabase.enabled))
struct SchoolCopyCLITests {
    @Test("the demo school is copied with its signing key; the académie prints the same bilans; a second copy is refused in one line")
    func copy() async throws {
        let demo = try await DemoDatabase.copy()
        let school = AcquisBinary(database: demo.path), academy = AcquisBinary(database: try PostgresTestDatabase.address())
        let keys = Fixtures.folder.appendingPathComponent("cles-academie-\(UUID().uuidString)").path
        let copied = try school("base", "copier", "--vers", academy.database, "--cles", demo.keys, "--cles-vers", keys)
        #expect(copied.status == 0, "\(copied.errors)")
        #expect(copied.output.contains("0579999Z, ") && copied.output.contains("lignes copiées dans postgres://"), "\(copied.output)")
        #expect(copied.output.contains("  évaluations : 2\u{202F}980") && copied.output.contains("  élèves : 72"), "\(copied.output)")
        #expect(copied.output.contains("Comptes sans établissement non copiés (inspection, académie) : inspection, academie"))
        #expect(copied.output.contains("Clés privées copiées dans \(keys) : 1"))
        #expect(!copied.output.contains(PostgresServer.password))
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: keys)
        #expect(keyFiles.count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: "\(keys)/\(keyFiles[0])")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        for ine in ["9000000001A", "9000000002B"] {
            let arguments = ["bilan", "eleve", ine, "--referentiel", "CAP-EPC", "--au", "2026-12-02"]
            let here = try school(arguments), there = try academy(arguments)
            #expect(here.status == 0 && !here.output.isEmpty, "\(here.errors)")
            #expect(there.output == here.output, "\(there.errors)")
        }

        let again = try school("base", "copier", "--vers", academy.database)
        #expect(again.status == 1 && again.errors.split(separator: "\n").count == 1, "\(again.errors)")
        #expect(again.errors.contains("0579999Z non copié") && again.errors.contains("déjà dans la base de destination"))

        let missing = try AcquisBinary(database: demo.path + "-absente")("base", "copier", "--vers", academy.database)
        #expect(missing.status == 1 && missing.errors.contains("aucune base à copier"))
        let unknown = try school("base", "copier", "--vers", academy.database, "--uai", "0000000X")
        #expect(unknown.status == 1 && unknown.errors.contains("aucun établissement 0000000X"))
        let empty = try school("base", "copier", "--vers", "")
        #expect(empty.status == 1 && empty.errors.contains("indiquez la base de destination"), "\(empty.errors)")
        let binary = Fixtures.file(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }, named: "binaire-\(UUID().uuidString).sqlite")
        let unreadable = try AcquisBinary(database: binary)("base", "copier", "--vers", academy.database)
        #expect(unreadable.status == 1 && unreadable.errors.contains("n’est pas une base SQLite d’Acquis lisible"), "\(unreadable.errors)")
    }

    @Test("kill -9 in the middle of a copy leaves the académie's database as it was; the same copy then succeeds")
    func killedCopy() async throws {
        let demo = try await DemoDatabase.copy()
        let academy = AcquisBinary(database: try PostgresTestDatabase.address())
        let server = try #require(PostgresServer.shared)
        let database = String(academy.database.split(separator: "/").last!)
        // The académie's database exists, its schema made: only the copy runs when the kill lands.
        #expect(try academy("referentiel", "list").status == 0)
        // Killed once the server sees rows arriving after the school's own row (referentials,
        // students, evaluations…): all of them in the one transaction of the school.
        let (copying, seen) = try await academy.killed(["base", "copier", "--db", demo.path, "--vers", academy.database]) { query in
            (query.hasPrefix(#"COPY "acquis_copy_"#) || query.hasPrefix("INSERT INTO") || query.hasPrefix("SELECT nextval"))
                && !query.contains("school")
        }
        #expect(copying, "the kill lands while the copy writes: \(seen.suffix(6))")
        for table in ["school", "student", "referential", "evaluation", "account"] {
            #expect(try server.query("SELECT COUNT(*) FROM \(table)", database: database) == ["0"], "\(table)")
        }
        let again = try AcquisBinary(database: demo.path)("base", "copier", "--vers", academy.database)
        #expect(again.status == 0, "\(again.errors)")
        #expect(try server.query("SELECT COUNT(*) FROM evaluation", database: database) == ["2980"])
    }
}

extension AcquisBinary {
    /// Runs `acquis` with `arguments` on this PostgreSQL database and kills it (`kill -9`) as
    /// soon as the server runs a statement of it that `matches`; returns whether that happened
    /// and the statements seen before. The watch runs on a thread of its own, so that tests busy
    /// elsewhere cannot delay it.
    func killed(_ arguments: [String], when matches: @escaping @Sendable (String) -> Bool) async throws -> (killed: Bool, seen: [String]) {
        let server = try #require(PostgresServer.shared)
        let name = String(database.split(separator: "/").last!)
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["ACQUIS_DB": database, "ACQUIS_KEYS": keys]) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<(Bool, [String]), Never>) in
            Thread.detachNewThread {
                var killed = false, seen: [String] = []
                while !killed && process.isRunning {
                    let queries = (try? server.query("SELECT left(query, 40) FROM pg_stat_activity WHERE datname = '\(name)'",
                                                     database: "postgres")) ?? []
                    seen.append(contentsOf: queries.prefix(1))
                    killed = queries.contains(where: matches)
                    if killed { kill(process.processIdentifier, SIGKILL) } else { usleep(2_000) }
                }
                continuation.resume(returning: (killed, seen))
            }
        }
        process.waitUntilExit()
        return outcome
    }
}
