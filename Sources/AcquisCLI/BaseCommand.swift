import AcquisEngines
import ArgumentParser
import Foundation

/// The database itself: backups.
struct BaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base",
        abstract: "La base de données elle-même : sauvegarde.",
        subcommands: [Backup.self])

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sauvegarder",
            abstract: "Copie la base SQLite dans un nouveau fichier, même pendant qu’elle sert.",
            discussion: """
                La copie est cohérente (sauvegarde en ligne de SQLite) et ne remplace jamais un fichier existant. \\
                Pour la restaurer, arrêtez Acquis et remettez le fichier à la place de la base (ou donnez-le à --db). \\
                Une base PostgreSQL se sauvegarde avec pg_dump.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Fichier de la sauvegarde (il ne doit pas exister).")
        var file: String

        func run() throws {
            try reportingFailures {
                do {
                    try database.location.backup(to: file)
                } catch let failure as Failure {
                    throw failure
                } catch {
                    throw Failure("\(error)")
                }
                print("Sauvegarde écrite : \(file)")
            }
        }
    }
}
