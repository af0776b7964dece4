import AcquisApp
import AcquisCore
import AcquisExport
import ArgumentParser
import Foundation

/// The académie's overview, for scripts: the same CSV as the web page gives.
struct AcademieCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "academie",
        abstract: "Ce que l’académie voit de ses établissements : des effectifs, jamais un nom.",
        subcommands: [Synthese.self])

    struct Synthese: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synthese",
            abstract: "Écrit la synthèse de l’académie en CSV : référentiels, évaluations par mois, signaux, suivis, badges.",
            discussion: "Une ligne qui concerne moins de 5 élèves n’est pas chiffrée.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("au"), help: "Jour des signaux et des suivis (aujourd’hui par défaut), au format JJ/MM/AAAA.")
        var day: CalendarDate?

        @Option(name: .shortAndLong, help: "Fichier CSV à écrire (sinon, la sortie standard).")
        var output: String?

        func run() async throws {
            try await reportingFailures {
                let overview = try await database.app(today: day).academy.overview(by: .console(name: nil))
                let csv = AcademyOverviewCSV.write(overview)
                guard let output else { return print(csv, terminator: "") }
                try Data(csv.utf8).write(to: URL(fileURLWithPath: output))
                print("Synthèse de \(French.counted(overview.schools, "établissement")) écrite dans \(output)")
            }
        }
    }
}
