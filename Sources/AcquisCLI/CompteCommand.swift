import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisWeb
import ArgumentParser
import Foundation

extension Role: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "admin", "direction": self = .admin
        case "teacher", "enseignant": self = .teacher
        case "student", "eleve", "élève": self = .student
        case "family", "famille": self = .family
        case "inspector", "inspection", "inspecteur": self = .inspector
        case "academy", "academie", "académie": self = .academy
        default: return nil
        }
    }
}

struct CompteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compte",
        abstract: "Comptes de l’application web.",
        subcommands: [Creer.self, Liste.self])

    struct Creer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Crée un compte ; le mot de passe est lu sur l’entrée standard (jamais en argument).")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("identifiant")) var login: String
        @Option(help: "direction, enseignant, eleve, famille, inspection ou academie.") var role: Role
        @Option(name: .customLong("nom"), help: "Nom affiché.") var name: String
        @Option(name: .customLong("eleve"), help: "INE de l’élève (compte élève ou famille).") var student: StudentReference?
        @Option(name: .customLong("classes"), parsing: .upToNextOption, help: "Classes et groupes enseignés.") var divisions: [String] = []
        @Option(help: "Code UAI de l’établissement du compte (inutile s’il n’y en a qu’un).") var uai: String?

        func run() async throws {
            try await reportingFailures {
                guard let password = readLine(strippingNewline: true), password.count >= 10 else {
                    throw Failure("mot de passe : au moins 10 caractères, sur l’entrée standard")
                }
                let hash = Passwords.hash(password)
                try await database.app().school.createAccount(
                    NewAccount(login: login, passwordHash: hash, role: role, displayName: name, schoolUAI: uai, student: student),
                    divisions: divisions, by: .console(name: nil))
                print("compte « \(login) » (\(role.label.lowercased())) créé")
            }
        }
    }

    struct Liste: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les comptes.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                for account in try await database.app().school.accounts(by: .console(name: nil)) {
                    print("\(account.login)\t\(account.role.label)\t\(account.displayName)")
                }
            }
        }
    }
}
