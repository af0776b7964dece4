import AcquisApp
import AcquisCore
import AcquisEngines
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import ArgumentParser
import Foundation

struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "Base de données : fichier SQLite (chemin, ou sqlite:CHEMIN) ou base PostgreSQL (postgres://UTILISATEUR@HÔTE:PORT/BASE).",
        discussion: """
            Par défaut : $ACQUIS_DB, sinon ~/.local/share/acquis/acquis.sqlite (ou $XDG_DATA_HOME/acquis). \
            Le mot de passe PostgreSQL peut venir de $PGPASSWORD plutôt que de l’adresse.
            """))
    var path: String?

    var resolvedPath: String {
        if let path { return path }
        if let path = ProcessInfo.processInfo.environment["ACQUIS_DB"], !path.isEmpty { return path }
        return Self.defaultSQLitePath
    }

    /// The SQLite file of the user's data folder, when nothing names another database.
    static var defaultSQLitePath: String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("acquis/acquis.sqlite")
    }

    /// The use cases, on this database; `today` and `year` set the day lists are read « as of »
    /// and the school year classes are read in.
    func app(today: CalendarDate? = nil, year: SchoolYear? = nil) throws -> App {
        App(storage: try open(), today: today, year: year)
    }

    /// The database named, with its engine.
    var location: StorageLocation {
        get throws {
            do {
                return try StorageLocation(resolvedPath)
            } catch {
                throw Failure("\(error)")
            }
        }
    }

    /// Whether the database is an académie's PostgreSQL rather than a file.
    var isPostgres: Bool {
        if case .postgres = (try? location)?.engine { return true }
        return false
    }

    func open() throws -> any Storage {
        let location = try location
        do {
            return try location.open()
        } catch {
            throw Failure("impossible d’ouvrir la base \(location) : \(error)")
        }
    }
}

/// A command failure: one line on standard error, exit code 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Terminal {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints every diagnostic, then fails with a one-line summary.
    static func fail(_ invalid: InvalidInput, summary: String) -> Failure {
        for diagnostic in invalid.diagnostics { error(diagnostic.description) }
        return Failure(summary)
    }
}

extension ParsableCommand {
    /// Runs `body`, turning failures into a one-line message and exit code 1.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            try Terminal.exit(reporting: error)
        }
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning failures into a one-line message and exit code 1.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try Terminal.exit(reporting: error)
        }
    }
}

extension Terminal {
    /// Prints an error meant for the user in French and exits with a failure status; any other
    /// error propagates.
    static func exit(reporting error: any Error) throws -> Never {
        switch error {
        case let failure as Failure:
            Terminal.error("erreur : \(failure.description)")
        case let invalid as InvalidInput:
            for diagnostic in invalid.diagnostics { Terminal.error(diagnostic.description) }
            Terminal.error("erreur : fichier invalide, rien n’a été enregistré")
        case let error as any UserFacingError:
            Terminal.error("erreur : \(error.description)" + (CommandHint.for(error).map { " ; \($0)" } ?? ""))
        default:
            throw error
        }
        throw ExitCode.failure
    }
}

protocol UserFacingError: Error, CustomStringConvertible {}
extension ReferentialStoreError: UserFacingError {}
extension PublishingError: UserFacingError {}
extension AccountStoreError: UserFacingError {}
extension SchoolStoreError: UserFacingError {}
extension EvaluationError: UserFacingError {}
extension PortfolioError: UserFacingError {}
extension PFMPError: UserFacingError {}
extension BadgeStoreError: UserFacingError {}
extension KeyFileError: UserFacingError {}
extension BakingError: UserFacingError {}
extension BadgeSigningError: UserFacingError {}
extension ExportError: UserFacingError {}
extension VersionContinuityError: UserFacingError {}
extension AccessRefusal: UserFacingError {}
extension ThresholdError: UserFacingError {}
extension DemoSchool.Problem: UserFacingError {}

/// The school and year a command works on. Both can be left out while the database holds
/// one school, and during the current school year.
struct SchoolOptions: ParsableArguments {
    @Option(help: "Code UAI de l’établissement (inutile s’il n’y en a qu’un).")
    var uai: String?

