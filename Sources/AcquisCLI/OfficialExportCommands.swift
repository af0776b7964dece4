import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStore
import AcquisXML
import ArgumentParser
import Foundation

extension ExportCommand {
    struct ClassReportCommand: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                let period = try periodOptions.period(in: school.year)
                var builder = ExportBuilder(today: .today)
                let report = try database.open().writer.read { db in
                    let ref = try SchoolStore().division(code: division, schoolID: school.schoolID(db), year: period.schoolYear, in: db)
                    return try builder.classReport(division: division, uai: school.resolvedUAI(db), target: referential.target(db, division: ref),
                                            period: period, columns: columns.isEmpty ? nil : columns,
                                            quietDays: quietDays, in: db)
                }
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

    struct LSU: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                guard (3...4).contains(cycle) else { throw Failure("--cycle : 3 ou 4") }
                var builder = ExportBuilder(today: .today)
                let assessment = try database.open().writer.read { db in
                    try builder.cycleAssessment(divisions: divisions, uai: school.resolvedUAI(db), year: school.resolvedYear,
                                                cycle: cycle, headOfSchool: headOfSchool,
                                                target: ReferentialStore().target(code: referential, in: db), in: db)
                }
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

    struct LSL: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                let period = try periodOptions.period(in: school.year)
                var builder = ExportBuilder(today: .today)
                let positions = try database.open().writer.read { db in
                    try builder.lslPositions(divisions: divisions, uai: school.resolvedUAI(db), period: period,
                                             target: referential.target(db), in: db)
                }
                try Data(CSVExport.lsl(positions).utf8).write(to: URL(fileURLWithPath: output))
                print("\(French.counted(positions.count, "positionnement")) LSL \(positions.count > 1 ? "écrits" : "écrit") dans \(output)")
            }
        }
    }
}
