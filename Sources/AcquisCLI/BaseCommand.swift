import AcquisEngines
import AcquisExport
import AcquisOpenBadges
import AcquisStorage
import ArgumentParser
import Foundation

/// The database itself: backups, and a school's file moving into an académie's database.
struct BaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base",
        abstract: "La base de données elle-même : sauvegarde, copie vers la base d’une académie.",
        subcommands: [Backup.self, Copy.self])

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

extension BaseCommand {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copier",
            abstract: "Copie la base SQLite d’un établissement dans la base PostgreSQL d’une académie.",
            discussion: """
                Chaque établissement est copié en une transaction : entièrement, ou pas du tout. Les référentiels \
                déjà présents dans la destination (même code, même version) sont partagés, s’ils sont identiques ; \
                un établissement de même UAI n’est complété que s’il n’a encore ni élèves ni classes. Un identifiant \
                de connexion ou un INE déjà pris dans la destination est refusé. Les sessions, les comptes \
                d’inspection et d’académie et les brouillons de référentiels ne sont pas copiés. \
                Les clés privées de signature sont des fichiers : --cles-vers les copie aussi.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions

        @Option(name: .customLong("vers"), help: "Base de destination (postgres://UTILISATEUR@HÔTE:PORT/BASE).")
        var destination: String

        @Option(name: .customLong("uai"), help: "Ne copier que cet établissement (par défaut : tous ceux de la base).")
        var uai: String?

        @Option(name: .customLong("cles-vers"), help: "Dossier des clés privées de la destination, où copier celles de l’établissement.")
        var keysDestination: String?

        func run() throws {
            try reportingFailures {
                guard !destination.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw Failure("--vers : indiquez la base de destination (postgres://UTILISATEUR@HÔTE:PORT/BASE)")
                }
                let target: StorageLocation
                do {
                    target = try StorageLocation(destination)
                } catch {
                    throw Failure("\(error)")
                }
                let reports: [SchoolCopyReport]
                do {
                    reports = try database.location.copySchools(to: target, uai: uai)
                } catch let refusal as SchoolCopyRefusal {
                    throw Failure("\(refusal)")
                } catch let failure as Failure {
                    throw failure
                } catch {
                    throw Failure("copie impossible vers \(target) : \(error)")
                }
                for report in reports { print(Self.summary(of: report, into: target)) }
                try copyKeys(reports.flatMap(\.signingKeys))
            }
        }

        /// What was copied, in a few lines.
        static func summary(of report: SchoolCopyReport, into target: StorageLocation) -> String {
            var lines = ["\(report.uai)\(report.name.map { ", \($0)" } ?? "") : "
                + FrenchText.amount(report.totalRows, "ligne copiée", "lignes copiées") + " dans \(target)"
                + (report.mergedIntoExistingSchool ? ", dans l’établissement qui l’attendait" : "")]
            for (label, tables) in Self.contents {
                let count = tables.reduce(0) { $0 + (report.rows[$1] ?? 0) }
                if count > 0 { lines.append("  \(label) : \(FrenchText.number(count))") }
            }
            let named = Set(Self.contents.flatMap(\.tables))
            let others = report.rows.filter { !named.contains($0.key) }.values.reduce(0, +)
            if others > 0 { lines.append("  autres données (profil d’émetteur, réglages, historiques…) : \(FrenchText.number(others))") }
            if !report.referentialsShared.isEmpty {
                lines.append("  Référentiels déjà présents, partagés : \(report.referentialsShared.joined(separator: ", "))")
            }
            if !report.referentialsAdded.isEmpty {
                lines.append("  Référentiels ajoutés : \(report.referentialsAdded.joined(separator: ", "))")
            }
            if !report.accountsLeft.isEmpty {
                lines.append("  Comptes sans établissement non copiés (inspection, académie) : \(report.accountsLeft.joined(separator: ", "))")
            }
            return lines.joined(separator: "\n")
        }

        /// What the copied rows are, as a school's team names them.
        static let contents: [(label: String, tables: [String])] = [
            ("élèves", ["student"]), ("classes et groupes", ["division"]), ("inscriptions", ["enrollment"]),
            ("enseignants", ["teacher"]), ("comptes", ["account"]), ("évaluations", ["evaluation"]),
            ("niveaux calculés", ["mastery"]), ("badges décernés", ["badgeAward"]), ("badges définis", ["badgeClass"]),
            ("compétences des référentiels ajoutés", ["referentialNode"]),
        ]

        /// Copies the private keys the copied schools sign with, or says which to copy.
        func copyKeys(_ ids: [String]) throws {
            guard !ids.isEmpty else { return }
            guard let keysDestination else {
                print("Clés privées à copier dans le dossier des clés de l’académie (ou relancez avec --cles-vers) : "
                      + ids.map { "\($0).pem" }.joined(separator: ", "))
                return
            }
            let source = keys.directory(database: database), destination = KeyDirectory(path: keysDestination)
            do {
                for id in ids { try source.copyKey(id, to: destination) }
            } catch {
                throw Failure("\(error)")
            }
            print("Clés privées copiées dans \(keysDestination) : \(ids.count)")
        }
    }
}
