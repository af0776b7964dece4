import AcquisExport
import AcquisReports
import AcquisApp
import AcquisCore
import AcquisGrading
import AcquisStorage
import ArgumentParser
import Foundation

struct BilanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilan",
        abstract: "Niveaux d’un élève ou d’une classe, avec leurs explications.",
        subcommands: [Student.self, Division.self, SynthesisCommand.self]
    )
}

extension BilanCommand {
    struct Student: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eleve",
            abstract: "Bilan d’un élève sur un référentiel : niveau et raison de chaque compétence, qui a dit quoi, auto-évaluations.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        @OptionGroup var referential: ReferentialOptions

        @Option(name: .customLong("au"), help: "Niveaux à une date passée (jj/mm/aaaa).")
        var asOf: CalendarDate?

        @Option(name: .customLong("depuis"), help: "Montre aussi ce qui a progressé depuis cette date.")
        var since: CalendarDate?

        func run() async throws {
            try await reportingFailures {
                let day = asOf ?? .today
                // What moved since the day given, else over the school year so far.
                let period = since.map { Period.between($0, day) } ?? Period.named("annee", in: SchoolYear(containing: day))!
                let file = try await database.app(today: day).students.progressFile(
                    of: student, referential: referential.code, version: referential.version, period: period, by: .console(name: nil))
                print(TextExport.progressFile(file, for: .team))
            }
        }
    }

    struct Division: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classe",
            abstract: "Bilan d’une classe : compétences acquises par élève, élèves sans observation récente, demandes en attente.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String

        @OptionGroup var referential: ReferentialOptions

        @Option(name: .customLong("silence"), help: "Signale les élèves sans observation depuis ce nombre de jours.")
        var quietDays = 30

        func run() async throws {
            try await reportingFailures {
                let (reports, quiet, requests) = try await database.app().classes.reports(
                    division, referential: referential.code, version: referential.version, quietDays: quietDays, uai: school.uai,
                    year: school.resolvedYear, by: .console(name: nil))
                guard let first = reports.first else {
                    print("\(division) : aucun élève")
                    return
                }
                print("\(division) — \(first.target.referential.title) (\(first.target.referential.code) version \(first.target.referential.version))")
                print("\(reports.count) élèves · \(first.evaluableCount) compétences évaluables\n")
                for report in reports {
                    print("\(report.student.student.displayName)\t\(French.counted(report.acquiredCount, "acquise")), "
                          + "\(French.counted(report.evaluatedCount, "évaluée")) sur \(report.evaluableCount)")
                }
                if !quiet.isEmpty {
                    print("\nSans observation depuis plus de \(quietDays) jours :")
                    for entry in quiet {
                        let last = entry.lastObservedOn.map { "dernière le \($0.french)" } ?? "jamais observé(e)"
                        print("  \(entry.student.student.displayName) — \(last)")
                    }
                }
                if !requests.isEmpty {
                    print("\nDemandes d’évaluation en attente :")
                    for request in requests {
                        print("  n° \(request.id) \(request.studentName) — \(request.competencyCode) \(request.competencyTitle)"
                              + (request.message.map { " : « \($0) »" } ?? ""))
                    }
                }
            }
        }
    }
}

extension BilanCommand {
    struct SynthesisCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synthese",
            abstract: "Synthèse de l’équipe et prochains objectifs d’un élève pour une période (fichier de progrès, LSU).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference
        @OptionGroup var school: SchoolOptions
        @OptionGroup var periodOptions: PeriodOptions

        @Option(name: .customLong("texte"), help: "La synthèse, en mots positifs (1 500 caractères au plus pour le LSU).")
        var text: String

        @Option(name: .customLong("objectif"), help: "Un prochain objectif ; l’option se répète.")
        var goals: [String] = []

        @Option(name: .customLong("par"), help: "Auteur de la synthèse.")
        var author: String

        func run() async throws {
            try await reportingFailures {
                let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw Failure("--texte : la synthèse est vide") }
                guard text.count <= 1500 else { throw Failure("--texte : \(text.count) caractères, le LSU en accepte 1 500") }
                let period = try periodOptions.period(in: school.year)
                try await database.app().students.saveSynthesis(student, period: period, text: text, goals: goals,
                                                                by: .console(name: author))
                print("Synthèse enregistrée pour \(period.title)")
            }
        }
    }
}