    @Option(name: .customLong("annee"), help: "Année scolaire, par exemple 2026-2027 ou 2026 (l’année en cours par défaut).")
    var year: SchoolYear?

    var resolvedYear: SchoolYear { year ?? SchoolYear(containing: .today) }

    /// The school year given, else the one holding `day`: a list as of a past day finds the
    /// classes of that year without `--annee`.
    func resolvedYear(for day: CalendarDate) -> SchoolYear { year ?? SchoolYear(containing: day) }
}

/// The referential version a command works on.
struct ReferentialOptions: ParsableArguments {
    @Option(name: .customLong("referentiel"), help: "Code du référentiel.")
    var code: String

    @Option(help: "Version du référentiel (par défaut : celle de la classe, ou celle où sont les observations de l’élève).")
    var version: String?
}

extension SchoolYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension CalendarDate: ExpressibleByArgument {
    /// Accepts `2026-03-12`, `12/03/2026` and `aujourd’hui`.
    public init?(argument: String) {
        if ["aujourd’hui", "aujourd'hui", "today"].contains(argument.lowercased()) {
            self = .today
        } else if let date = CalendarDate(iso: argument) ?? CalendarDate(french: argument) {
            self = date
        } else {
            return nil
        }
    }
}

extension StudentReference: ExpressibleByArgument {
    /// An INE (11 letters or digits), else the school's id.
    public init?(argument: String) {
        let text = argument.uppercased()
        self = Student.isPlausibleINE(text) ? .ine(text) : .localID(argument)
    }
}

extension MasteryRecomputation {
    /// « 120 niveaux recalculés ; 2 badges attribués, 1 badge à revoir »
    var summary: String {
        var line = French.counted(masteries, "niveau", "recalculé")
        var badgeParts: [String] = []
        if !badges.awarded.isEmpty { badgeParts.append(French.counted(badges.awarded.count, "badge", "attribué")) }
        if !badges.flagged.isEmpty { badgeParts.append(French.counted(badges.flagged.count, "badge") + " à revoir") }
        if !badges.cleared.isEmpty { badgeParts.append(French.counted(badges.cleared.count, "badge") + " de nouveau confirmé" + (badges.cleared.count > 1 ? "s" : "")) }
        if !badgeParts.isEmpty { line += " ; " + badgeParts.joined(separator: ", ") }
        return line
    }
}

/// What to type next, said after an error on the command line only: the store and the web app
/// name no command.
enum CommandHint {
    static func `for`(_ error: any Error) -> String? {
        switch error {
        case BadgeStoreError.noIssuer: "lancez « acquis issuer init »"
        case BadgeStoreError.issuerExists: "pour changer de clé : « acquis issuer rotate-key », de profil : « acquis issuer modifier »"
        case let BadgeStoreError.noActiveKey(algorithm): "créez-en une avec « acquis issuer rotate-key --algorithme \(algorithm) »"
        case BadgeStoreError.unknownBadge: "« acquis badge list --classes » liste les badges"
        case ExportError.missingSchoolID: "« acquis eleves import » lit l’export SIECLE"
        case ReferentialStoreError.notFound: "« acquis referentiel list » montre ce qui est enregistré"
        case VersionContinuityError.evidenceWouldBeLost: "importez-la avec « --correspondance FICHIER.xml »"
        case ThresholdError.unknownTeacher: "« acquis compte liste » donne les comptes"
        case SchoolStoreError.ambiguousSchool: "indiquez-le avec --uai"
        case AccountStoreError.studentRequired: "indiquez-le avec --eleve INE"
        case AccountStoreError.schoolRequired: "indiquez-le avec --uai"
        case BadgeStoreError.reasonRequired: "indiquez-le avec --motif"
        case EvaluationError.unknownCompetency: "« acquis referentiel show » en donne la liste"
        case SchoolStoreError.unknownSchool: "« acquis eleves import » importe ses élèves"
        case SchoolStoreError.unknownDivision: "« acquis eleves classes » liste ce qui existe"
        case PublishingError.noRecipient: "indiquez-la avec --courriel"
        case BadgeSigningError.ob2NeedsRSA: "créez-en une avec « acquis issuer rotate-key --algorithme RS256 »"
        default: nil
        }
    }
}
