import AcquisApp
import AcquisCore
import AcquisGrading
import AcquisStorage
import AcquisXML
import ArgumentParser
import Foundation

struct ReferentielCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referentiel",
        abstract: "Valider, importer et consulter les référentiels de compétences.",
        subcommands: [Validate.self, Import.self, List.self, Show.self, Policy.self, Adopt.self]
    )
}

extension ReferentialFormat: ExpressibleByArgument {}

extension ReferentielCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vérifie des fichiers de référentiel ou de correspondance sans rien enregistrer.",
            discussion: "Chaque erreur est affichée avec son fichier, sa ligne et sa colonne.")

        @Argument(help: "Fichiers XML à vérifier.")
        var files: [String]

        @Option(help: "Format des fichiers (détecté d’après l’élément racine si absent).")
        var format: ReferentialFormat?

        func run() throws {
            var invalidCount = 0
            for file in files {
                do {
                    if format == nil, CorrespondenceReader.isCorrespondence(path: file) {
                        let read = try CorrespondenceReader.read(path: file).correspondence
                        print("\(file) : correspondance valide (\(read.referentialCode) version \(read.fromVersion) → \(read.toVersion), "
                              + "\(French.counted(read.changes.count, "changement")))")
                        continue
                    }
                    // Counted as they stream by: a national RNCP export must not be held in memory.
                    var referentials = 0, nodes = 0
                    try ReferentialSource(path: file, format: format).forEach { referential in
                        referentials += 1
                        nodes += referential.nodeCount
                    }
                    print("\(file) : valide (\(French.counted(referentials, "référentiel")), \(French.counted(nodes, "nœud")))")
                } catch let invalid as InvalidInput {
                    invalidCount += 1
                    for diagnostic in invalid.diagnostics { Terminal.error(diagnostic.description) }
                }
            }
            if invalidCount > 0 {
                Terminal.error("erreur : \(French.counted(invalidCount, "fichier", "invalide")) sur \(files.count)")
                throw ExitCode.failure
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importe des référentiels dans la base, en une seule transaction.",
            discussion: """
                Si un fichier contient une erreur, rien n’est enregistré, pas même les fichiers précédents. \
                Une nouvelle version d’un référentiel s’ajoute aux précédentes, qui restent consultables. \
                Réimporter la même version à l’identique ne change rien ; la réimporter avec un contenu \
                différent est refusé.

                Une nouvelle version continue la précédente : une compétence qui garde son code garde \
                ses observations. Pour une compétence renommée, scindée, fusionnée ou supprimée, donnez \
                la correspondance publiée avec la version (--correspondance) ; sans elle, une version \
                qui perdrait des compétences déjà évaluées est refusée. Les classes gardent leur version \
                jusqu’à ce que l’établissement les fasse passer à la nouvelle (acquis referentiel adopter).
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Fichiers XML à importer.")
        var files: [String]

        @Option(help: "Format du fichier (détecté d’après l’élément racine si absent).")
        var format: ReferentialFormat?

        @Option(name: .customLong("fiche"), parsing: .upToNextOption,
                help: "Export RNCP : numéros des fiches à importer (RNCP34947 ou 34947). Toutes par défaut.")
        var fiches: [String] = []

        @Option(help: "Échelle des référentiels importés d’un export RNCP ou SACoche (acquis-4 par défaut).")
        var scale: String?

        @Option(help: "SACoche : code du référentiel (obligatoire : l’export ne le contient pas).")
        var code: String?

        @Option(name: [.customLong("titre"), .customLong("title")], help: "SACoche : intitulé du référentiel (obligatoire).")
        var title: String?

        @Option(help: "SACoche : version du référentiel.")
        var version: String = "1"

        @Option(name: .customLong("correspondance"),
                help: "Correspondance entre la version précédente et la version importée (compétences renommées, scindées, fusionnées, supprimées).")
        var correspondence: String?

        func run() async throws {
            try await reportingFailures {
                let correspondence = try self.correspondence.map { try CorrespondenceReader.read(path: $0) }
                var settings = ReferentialSettings(fiches: fiches, code: code, title: title, version: version)
                if let scale { settings.scaleCode = scale }
                let sources = try files.map { file in try ReferentialSource(path: file, format: format, settings: settings) }
                if let sacoche = sources.first(where: { $0.format == .sacoche }), code == nil || title == nil {
                    throw Failure("\(sacoche.name) : un export SACoche ne dit pas de quel référentiel il s’agit : indiquez son code "
                        + "et son intitulé avec --code et --titre (par exemple --code \(sacoche.suggestedCode) --titre \"Vente, seconde\")")
                }
                let (publication, skipped): (Publication, Skipped)
                do {
                    (publication, skipped) = try await database.app().referentials.publish(
                        correspondence: correspondence?.correspondence, by: .console(name: nil)
                    ) { each in
                        var skipped = Skipped()
                        for source in sources {
                            let summary = try source.forEach { try each($0, source.format.rawValue) }
                            skipped.withoutBlocks += summary?.skippedWithoutBlocks.count ?? 0
                            skipped.inactive += summary?.skippedInactive ?? []
                        }
                        return skipped
                    }
                } catch VersionContinuityError.correspondence(let problems) where correspondence != nil {
                    throw InvalidInput(correspondence!.diagnostics(for: problems))
                } catch let VersionContinuityError.correspondenceUnused(wanted) where correspondence != nil {
                    throw InvalidInput(Diagnostic(file: correspondence!.name, line: 1, field: "to",
                        message: "la correspondance mène à \(wanted.referentialCode) version \(wanted.toVersion), "
                            + "qu’aucun des fichiers importés ne contient"))
                }
                print(ImportReport(publication: publication, skipped: skipped).text)
            }
        }
    }

    /// What readers of foreign formats left out.
    struct Skipped: Sendable {
        var withoutBlocks = 0
        var inactive: [String] = []
    }

    /// What an import did, in a few lines.
    struct ImportReport {
        let publication: Publication
        let skipped: Skipped

        var text: String {
            let named = publication.firstInserted.map { referential in
                "importé : \(referential.code) version \(referential.version) — \(referential.title) "
                    + "(\(referential.nodeCount) nœuds, \(referential.evaluableNodes.count) évaluables)"
            }
            var result = publication.inserted <= named.count ? named
                : ["importés : \(publication.inserted) référentiels, \(publication.nodes) nœuds"]
            if publication.inserted == 0 { result = ["aucun nouveau référentiel"] }
            if publication.unchanged > 0 { result.append("déjà présents à l’identique : \(publication.unchanged)") }
            if skipped.withoutBlocks > 0 { result.append("fiches sans bloc de compétences, ignorées : \(skipped.withoutBlocks)") }
            let inactive = skipped.inactive
            if !inactive.isEmpty {
                result.append("fiches inactives (ACTIF = Non), ignorées : \(inactive.prefix(10).joined(separator: ", "))"
                              + (inactive.count > 10 ? " et \(inactive.count - 10) autres" : "")
                              + " ; nommez-les avec --fiche pour les importer quand même")
            }
            return result.joined(separator: "\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les référentiels enregistrés et leurs versions.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let summaries = try await database.app().referentials.summaries()
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

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Affiche l’arbre d’un référentiel avec ses codes.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Code du référentiel, par exemple CAP-EPC.")
        var code: String

        @Option(help: "Version à afficher (la plus récente par défaut).")
        var version: String?

        func run() async throws {
            try await reportingFailures {
                let referential = try await database.app().referentials.referential(code: code, version: version)
                print(ReferentialTreeText(referential).rendered)
            }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "methode",
            abstract: "Choisit comment un référentiel calcule les niveaux et agrège les blocs, puis recalcule.",
            discussion: "Calculs : \(MasteryMethod.catalogue). Agrégations : \(RollUpRule.catalogue).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Code du référentiel.")
        var code: String

        @Option(help: "Version (la plus récente par défaut).")
        var version: String?

        @Option(name: .customLong("calcul"), help: "Méthode de calcul du niveau d’une compétence.")
        var method: MasteryMethod?

        @Option(name: .customLong("agregation"), help: "Règle d’agrégation des blocs et domaines.")
        var rollUp: RollUpRule?

        func run() async throws {
            try await reportingFailures {
                let (target, recomputed) = try await database.app().referentials.setMethod(
                    code: code, version: version, method: method, rollUp: rollUp, by: .console(name: nil))
                print("\(target.referential.code) version \(target.referential.version) : calcul \(target.policy.method), "
                      + "agrégation \(target.rollUpRule)")
                if let recomputed { print(recomputed.summary) }
            }
        }
    }
}

extension ReferentielCommand {
    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopter",
            abstract: "Fait passer une classe ou un groupe à une version d’un référentiel.",
            discussion: """
                La grille de la classe montre alors cette version, et les évaluations y sont enregistrées. \
                Les observations faites avec les versions précédentes continuent de compter.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Code du référentiel.")
        var code: String

        @Option(help: "Version à adopter.")
        var version: String

        @Option(name: .customLong("classe"), parsing: .upToNextOption, help: "Classes ou groupes concernés.")
        var divisions: [String]

        func run() async throws {
            try await reportingFailures {
                guard !divisions.isEmpty else { throw Failure("indiquez au moins une classe avec --classe") }
                try await database.app().referentials.adopt(code: code, version: version, divisions: divisions, uai: school.uai,
                                                            year: school.resolvedYear, by: .console(name: nil))
                print("\(divisions.joined(separator: ", ")) : \(code) version \(version)")
            }
        }
    }
}

extension MasteryMethod: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension RollUpRule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
