import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import AcquisXML
import ArgumentParser
import Foundation

extension ExportCommand {
    struct ClassReportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bilan-classe",
            abstract: "Bilan d’une classe sans notes : matrice élèves × compétences, répartition, progrès, élèves sans observation récente.")

        enum Format: String, ExpressibleByArgument { case pdf, html, csv }

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Code de la classe ou du groupe.")
        var division: String
        @OptionGroup var school: SchoolOptions
        @OptionGroup var referential: ReferentialOptions
        @OptionGroup var periodOptions: PeriodOptions

        @Option(name: .customLong("competences"), parsing: .upToNextOption,
                help: "Colonnes (codes) ; par défaut les 8 composantes du socle, ou chaque compétence d’un diplôme.")
        var columns: [String] = []

        @Option(name: .customLong("silence"), help: "Signale les élèves sans observation depuis ce nombre de jours.")
        var quietDays = 30

        @Option(name: .customLong("format"), help: "pdf, html ou csv.")
        var format: Format = .pdf

        @Option(name: .shortAndLong, help: "Fichier à écrire.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                let period = try periodOptions.period(in: school.year)
                let report = try await database.app(year: period.schoolYear).exports.classReport(
                    division, referential: referential.code, version: referential.version, period: period,
                    columns: columns.isEmpty ? nil : columns, quietDays: quietDays, uai: school.uai, by: .console(name: nil))
                let bytes: [UInt8] = switch format {
                case .pdf: PDFExport.classReport(report).bytes
                case .html: Array(HTMLExport.classReport(report).utf8)
                case .csv: Array(CSVExport.classReport(report).utf8)
                }
                try Data(bytes).write(to: URL(fileURLWithPath: output))
                print("Bilan de \(division) (\(report.students.count) élèves, \(report.columns.count) colonnes) écrit dans \(output)")
            }
        }
    }

    struct LSU: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lsu",
            abstract: "Bilans de cycle pour le LSU (XML d’import) : les 8 composantes du socle positionnées de 0 à 4.",
            discussion: "Le fichier est vérifié avec le schéma officiel avant d’être écrit ; un positionnement manquant est signalé élève par élève.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("classe"), parsing: .upToNextOption, help: "Classes concernées (3e, SEGPA…).")
        var divisions: [String]

        @Option(name: .customLong("cycle"), help: "Cycle du bilan : 3 ou 4.")
        var cycle = 4

        @Option(name: .customLong("chef-etablissement"), help: "Nom du chef d’établissement qui signe les bilans.")
        var headOfSchool: String

        @Option(name: .customLong("referentiel"), help: "Référentiel du socle.")
        var referential = "SOCLE-2015"

        @Option(name: .shortAndLong, help: "Fichier XML à écrire.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                guard (3...4).contains(cycle) else { throw Failure("--cycle : 3 ou 4") }
                let assessment = try await database.app(year: school.resolvedYear).exports.cycleAssessment(
                    divisions: divisions, cycle: cycle, headOfSchool: headOfSchool, referential: referential, uai: school.uai,
                    year: school.resolvedYear, by: .console(name: nil))
                let xml = LSUExport.bilanCycle(assessment)
                let problems = try LSUSchema.validate(xml)
                guard problems.isEmpty else {
                    for problem in problems { Terminal.error(problem.description) }
                    throw Failure("le fichier produit ne respecte pas le schéma LSU : rien n’a été écrit")
                }
                try Data(xml.utf8).write(to: URL(fileURLWithPath: output))
                print("\(French.counted(assessment.students.count, "bilan")) de cycle \(cycle) \(assessment.students.count > 1 ? "écrits" : "écrit") dans \(output)")
            }
        }
    }

    struct LSL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lsl",
            abstract: "Degrés de maîtrise LSL Pro (1 à 4) par compétence, en CSV, pour le livret scolaire du lycée professionnel.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var referential: ReferentialOptions
        @OptionGroup var periodOptions: PeriodOptions

        @Option(name: .customLong("classe"), parsing: .upToNextOption, help: "Classes concernées.")
        var divisions: [String]

        @Option(name: .shortAndLong, help: "Fichier CSV à écrire.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                let period = try periodOptions.period(in: school.year)
                let positions = try await database.app(year: period.schoolYear).exports.lslPositions(
                    divisions: divisions, referential: referential.code, version: referential.version, period: period, uai: school.uai,
                    by: .console(name: nil))
                try Data(CSVExport.lsl(positions).utf8).write(to: URL(fileURLWithPath: output))
                print("\(French.counted(positions.count, "positionnement")) LSL \(positions.count > 1 ? "écrits" : "écrit") dans \(output)")
            }
        }
    }
}
