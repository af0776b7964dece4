import AcquisApp
import AcquisCore
import AcquisStorage
import ArgumentParser
import Foundation

struct PFMPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pfmp",
        abstract: "PFMP : créer une période et le lien de son tuteur, retirer ce lien.",
        subcommands: [Create.self, Revoke.self]
    )
}

extension PFMPCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "creer",
            abstract: "Crée une PFMP et affiche le lien à transmettre au tuteur ou à la tutrice.",
            discussion: """
                Le lien ouvre, sans compte ni mot de passe, une page où le tuteur note ce qu’il observe, jusqu’à \
                \(PFMPPeriod.linkGrace) jours après la fin de la PFMP. Acquis n’en garde qu’une empreinte : \
                copiez-le à l’affichage. Ses observations attendent la confirmation d’un enseignant.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("INE de l’élève, ou son identifiant dans l’établissement.", valueName: "eleve"))
        var student: StudentReference

        @Option(name: .customLong("entreprise")) var company: String
        @Option(name: .customLong("tuteur"), help: "Nom du tuteur ou de la tutrice, tel qu’il sera salué (Mme Dupont).")
        var tutor: String
        @Option(name: .customLong("courriel"), help: "Courriel du tuteur ou de la tutrice.")
        var email: String
        @Option(name: .customLong("du"), help: "Premier jour de la PFMP.") var start: CalendarDate
        @Option(name: .customLong("au"), help: "Dernier jour de la PFMP.") var end: CalendarDate
        @Option(name: .customLong("referentiel"), help: "Code du référentiel.") var referential: String
        @Option(name: .customLong("competences"), help: "Compétences à observer, séparées par des virgules (B1.2,B3.2).")
        var competencies: String

        @Option(name: .customLong("url-publique"), help: "Adresse publique d’Acquis (par défaut, celle de l’émetteur de badges).")
        var publicURL: String?

        func run() async throws {
            try await reportingFailures {
                let app = try await database.app()
                var base = publicURL
                if base == nil { base = try await app.badges.issuer(by: .console(name: nil))?.publicBaseURL }
                guard let base, base.hasPrefix("http://") || base.hasPrefix("https://") else {
                    throw Failure("indiquez l’adresse publique d’Acquis avec --url-publique https://… (l’établissement n’est pas encore émetteur de badges)")
                }
                let codes = competencies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let draft = PFMPDraft(student: student, company: company, tutorName: tutor, tutorEmail: email, startsOn: start, endsOn: end,
                                      referential: referential, competencies: codes)
                let (period, token) = try await app.pfmp.create(draft, by: .console(name: nil))
                let link = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/pfmp/lien/" + token
                print("PFMP n° \(period.id) créée : \(period.company), du \(period.startsOn.french) au \(period.endsOn.french), "
                      + "\(period.competencies.map(\.code).joined(separator: ", "))")
                print("lien de \(period.tutorName) (\(period.tutorEmail)), valable jusqu’au \(period.linkLastDay.french) — il ne sera plus affiché :")
                print(link)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoquer", abstract: "Retire le lien du tuteur d’une PFMP : il n’ouvre plus rien. Ses observations restent.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Numéro de la PFMP.", valueName: "numero"))
        var id: Int64

        func run() async throws {
            try await reportingFailures {
                do {
                    try await database.app().pfmp.revoke(id, by: .console(name: nil))
                } catch is AccessRefusal {
                    throw Failure("aucune PFMP n° \(id)")
                }
                print("PFMP n° \(id) : lien retiré")
            }
        }
    }
}
