import AcquisApp
import AcquisCore
import AcquisStorage
import ArgumentParser
import Foundation

struct DemandeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demande",
        abstract: "Demandes d’évaluation des élèves : les déposer, les voir, y répondre.",
        subcommands: [Ask.self, Queue.self, Answer.self]
    )
}

extension DemandeCommand {
    struct Ask: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deposer", abstract: "Un élève demande à être évalué sur une compétence.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("eleve"), help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        @OptionGroup var referential: ReferentialOptions
        @Option(name: .customLong("competence")) var competency: String

        @Option(help: "Message pour l’enseignant.")
        var message: String?

        func run() async throws {
            try await reportingFailures {
                let id = try await database.app().requests.ask(referential: referential.code, competency: competency, message: message,
                                                               for: student, by: .console(name: nil))
                print("demande n° \(id) déposée")
            }
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "liste", abstract: "Les demandes en attente d’une classe, les plus anciennes d’abord.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("classe")) var division: String

        func run() async throws {
            try await reportingFailures {
                let requests = try await database.app().requests.open(inDivision: division, uai: school.uai, year: school.resolvedYear,
                                                                      by: .console(name: nil))
                guard !requests.isEmpty else {
                    print("\(division) : aucune demande en attente")
                    return
                }
                for request in requests {
                    print("n° \(request.id)\t\(request.requestedAt.formatted(date: .numeric, time: .omitted))\t"
                          + "\(request.studentName)\t\(request.referentialCode) \(request.competencyCode)"
                          + (request.message.map { "\t« \($0) »" } ?? ""))
                }
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repondre", abstract: "Répond à une demande : acceptée (évaluation prévue) ou reportée.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Numéro de la demande.")
        var id: Int64

        @Flag(name: .customLong("reporter"), help: "Reporte la demande au lieu de l’accepter.")
        var postpone = false

        @Option(help: "Réponse pour l’élève.")
        var message: String?

        @Option(name: .customLong("par"), help: "Qui répond.")
        var teacher: String

        func run() async throws {
            try await reportingFailures {
                try await database.app().requests.answer(id, status: postpone ? .postponed : .accepted, answer: message,
                                                         by: .console(name: teacher))
                print("demande n° \(id) \(postpone ? "reportée" : "acceptée")")
            }
        }
    }
}
