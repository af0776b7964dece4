import AcquisCore
import AcquisStore
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
    struct Ask: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deposer", abstract: "Un élève demande à être évalué sur une compétence.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("eleve"), help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        @OptionGroup var referential: ReferentialOptions
        @Option(name: .customLong("competence")) var competency: String

        @Option(help: "Message pour l’enseignant.")
        var message: String?

        func run() throws {
            try reportingFailures {
                let id = try database.open().writer.write { db in
                    let studentID = try SchoolStore().student(student, in: db).id
                    return try RequestStore().request(studentID: studentID, target: referential.target(db, student: studentID),
                                                      competency: competency, message: message, in: db)
                }
                print("demande n° \(id) déposée")
            }
        }
    }

    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "liste", abstract: "Les demandes en attente d’une classe, les plus anciennes d’abord.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("classe")) var division: String

        func run() throws {
            try reportingFailures {
                let requests = try database.open().writer.read { db in
                    let students = try SchoolStore().students(inDivision: division, uai: school.resolvedUAI(db),
                                                              year: school.resolvedYear, in: db)
                    return try RequestStore().openRequests(studentIDs: students.map(\.id), in: db)
                }
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

    struct Answer: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                try database.open().writer.write { db in
                    try RequestStore().answer(id, status: postpone ? .postponed : .accepted, answer: message, by: teacher, in: db)
                }
                print("demande n° \(id) \(postpone ? "reportée" : "acceptée")")
            }
        }
    }
}
