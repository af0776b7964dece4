import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import ArgumentParser
import Foundation

struct EnseignantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enseignants",
        abstract: "Importer les enseignants et ce qu’ils enseignent (export STS-web).",
        subcommands: [Import.self]
    )
}

extension EnseignantsCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importe les enseignants et leurs services d’un export STS-web (sts_emp_UAI_AAAA.xml, zippé ou non).",
            discussion: """
                À faire après l’import des élèves : chaque service est rattaché à une classe ou un groupe de SIECLE. \
                Un enseignant déjà connu (par son identifiant STS-web) est mis à jour, jamais dupliqué ; ses classes, \
                matières et classes de professeur principal de l’année sont remplacées par celles du fichier. \
                Un enseignant saisi à la main n’est pas modifié. Les comptes se créent ensuite, avec leurs lettres, \
                dans l’application web (page Comptes). Un fichier erroné n’enregistre rien.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Export STS-web (XML ou ZIP).")
        var file: String

        func run() async throws {
            try await reportingFailures {
                guard let data = FileManager.default.contents(atPath: file) else { throw Failure("\(file) : fichier introuvable ou illisible") }
                let roster = try SchoolSetup.teacherRoster(from: Array(data), name: file, today: .today)
                guard let uai = school.uai ?? roster.uai else {
                    throw Failure("le fichier ne donne pas l’établissement ; précisez son code avec --uai")
                }
                if let fileUAI = roster.uai, let given = school.uai, fileUAI.uppercased() != given.uppercased() {
                    throw Failure("le fichier est celui de l’établissement \(fileUAI), pas de \(given)")
                }
                let year = school.year ?? roster.schoolYear ?? SchoolYear(containing: .today)
                let report = try await database.app().school.importTeachers(roster, uai: uai, year: year, by: .console(name: nil))
                print("\(uai), année \(year) : \(FrenchText.count(roster.teachers.count, "enseignant lu", "enseignants lus")) — "
                      + FrenchText.count(report.inserted, "ajouté", "ajoutés") + ", " + FrenchText.count(report.updated, "mis à jour", "mis à jour")
                      + ", " + FrenchText.count(report.unchanged, "inchangé", "inchangés") + " ; "
                      + FrenchText.count(report.teachings, "service", "services") + " ; "
                      + FrenchText.count(report.mainTeachers, "professeur principal", "professeurs principaux"))
                for unknown in report.unknownDivisions {
                    Terminal.error("\(file):\(unknown.line): classe ou groupe \(unknown.code) inconnu en \(year) : "
                                   + FrenchText.count(unknown.teachers, "service non importé", "services non importés")
                                   + " ; importez d’abord les élèves")
                }
                for teacher in report.withoutService {
                    Terminal.error("\(file):\(teacher.line): \(teacher.displayName) n’a aucun service dans une classe de l’établissement : importé sans classe")
                }
                for skipped in roster.skipped {
                    Terminal.error("\(file):\(skipped.line): \(skipped.name) non importé : \(skipped.reason)")
                }
            }
        }
    }
}
