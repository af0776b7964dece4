import AcquisApp
import AcquisCore
import AcquisMedia
import AcquisStorage
import ArgumentParser
import Foundation

struct ProductionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "production",
        abstract: "Productions des élèves (portfolio) : en ajouter, les lister.",
        subcommands: [Add.self, List.self]
    )
}

extension ProductionContext: ExpressibleByArgument {}

extension ProductionCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ajouter",
            abstract: "Ajoute une production au portfolio d’un élève : photo (JPEG, PNG, WebP, HEIC), vidéo ou son court, PDF ou texte.",
            discussion: """
                Le type est lu dans le contenu du fichier, pas dans son nom. Une photo est réenregistrée sans \
                ses métadonnées (position GPS, appareil, auteur) et réduite à \(MediaLimits().keptSide) pixels \
                au plus ; une vidéo ou un son est recopié par ffmpeg sans ses métadonnées (3 minutes au plus) ; \
                seule cette copie est gardée.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("INE de l’élève, ou son identifiant dans l’établissement.", valueName: "eleve"))
        var student: StudentReference

        @Argument(help: ArgumentHelp("Le fichier de la production.", valueName: "fichier"))
        var file: String

        @Option(name: .customLong("titre"), help: "Titre de la production.")
        var title: String

        @Option(name: .customLong("competences"), help: "Compétences montrées, par exemple CAP-EPC:B1.1,B1.2 (plusieurs référentiels séparés par « ; »).")
        var competencies: String?

        @Option(name: .customLong("date"), help: "Jour de la réalisation (aujourd’hui par défaut).")
        var day: CalendarDate?

        @Option(name: .customLong("contexte"), help: "Où elle a été faite : \(ProductionContext.allCases.map(\.rawValue).joined(separator: ", ")).")
        var context: ProductionContext = .classe

        func run() async throws {
            try await reportingFailures {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue,
                      let content = FileManager.default.contents(atPath: file) else {
                    throw Failure("\(file) : fichier introuvable ou illisible")
                }
                let draft = ProductionDraft(student: student, title: title, day: day, context: context,
                                            competencies: try competencies.map(ProductionDraft.competencies) ?? [])
                let added: Production
                do {
                    added = try await database.app().portfolio.add(draft, file: content, by: .console(name: nil))
                } catch let PortfolioError.file(refusal) {
                    throw Failure("\(file) : \(refusal.description)")
                }
                print("production n° \(added.id) ajoutée : « \(added.title) », \(Self.describe(added))")
            }
        }

        static func describe(_ production: Production) -> String {
            "\(production.kind.label), \(MediaLimits.megabytes(production.byteCount))"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "liste", abstract: "Les productions d’un élève, les plus récentes d’abord.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("INE de l’élève, ou son identifiant dans l’établissement.", valueName: "eleve"))
        var student: StudentReference

        func run() async throws {
            try await reportingFailures {
                let productions = try await database.app().portfolio.productions(of: student, by: .console(name: nil))
                guard !productions.isEmpty else {
                    print("aucune production")
                    return
                }
                for production in productions {
                    let competencies = production.competencies.map { "\($0.referentialCode) \($0.code)" }.joined(separator: ", ")
                    print("n° \(production.id)\t\(production.day.french)\t\(production.context.rawValue)\t« \(production.title) »\t"
                          + Add.describe(production) + (competencies.isEmpty ? "" : "\t\(competencies)"))
                }
            }
        }
    }
}
