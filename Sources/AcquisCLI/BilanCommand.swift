import AcquisApp
import AcquisCore
import AcquisGrading
import AcquisStore
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
                let (report, progress) = try await database.app().students.report(
                    student, referential: referential.code, version: referential.version, asOf: asOf, since: since, by: .console(name: nil))
                print(StudentReportText(report: report, progress: progress, since: since).rendered)
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

/// A student's report as text for the terminal.
struct StudentReportText {
    let report: StudentReport
    let progress: [CompetencyProgress]?
    let since: CalendarDate?

    var rendered: String {
        let referential = report.target.referential
        var lines = [
            "\(report.student.student.displayName) — \(referential.title)",
            "\(referential.code) version \(referential.version) · niveaux \(report.asOf.map { "au \($0.french)" } ?? "à ce jour") · "
                + "calcul \(report.target.policy.method), agrégation \(report.target.rollUpRule)",
            "\(French.counted(report.acquiredCount, "compétence", "acquise")), \(French.counted(report.evaluatedCount, "évaluée")) sur \(report.evaluableCount)",
            "",
        ]
        for line in report.lines {
            let indent = String(repeating: "  ", count: line.depth)
            let node = line.node
            if let summary = line.summary {
                lines.append("\(indent)\(node.term ?? node.kind.frenchName) \(node.code) — \(node.title) : \(summary.explanation)")
                continue
            }
            guard node.isEvaluable else { continue }
            let marker = line.mastery?.level?.marker ?? "·"
            lines.append("\(indent)\(marker) \(node.code) — \(node.title)")
            lines.append("\(indent)    \(line.mastery?.explanation ?? "Pas encore d’observation")")
            if !line.byEvaluator.isEmpty, Set(line.byEvaluator.map(\.evaluator)).count > 1 || line.byEvaluator[0].evaluator != nil {
                let said = line.byEvaluator.map { "\($0.evaluator ?? "non précisé") : \($0.code) le \($0.date.french) \($0.context.inSentence)" }
                lines.append("\(indent)    Qui a dit quoi : " + said.joined(separator: " ; "))
            }
            if let own = line.selfEvaluation {
                let label = report.target.scale.mark(for: own.code).flatMap { mark -> String? in
                    if case let .level(level, _) = mark { return level.studentLabel }
                    return nil
                } ?? own.code
                lines.append("\(indent)    Auto-évaluation (\(own.date.french)) : « \(label) »")
            }
        }
        if let progress, let since {
            lines.append("")
            lines.append(ProgressText.summary(progress, since: since))
            for item in progress where item.change != .confirmed {
                lines.append("  \(item.code) : " + ProgressText.describe(item))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Progress told positively: what was reached first, what moved up; a step back is stated plainly.
enum ProgressText {
    static func summary(_ progress: [CompetencyProgress], since: CalendarDate) -> String {
        let up = progress.filter { $0.change == .progressed || $0.change == .firstLevel }.count
        let confirmed = progress.filter { $0.change == .confirmed }.count
        guard up + confirmed > 0 else { return "Depuis le \(since.french) : pas encore de nouvelle observation." }
        var parts: [String] = []
        if up > 0 { parts.append(up == 1 ? "1 compétence a progressé" : "\(up) compétences ont progressé") }
        if confirmed > 0 { parts.append(confirmed == 1 ? "1 compétence confirmée" : "\(confirmed) compétences confirmées") }
        return "Depuis le \(since.french) : " + parts.joined(separator: ", ") + "."
    }

    static func describe(_ item: CompetencyProgress) -> String {
        let now = item.after.level?.teacherLabel ?? "—"
        switch item.change {
        case .firstLevel: return "premier niveau, \(now)"
        case .progressed: return "\(item.before?.level?.teacherLabel ?? "—") → \(now)"
        case .regressed: return "à retravailler : \(item.before?.level?.teacherLabel ?? "—") → \(now)"
        case .confirmed: return "confirmé, \(now)"
        }
    }
}
