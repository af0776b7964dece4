import AcquisApp
import AcquisCore
import AcquisCSV
import AcquisGrading
import AcquisStorage
import ArgumentParser
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Enregistrer, importer, corriger et retirer des évaluations.",
        subcommands: [Record.self, Import.self, ExportGrid.self, Correct.self, Withdraw.self, History.self, Recompute.self]
    )
}

/// Where and by whom an observation was made, shared by the commands that record.
struct ObservationOptions: ParsableArguments {
    @Option(help: "Jour de l’observation (aaaa-mm-jj ou jj/mm/aaaa ; aujourd’hui par défaut).")
    var date: CalendarDate?

    @Option(name: .customLong("contexte"), help: "Contexte : \(EvaluationContext.kindNames).")
    var context: String = "classe"

    @Option(name: .customLong("entreprise"), help: "PFMP : entreprise d’accueil.")
    var company: String?

    @Option(name: .customLong("tuteur"), help: "PFMP : nom du tuteur.")
    var tutor: String?

    @Option(name: .customLong("evaluateur"), help: "Qui a observé (identifiant de l’enseignant, nom du tuteur).")
    var evaluator: String?

    func resolvedContext() throws -> EvaluationContext {
        guard let context = EvaluationContext(kindName: context, company: company, tutor: tutor) else {
            throw Failure("contexte « \(context) » inconnu ; attendu : \(EvaluationContext.kindNames)")
        }
        return context
    }
}

extension EvalCommand {
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enregistre une évaluation et met à jour le niveau de l’élève.",
            discussion: "Avec --contexte auto, c’est une auto-évaluation : montrée à côté du niveau, jamais comptée dedans.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("eleve"), help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        @OptionGroup var referential: ReferentialOptions

        @Option(name: .customLong("competence"), help: "Code de la compétence.")
        var competency: String

        @Option(name: .customLong("niveau"), help: "Code du niveau ou code spécial (ABS, DI, NE, NR).")
        var level: String

        @OptionGroup var observation: ObservationOptions

        @Option(name: .customLong("commentaire"), help: "Commentaire pour l’élève.")
        var comment: String?

        @Option(name: .customLong("preuve"), help: "Lien ou fichier qui montre le travail.")
        var evidence: String?

        @Flag(name: .customLong("decision"), help: "Décision de l’enseignant : fixe le niveau, quelles que soient les observations.")
        var isOverride = false

