import AcquisApp
import AcquisCore
import AcquisCSV
import AcquisStorage
import AcquisXML
import ArgumentParser
import Foundation

struct ElevesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eleves",
        abstract: "Importer et consulter les élèves, les classes et les groupes.",
        subcommands: [Import.self, Classes.self, List.self]
    )
}

extension ElevesCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importe les élèves d’un export SIECLE (ElevesSansAdresses.xml) ou d’un fichier CSV.",
            discussion: """
                Un élève déjà connu (par son INE, sinon par son identifiant dans l’établissement) est mis à jour, \
                jamais dupliqué ; sa classe et ses groupes de l’année sont remplacés par ceux du fichier. \
                Les élèves absents du fichier sont conservés avec leurs évaluations. \
                Un fichier erroné n’enregistre rien. CSV : colonnes INE (ou Identifiant), Nom, Prénom, \
                et si besoin Date de naissance, Classe, Groupes.

                Avec --responsables, les responsables légaux de l’export SIECLE ResponsablesAvecAdresses.xml \
                sont importés ensuite (sans adresse ni téléphone), reliés à leurs enfants de l’établissement.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "Fichier XML (SIECLE) ou CSV.")
        var file: String

        @Option(name: .customLong("responsables"), help: "Export SIECLE des responsables (ResponsablesAvecAdresses.xml).")
        var guardians: String?

        func run() async throws {
            try await reportingFailures {
                let roster = try Self.read(file)
                guard let uai = school.uai ?? roster.uai else {
                    throw Failure("le fichier ne donne pas l’établissement ; précisez son code avec --uai")
                }
                if let fileUAI = roster.uai, let given = school.uai, fileUAI != given {
                    throw Failure("le fichier est celui de l’établissement \(fileUAI), pas de \(given)")
                }
                let year = school.year ?? roster.schoolYear ?? SchoolYear(containing: .today)
                if let fileYear = roster.schoolYear, fileYear != SchoolYear(containing: .today), school.year == nil {
                    Terminal.error("attention : le fichier est de l’année \(fileYear), pas de l’année en cours")
                }
                let report = try await database.app().school.importRoster(roster, uai: uai, year: year, by: .console(name: nil))
                print("\(uai), année \(year) : \(roster.students.count) élèves lus — \(report.inserted) ajoutés, "
                      + "\(report.updated) mis à jour, \(report.unchanged) inchangés ; \(report.divisions) classes et groupes")
                if report.absent > 0 {
                    print("\(French.counted(report.absent, "élève")) de l’établissement \(report.absent > 1 ? "absents" : "absent") du fichier : \(report.absent > 1 ? "conservés" : "conservé")")
                }
                if let guardians {
                    let roster = try SIECLEGuardianReader.read(path: guardians)
                    if let fileUAI = roster.uai, fileUAI != uai {
                        throw Failure("\(guardians) est le fichier de l’établissement \(fileUAI), pas de \(uai)")
                    }
                    let stored = try await database.app().school.importGuardians(roster, uai: uai, by: .console(name: nil))
                    let read = roster.guardians.count
                    print("\(read) \(read > 1 ? "responsables légaux" : "responsable légal") lus — \(stored.inserted) ajoutés, "
                          + "\(stored.updated) mis à jour, \(stored.unchanged) inchangés ; \(French.counted(stored.links, "lien")) avec des élèves")
                    if !stored.withoutChild.isEmpty {
                        print("sans enfant dans l’établissement, non importés : \(stored.withoutChild.joined(separator: ", "))")
                    }
                    if !stored.unknownChildren.isEmpty {
                        print("élèves du fichier inconnus de l’établissement (ELEVE_ID) : \(Set(stored.unknownChildren).sorted().joined(separator: ", "))")
                    }
                }
            }
        }

        static func read(_ file: String) throws -> StudentRoster {
            if file.lowercased().hasSuffix(".csv") { return try StudentCSV().read(path: file) }
            return try SIECLEStudentReader.read(path: file)
        }
    }

    struct Classes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les classes et les groupes de l’année.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        func run() async throws {
            try await reportingFailures {
                let divisions = try await database.app().school.divisions(uai: school.uai, year: school.resolvedYear,
                                                                          by: .console(name: nil))
                guard !divisions.isEmpty else {
                    print("Aucune classe en \(school.resolvedYear). Importez les élèves : acquis eleves import FICHIER")
                    return
                }
                for division in divisions {
                    print("\(division.code)\t\(division.kind)\t\(French.counted(division.students, "élève"))")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les élèves d’une classe ou d’un groupe.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("classe"), help: "Code de la classe ou du groupe.")
        var division: String

        func run() async throws {
            try await reportingFailures {
                let students = try await database.app().school.students(inDivision: division, uai: school.uai, year: school.resolvedYear,
                                                                        by: .console(name: nil))
                for stored in students {
                    let student = stored.student
                    print("\(student.ine ?? student.localID ?? "")\t\(student.displayName)")
                }
            }
        }
    }
}
