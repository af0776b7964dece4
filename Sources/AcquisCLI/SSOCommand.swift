import AcquisApp
import AcquisSSO
import ArgumentParser
import Foundation

/// Sign-in through the school's ENT (CAS) and EduConnect (SAML 2.0).
struct SSOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sso",
        abstract: "Connexion par l’ENT (CAS) et par ÉduConnect (SAML 2.0), et mots de passe Acquis.",
        subcommands: [CAS.self, SAML.self, Passwords.self, Link.self])

    struct CAS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cas", abstract: "Règle le serveur CAS de l’ENT et ouvre la connexion par l’ENT.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code UAI de l’établissement (inutile s’il n’y en a qu’un).") var uai: String?
        @Option(help: "Adresse du serveur CAS, par exemple https://ent.exemple.fr/cas.") var url: String
        @Option(name: .customLong("attribut"), help: "Attribut qui identifie la personne (par défaut : l’identifiant CAS).") var attribute: String?
        @Flag(name: .customLong("fermer"), help: "Enregistre le serveur sans ouvrir la connexion par l’ENT.") var closed = false

        func run() async throws {
            try await reportingFailures {
                try await database.app().singleSignOn.configureENT(address: url, attribute: attribute, open: !closed, uai: uai,
                                                                   by: .console(name: nil))
                print(closed ? "Serveur CAS enregistré ; connexion par l’ENT fermée." : "Connexion par l’ENT ouverte (\(url)).")
            }
        }
    }

    struct SAML: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "saml", abstract: "Enregistre les métadonnées d’ÉduConnect et ouvre la connexion par ÉduConnect.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code UAI de l’établissement (inutile s’il n’y en a qu’un).") var uai: String?
        @Option(name: .customLong("metadonnees"), help: "Fichier de métadonnées du fournisseur d’identité (XML).") var metadata: String
        @Flag(name: .customLong("fermer"), help: "Enregistre les métadonnées sans ouvrir la connexion par ÉduConnect.") var closed = false

        func run() async throws {
            try await reportingFailures {
                guard let bytes = FileManager.default.contents(atPath: metadata) else {
                    throw Failure("\(metadata) : fichier introuvable ou illisible")
                }
                try await database.app().singleSignOn.configureEduConnect(metadata: Array(bytes), open: !closed, uai: uai, by: .console(name: nil))
                print(closed ? "Métadonnées enregistrées ; connexion par ÉduConnect fermée." : "Connexion par ÉduConnect ouverte.")
            }
        }
    }

    struct Passwords: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mots-de-passe", abstract: "Ouvre ou ferme la connexion par identifiant et mot de passe Acquis.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code UAI de l’établissement (inutile s’il n’y en a qu’un).") var uai: String?
        @Flag(exclusivity: .exclusive) var state: State

        enum State: String, EnumerableFlag {
            case ouvrir, fermer
        }

        func run() async throws {
            try await reportingFailures {
                try await database.app().singleSignOn.setPasswordsOpen(state == .ouvrir, uai: uai, by: .console(name: nil))
                print(state == .ouvrir ? "Mots de passe Acquis ouverts." : "Mots de passe Acquis fermés : connexion par l’ENT ou ÉduConnect.")
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lier",
            abstract: "Relie des identifiants ENT à des comptes Acquis, depuis un CSV « identifiant_ent;identifiant ».")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code UAI de l’établissement (inutile s’il n’y en a qu’un).") var uai: String?
        @Argument(help: "Fichier CSV (séparateur ; ou ,), une ligne d’en-tête.") var file: String

        func run() async throws {
            try await reportingFailures {
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw Failure("\(file) : fichier introuvable ou pas en UTF-8")
                }
                var pairs: [(subject: String, login: String)] = []
                for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
                    let fields = line.split(separator: line.contains(";") ? ";" : ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\""))) }
                    guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                        throw Failure("\(file), ligne \(index + 1) : il faut deux champs, identifiant_ent puis identifiant")
                    }
                    pairs.append((fields[0], fields[1]))
                }
                let (linked, unknown) = try await database.app().singleSignOn.linkENT(pairs, uai: uai, by: .console(name: nil))
                print("\(linked) compte(s) relié(s) à l’ENT.")
                for login in unknown { print("identifiant inconnu dans l’établissement : \(login)") }
            }
        }
    }
}

extension SingleSignOnError: UserFacingError {
    public var description: String {
        switch self {
        case .casAddress: "l’adresse CAS doit commencer par https:// (ou http://), sans paramètres : par exemple https://ent.exemple.fr/cas"
        case .metadata(.notXML): "ces métadonnées ne sont pas un XML lisible"
        case .metadata(.noIdentityProvider): "ces métadonnées ne décrivent pas de fournisseur d’identité (IDPSSODescriptor)"
        case .metadata(.noRedirectSignOn): "ces métadonnées n’ont pas d’adresse SingleSignOnService HTTP-Redirect"
        case .metadata(.noSigningCertificate): "ces métadonnées n’ont pas de certificat de signature"
        case .lastWayIn: "impossible de fermer les mots de passe tant que ni l’ENT ni ÉduConnect n’est ouvert"
        case .unknownSchool: "établissement inconnu"
        default: "connexion impossible (\(code))"
        }
    }
}
