import AcquisApp
import AcquisCore
import AcquisStorage
import ArgumentParser

struct TutoratCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutorat",
        abstract: "Enseignants-tuteurs et parrains des élèves.",
        subcommands: [Assign.self, Show.self]
    )

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assigner", abstract: "Désigne l’enseignant-tuteur ou le parrain (élève plus âgé) d’un élève.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "INE de l’élève accompagné.")
        var student: StudentReference

        @Option(name: .customLong("tuteur"), help: "Identifiant de l’enseignant-tuteur.")
        var tutor: String?

        @Option(name: .customLong("parrain"), help: "INE de l’élève parrain.")
        var sponsor: StudentReference?

        @Option(name: .customLong("depuis"), help: "Début de l’accompagnement (aujourd’hui par défaut).")
        var since: CalendarDate?

        func validate() throws {
            guard tutor != nil || sponsor != nil else {
                throw ValidationError("indiquez --tuteur IDENTIFIANT, --parrain INE, ou les deux")
            }
        }

        func run() async throws {
            try await reportingFailures {
                try await database.app().vigilance.assignTutoring(student, tutorLogin: tutor, sponsor: sponsor, since: since,
                                                                  year: school.resolvedYear, by: .console(name: nil))
                print("Accompagnement de \(student) enregistré pour \(school.resolvedYear).")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "voir", abstract: "Tuteur et parrain d’un élève.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "INE de l’élève.")
        var student: StudentReference

        func run() async throws {
            try await reportingFailures {
                let tutoring = try await database.app().vigilance.tutoring(of: student, year: school.resolvedYear, by: .console(name: nil))
                print("Enseignant-tuteur : \(tutoring.teacher.map { "\($0.name) (\($0.login))" } ?? "aucun")")
                print("Parrain : \(tutoring.sponsor.map { $0.student.displayName } ?? "aucun")")
            }
        }
    }
}
