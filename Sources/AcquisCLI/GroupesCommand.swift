import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import AcquisVigilance
import ArgumentParser
import Foundation

struct GroupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupes",
        abstract: "Groupes de besoin d’une classe : suggestion d’après les niveaux, enregistrement par période, bilan.",
        subcommands: [Suggest.self, List.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case texte, csv, pdf
    }

    struct Suggest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suggerer",
            abstract: "Propose remédiation, consolidation, approfondissement d’après le niveau médian de chaque élève.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var referential: ReferentialOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String

        @Option(name: .customLong("competences"), help: "Codes des compétences, séparés par des virgules.")
        var competencies: String

        @Option(name: .customLong("periode"), help: "Période des groupes : \(Period.names.joined(separator: ", ")) (celle du jour par défaut).")
        var period: String?

        @Flag(name: .customLong("enregistrer"), help: "Enregistre la suggestion comme groupes de la période.")
        var save = false

        @Option(name: .customLong("auteur"), help: "Qui enregistre (avec --enregistrer).")
        var author: String?

        @Option(help: "texte, csv ou pdf.")
        var format: Format = .texte

        @Option(name: .customLong("sortie"), help: "Fichier à écrire (la sortie standard par défaut, sauf en pdf).")
        var output: String?

        func validate() throws {
            if save && author == nil { throw ValidationError("--enregistrer demande --auteur IDENTIFIANT") }
            if format == .pdf && output == nil { throw ValidationError("le format pdf demande --sortie FICHIER") }
            if let period, Period.named(period, in: school.resolvedYear) == nil {
                throw ValidationError("période « \(period) » inconnue ; attendu : \(Period.names.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let codes = competencies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let chosen = period.flatMap { Period.named($0, in: school.resolvedYear) } ?? .trimester(containing: asOf.day)
                let app = try database.app(today: asOf.day, year: school.resolvedYear)
                let page = try await app.vigilance.needGroups(division, uai: school.uai, referential: referential.code,
                                                              competencies: codes, period: chosen, by: VigilanceCommand.viewer)
                guard let set = page.suggestion else { throw Failure("indiquez les compétences avec --competences") }
                if save, let author {
                    try await app.vigilance.saveNeedGroups(division, uai: school.uai, referential: referential.code, competencies: codes,
                                                           period: chosen, groups: [:], by: .console(name: author))
                }
                let sheet = set.sheet(titles: page.target.competencyTitles,
                                      status: save ? "enregistré par \(author ?? "")" : "suggestion au \(asOf.day.french)")
                try GroupesCommand.write(sheet, format: format, to: output)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "liste",
            abstract: "Groupes enregistrés d’une classe, période par période, avec ce qui s’est passé depuis.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String

        func run() async throws {
            try await reportingFailures {
                let sets = try await database.app(today: asOf.day, year: school.resolvedYear).vigilance
                    .needGroups(division, uai: school.uai, referential: nil, competencies: [], period: .trimester(containing: asOf.day),
                                by: VigilanceCommand.viewer).saved
                guard !sets.isEmpty else {
                    print("\(division) : aucun groupe enregistré ; `acquis groupes suggerer … --enregistrer` en crée.")
                    return
                }
                for (set, outcomes) in sets {
                    print("\(set.period.title) — \(set.referentialCode) \(set.competencies.joined(separator: ", "))"
                          + (set.savedBy.map { " (enregistré par \($0))" } ?? ""))
                    for group in NeedGroup.allCases {
                        let members = set.members(of: group)
                        guard !members.isEmpty else { continue }
                        print("  \(group.title) : \(members.map(\.student.student.displayName).joined(separator: ", "))")
                        if let outcome = outcomes[group] { print("    \(outcome.summary)") }
                    }
                    print("")
                }
            }
        }
    }

    static func write(_ sheet: NeedGroupSheet, format: Format, to output: String?) throws {
        let bytes: [UInt8]
        switch format {
        case .texte: bytes = Array(NeedGroupText.render(sheet).utf8)
        case .csv: bytes = Array(CSVExport.needGroups(sheet).utf8)
        case .pdf: bytes = PDFExport.needGroups(sheet).bytes
        }
        if let output {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
            print("\(sheet.title) écrit dans \(output)")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

enum NeedGroupText {
    static func render(_ sheet: NeedGroupSheet) -> String {
        var lines = [sheet.title, "\(sheet.referential) · \(sheet.period) · \(sheet.status)",
                     "Compétences : " + sheet.competencies.joined(separator: " ; "), ""]
        for section in sheet.sections {
            lines.append("\(NeedGroupSheet.groupTitle(section.group)) (\(section.members.count))")
            for member in section.members {
                lines.append("  \(member.name) — \(member.reason)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
