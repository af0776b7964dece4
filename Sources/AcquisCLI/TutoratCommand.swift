import AcquisCore
import AcquisStore
import ArgumentParser

struct TutoratCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutorat",
        abstract: "Enseignants-tuteurs et parrains des élèves.",
        subcommands: [Assign.self, Show.self]
    )

    struct Assign: ParsableCommand {
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

        func run() throws {
            try reportingFailures {
                try database.open().writer.write { db in
                    let id = try SchoolStore().student(student, in: db).id
                    if let tutor {
                        try TutoringStore().assignTutor(studentID: id, teacherLogin: tutor, year: school.resolvedYear,
                                                        since: since ?? .today, in: db)
                    }
                    if let sponsor {
                        try TutoringStore().assignSponsor(studentID: id, sponsorID: SchoolStore().student(sponsor, in: db).id,
                                                          year: school.resolvedYear, since: since ?? .today, in: db)
                    }
                }
                print("Accompagnement de \(student) enregistré pour \(school.resolvedYear).")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "voir", abstract: "Tuteur et parrain d’un élève.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Argument(help: "INE de l’élève.")
        var student: StudentReference

        func run() throws {
            try reportingFailures {
                let tutoring = try database.open().writer.read { db in
                    try TutoringStore().tutoring(of: SchoolStore().student(student, in: db).id, year: school.resolvedYear, in: db)
                }
                print("Enseignant-tuteur : \(tutoring.teacher.map { "\($0.name) (\($0.login))" } ?? "aucun")")
                print("Parrain : \(tutoring.sponsor.map { $0.student.displayName } ?? "aucun")")
            }
        }
    }
}
