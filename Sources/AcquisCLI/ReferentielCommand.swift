import AcquisCore
import AcquisStore
import AcquisXML
import ArgumentParser
import Foundation

struct ReferentielCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referentiel",
        abstract: "Valider, importer et consulter les référentiels de compétences.",
        subcommands: [Validate.self, Import.self, List.self, Show.self]
    )
}

extension ReferentialFormat: ExpressibleByArgument {}

extension ReferentielCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vérifie des fichiers de référentiel sans rien enregistrer.",
            discussion: "Chaque erreur est affichée avec son fichier, sa ligne et sa colonne.")

        @Argument(help: "Fichiers XML à vérifier.")
        var files: [String]

        @Option(help: "Format des fichiers (détecté d’après l’élément racine si absent).")
        var format: ReferentialFormat?

        func run() throws {
            var invalidCount = 0
            for file in files {
                do {
                    // Counted as they stream by: a national RNCP export must not be held in memory.
                    var referentials = 0, nodes = 0
                    try ReferentialFile(path: file, format: format).forEach { referential in
                        referentials += 1
                        nodes += referential.nodeCount
                    }
                    print("\(file) : valide (\(referentials) référentiel(s), \(nodes) nœuds)")
                } catch let invalid as InvalidInput {
                    invalidCount += 1
                    for diagnostic in invalid.diagnostics { Terminal.error(diagnostic.description) }
                }
            }
            if invalidCount > 0 {
                Terminal.error("erreur : \(invalidCount) fichier(s) invalide(s) sur \(files.count)")
                throw ExitCode.failure
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importe un référentiel dans la base, en une seule transaction.",
            discussion: """
                Une nouvelle version d’un référentiel s’ajoute aux précédentes, qui restent consultables. \
                Réimporter la même version à l’identique ne change rien ; la réimporter avec un contenu \
                différent est refusé.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Fichier XML à importer.")
        var file: String

        @Option(help: "Format du fichier (détecté d’après l’élément racine si absent).")
        var format: ReferentialFormat?

        @Option(name: .customLong("fiche"), parsing: .upToNextOption,
                help: "Export RNCP : numéro(s) des fiches à importer (RNCP34947 ou 34947). Toutes par défaut.")
        var fiches: [String] = []

        @Option(help: "Échelle des référentiels importés d’un export RNCP ou SACoche (acquis-4 par défaut).")
        var scale: String?

        @Option(help: "SACoche : code du référentiel (par défaut, le nom du fichier).")
        var code: String?

        @Option(help: "SACoche : intitulé du référentiel (par défaut, le code).")
        var title: String?

        @Option(help: "SACoche : version du référentiel.")
        var version: String = "1"

        func run() throws {
            try reportingFailures {
                var source = try ReferentialFile(path: file, format: format)
                source.fiches = fiches
                if let scale { source.scaleCode = scale }
                source.sacocheCode = code
                source.sacocheTitle = title
                source.sacocheVersion = version
                let db = try database.open()
                let store = ReferentialStore()
                var inserted: [Referential] = []
                var unchanged = 0
                let summary = try db.writer.write { db in
                    try source.forEach { referential in
                        switch try store.save(referential, format: source.format.rawValue, in: db) {
                        case .inserted: inserted.append(referential)
                        case .unchanged: unchanged += 1
                        }
                    }
                }
                report(inserted: inserted, unchanged: unchanged, skipped: summary?.skippedWithoutBlocks ?? [])
            }
        }

        private func report(inserted: [Referential], unchanged: Int, skipped: [String]) {
            if inserted.count <= 20 {
                for referential in inserted {
                    print("importé : \(referential.code) version \(referential.version) — \(referential.title) "
                          + "(\(referential.nodeCount) nœuds, \(referential.evaluableNodes.count) évaluables)")
                }
            } else {
                let nodes = inserted.map(\.nodeCount).reduce(0, +)
                print("importés : \(inserted.count) référentiels, \(nodes) nœuds")
            }
            if unchanged > 0 { print("déjà présents à l’identique : \(unchanged)") }
            if !skipped.isEmpty { print("fiches sans bloc de compétences, ignorées : \(skipped.count)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les référentiels enregistrés et leurs versions.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingFailures {
                let summaries = try database.open().writer.read { try ReferentialStore().summaries(in: $0) }
                if summaries.isEmpty {
                    print("Aucun référentiel. Importez-en un : acquis referentiel import FICHIER.xml")
                    return
                }
                for summary in summaries {
                    print("\(summary.code)\tversion \(summary.version)\t\(summary.kind)\t\(summary.scaleCode)\t"
                          + "\(summary.evaluableCount)/\(summary.nodeCount) évaluables\t\(summary.title)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Affiche l’arbre d’un référentiel avec ses codes.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Code du référentiel, par exemple CAP-EPC.")
        var code: String

        @Option(help: "Version à afficher (la plus récente par défaut).")
        var version: String?

        func run() throws {
            try reportingFailures {
                let referential = try database.open().writer.read {
                    try ReferentialStore().referential(code: code, version: version, in: $0)
                }
                print(ReferentialTreeText(referential).rendered)
            }
        }
    }
}
