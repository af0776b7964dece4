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