        func run() async throws {
            try await reportingFailures {
                let entry = EvaluationEntry(
                    student: student, referentialCode: referential.code, referentialVersion: referential.version,
                    competencyCode: competency,
                    code: level, observedOn: observation.date ?? .today, context: try observation.resolvedContext(),
                    evaluator: observation.evaluator, comment: comment, evidence: evidence, isOverride: isOverride)
                let recorded = try await database.app().evaluations.record(entry, by: .console(name: observation.evaluator))
                print("évaluation n° \(recorded.id) enregistrée")
                print("\(competency) : \(recorded.mastery.explanation)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importe des évaluations d’un fichier CSV (une par ligne, ou grille de classe remplie).",
            discussion: """
                Tout le fichier est vérifié ; à la moindre erreur, rien n’est enregistré et chaque erreur est \
                affichée avec sa ligne et sa colonne. Une ligne identique à une évaluation déjà enregistrée \
                (même élève, compétence, jour, niveau, contexte et évaluateur) n’est pas enregistrée deux fois. \
                Une grille (acquis eval export-grid) demande --referentiel et --date.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Fichier CSV.")
        var file: String

        @Option(name: .customLong("referentiel"), help: "Référentiel des lignes qui n’en donnent pas.")
        var referential: String?

        @Option(help: "Version du référentiel (la plus récente par défaut).")
        var version: String?

        @OptionGroup var observation: ObservationOptions

        @Flag(name: .customLong("detail"), help: "Affiche le compte rendu de chaque ligne, même pour un gros fichier.")
        var detailed = false

        func run() async throws {
            try await reportingFailures {
                let defaults = EvaluationDefaults(referentialCode: referential, referentialVersion: version,
                                                  observedOn: observation.date, context: try observation.resolvedContext(),
                                                  evaluator: observation.evaluator)
                let imported = try await database.app().evaluations.importFile(
                    path: file, defaults: defaults, recordedBy: observation.evaluator, detailLimit: detailed ? .max : 40,
                    by: .console(name: observation.evaluator))
                print(LineReport(imported).text)
                let summary = imported.summary
                print("\(French.counted(summary.recorded, "évaluation", "enregistrée")), "
                      + "\(summary.duplicates) déjà \(summary.duplicates > 1 ? "présentes" : "présente") ; "
                      + "\(French.counted(summary.masteries, "niveau", "recalculé"))")

            }
        }

    }

    /// « ligne 3 : 4 enregistrées » for each line the import describes.
    struct LineReport {
        let imported: EvaluationFileImport

        init(_ imported: EvaluationFileImport) {
            self.imported = imported
        }

        var text: String {
            var text = imported.lines.map { entry in
                var parts: [String] = []
                if entry.recorded > 0 { parts.append(French.counted(entry.recorded, "enregistrée")) }
                if entry.duplicates > 0 { parts.append("\(entry.duplicates) déjà \(entry.duplicates > 1 ? "présentes" : "présente")") }
                return "ligne \(entry.line) : " + parts.joined(separator: ", ")
            }
            if imported.moreLines > 0 {
                text.append("… et \(French.counted(imported.moreLines, "autre évaluation")) sur les lignes suivantes (--detail pour tout voir)")
            }
            return text.joined(separator: "\n")
        }
    }

    struct ExportGrid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-grid",
            abstract: "Écrit la grille CSV d’une classe pour un ensemble de compétences, à remplir hors ligne.",
            discussion: """
                Une ligne par élève, une colonne par compétence ; la deuxième ligne donne les intitulés. \
                Remplissez les cases avec les codes de niveau, puis : \
                acquis eval import GRILLE.csv --referentiel CODE --date JJ/MM/AAAA.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("classe"), help: "Code de la classe ou du groupe.")
        var division: String

        @OptionGroup var referential: ReferentialOptions

        @Option(name: .customLong("competences"), parsing: .upToNextOption,
                help: "Codes des compétences, ou d’un bloc pour toutes ses compétences (toutes par défaut).")
        var codes: [String] = []

        @Option(name: .customLong("sortie"), help: "Fichier à écrire (la sortie standard par défaut).")
        var output: String?

        func run() async throws {
            try await reportingFailures {
                let (students, target) = try await database.app(year: school.resolvedYear).classes.gridTemplate(
                    division, referential: referential.code, version: referential.version, uai: school.uai, by: .console(name: nil))
                let columns = try Self.columns(codes, in: target.referential)
                let text = GridCSV().write(students: students.map(\.student), competencies: columns)
                if let output {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                    print("\(output) : \(students.count) élèves × \(columns.count) compétences")
                } else {
                    print(text, terminator: "")
                }
            }
        }

        static func columns(_ codes: [String], in referential: Referential) throws -> [GridCSV.Column] {
            let nodes = try codes.isEmpty ? referential.evaluableNodes : codes.flatMap { code -> [ReferentialNode] in
                guard let node = referential.node(code: code) else {
                    throw Failure("aucun nœud \(code) dans \(referential.code) ; `acquis referentiel show \(referential.code)` en donne la liste")
                }
                return node.isEvaluable ? [node] : node.evaluableSubtree
            }
            return nodes.map { GridCSV.Column(code: $0.code, title: $0.title) }
        }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "corriger",
            abstract: "Corrige une évaluation ; la version précédente reste dans son historique.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Numéro de l’évaluation.")
        var id: Int64

        @Option(name: .customLong("niveau")) var level: String?
        @Option var date: CalendarDate?
        @Option(name: .customLong("commentaire")) var comment: String?
        @Option(name: .customLong("preuve")) var evidence: String?

        @Option(name: .customLong("par"), help: "Qui corrige.")
        var author: String

        @Option(name: .customLong("motif"), help: "Pourquoi.")
        var reason: String?

        func run() async throws {
            try await reportingFailures {
                guard level != nil || date != nil || comment != nil || evidence != nil else {
                    throw Failure("indiquez ce qui change : --niveau, --date, --commentaire ou --preuve")
                }
                let correction = EvaluationCorrection(code: level, observedOn: date, comment: comment, evidence: evidence)
                let changed = try await database.app().evaluations.correct(id, with: correction, reason: reason,
                                                                           by: .console(name: author))
                print(changed ? "évaluation n° \(id) corrigée" : "évaluation n° \(id) inchangée : elle a déjà ces valeurs")
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retirer",
            abstract: "Retire une évaluation des calculs ; elle reste visible dans l’historique.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Numéro de l’évaluation.")
        var id: Int64

        @Option(name: .customLong("par"), help: "Qui retire.")
        var author: String

        @Option(name: .customLong("motif"), help: "Pourquoi.")
        var reason: String

        func run() async throws {
            try await reportingFailures {
                try await database.app().evaluations.withdraw(id, reason: reason, by: .console(name: author))
                print("évaluation n° \(id) retirée")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "historique", abstract: "Montre les corrections et retraits d’une évaluation.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Numéro de l’évaluation.")
        var id: Int64

        func run() async throws {
            try await reportingFailures {
                let changes = try await database.app().evaluations.history(of: id, by: .console(name: nil))
                guard !changes.isEmpty else {
                    print("évaluation n° \(id) : jamais modifiée")
                    return
                }
                for change in changes {
                    var line = "\(change.changedAt.formatted(.iso8601)) \(change.changedBy) : \(change.after.differences(from: change.before))"
                    if let reason = change.reason { line += " — \(reason)" }
                    print(line)
                }
            }
        }
    }

    struct Recompute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recalculer", abstract: "Recalcule tous les niveaux à partir des évaluations.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let recomputed = try await database.app().evaluations.recomputeAll(by: .console(name: nil))
                print(recomputed.summary)
            }
        }
    }
}
