import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStore
import AcquisVigilance
import ArgumentParser
import Foundation
import GRDB

struct GroupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupes",
        abstract: "Groupes de besoin d’une classe : suggestion d’après les niveaux, enregistrement par période, bilan.",
        subcommands: [Suggest.self, List.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case texte, csv, pdf
    }

    struct Suggest: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                let codes = competencies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let chosen = period.flatMap { Period.named($0, in: school.resolvedYear) } ?? .trimester(containing: asOf.day)
                let sheet = try database.open().writer.write { db in
                    let division = try SchoolStore().division(code: self.division, schoolID: school.schoolID(db),
                                                                 year: school.resolvedYear, in: db)
                    let target = try referential.target(db, division: division)
                    let set = try NeedGroupStore().suggest(division: division, target: target, competencies: codes,
                                                           period: chosen, asOf: asOf.day, in: db)
                    try SensitiveViewLog().record(viewer: VigilanceCommand.viewer, subject: .needGroups,
                                                  studentIDs: set.members.map(\.student.id), division: division.code, in: db)
                    if save, let author { try NeedGroupStore().save(set, division: division, by: author, in: db) }
                    return set.sheet(titles: target.competencyTitles,
                                     status: save ? "enregistré par \(author ?? "")" : "suggestion au \(asOf.day.french)")
                }
                try GroupesCommand.write(sheet, format: format, to: output)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "liste",
            abstract: "Groupes enregistrés d’une classe, période par période, avec ce qui s’est passé depuis.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String

        func run() throws {
            try reportingFailures {
                let sets = try database.open().writer.write { db in
                    let division = try SchoolStore().division(code: self.division, schoolID: school.schoolID(db),
                                                                 year: school.resolvedYear, in: db)
                    let sets = try NeedGroupStore().sets(division: division, in: db)
                    try SensitiveViewLog().record(viewer: VigilanceCommand.viewer, subject: .needGroups,
                                                  studentIDs: Array(Set(sets.flatMap { $0.members.map(\.student.id) })),
                                                  division: division.code, in: db)
                    return try sets.map { ($0, try NeedGroupStore().outcomes(of: $0, asOf: asOf.day, in: db)) }
                }
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
