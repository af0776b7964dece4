import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisVigilance
import ArgumentParser
import Foundation

struct VigilanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilance",
        abstract: "Élèves à suivre : signaux expliqués, suivi des actions, seuils de l’établissement.",
        discussion: """
            Les signaux et le suivi ne concernent que les enseignants de l’élève, son tuteur et la direction : \
            chaque consultation est enregistrée.
            """,
        subcommands: [Division.self, Tutor.self, WholeSchool.self, FollowUpCommand.self, History.self, Thresholds.self]
    )

    /// Who looked, as the view log keeps it: the system account running the command.
    static var viewer: ActingPerson {
        .console(name: "ligne de commande (\(ProcessInfo.processInfo.environment["USER"] ?? "inconnu"))")
    }
}

/// When a list is computed: today unless the command says otherwise.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("au"), help: "Calcule les signaux à cette date (jj/mm/aaaa ; aujourd’hui par défaut).")
    var asOf: CalendarDate?

    var day: CalendarDate { asOf ?? .today }
}

extension VigilanceCommand {
    struct Division: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classe", abstract: "Signaux des élèves d’une classe ou d’un groupe, avec leurs raisons.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String

        @Flag(name: .customLong("tous"), help: "Liste aussi les élèves sans signal.")
        var everyone = false

        func run() async throws {
            try await reportingFailures {
                let entries = try await database.app(today: asOf.day, year: school.resolvedYear(for: asOf.day)).vigilance
                    .list(ofClass: division, uai: school.uai, everyone: everyone, by: VigilanceCommand.viewer)
                print(VigilanceText.list(entries, title: "\(division) — vigilance au \(asOf.day.french)", everyone: everyone))
            }
        }
    }

    struct WholeSchool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "etablissement", abstract: "Élèves à suivre dans chaque classe de l’établissement, signal par signal.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var asOf: AsOfOption

        @Flag(name: .customLong("detail"), help: "Donne aussi les raisons, élève par élève.")
        var detail = false

        func run() async throws {
            try await reportingFailures {
                let lists = try await database.app(today: asOf.day, year: school.resolvedYear(for: asOf.day)).vigilance
                    .schoolLists(uai: school.uai, detailed: detail, by: VigilanceCommand.viewer)
                let entries = lists.flatMap(\.entries)
                print("Vigilance au \(asOf.day.french) : \(French.counted(entries.filter(\.isFlagged).count, "élève")) à suivre "
                      + "sur \(entries.count), \(French.counted(lists.count, "classe"))")
                for (division, entries) in lists {
                    if detail {
                        print("\n" + VigilanceText.list(entries, title: division, everyone: false))
                    } else {
                        print("\(division)\t\(VigilanceText.counts(entries))")
                    }
                }
            }
        }
    }

    struct Tutor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tuteur", abstract: "Signaux des élèves qu’un enseignant-tuteur accompagne.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "Identifiant de l’enseignant-tuteur.")
        var login: String

        func run() async throws {
            try await reportingFailures {
                let entries = try await database.app(today: asOf.day, year: school.resolvedYear(for: asOf.day)).vigilance
                    .tutees(of: login, by: VigilanceCommand.viewer)
                guard !entries.isEmpty else {
                    print("\(login) n’accompagne aucun élève en \(school.resolvedYear(for: asOf.day)) ; `acquis tutorat assigner` en désigne.")
                    return
                }
                print(VigilanceText.list(entries, title: "Élèves accompagnés par \(login) — vigilance au \(asOf.day.french)",
                                         everyone: true))
            }
        }
    }

    struct FollowUpCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suivi", abstract: "Enregistre une action décidée pour un élève (gardée dans l’historique).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        @Option(help: "L’action : \(FollowUp.usualActions.joined(separator: ", ")), ou une autre.")
        var action: String

        @Option(name: .customLong("date"), help: "Jour de la décision (aujourd’hui par défaut).")
        var decidedOn: CalendarDate?

        @Option(help: "Note pour l’équipe.")
        var note: String?

        @Option(name: .customLong("auteur"), help: "Qui a décidé (identifiant de l’enseignant).")
        var author: String

        func run() async throws {
            try await reportingFailures {
                let followUp = try await database.app().vigilance.recordFollowUp(student, action: action, decidedOn: decidedOn,
                                                                                 note: note, by: .console(name: author))
                print("Suivi n° \(followUp.id) enregistré : \(followUp.action) le \(followUp.decidedOn.french).")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "historique",
            abstract: "Suivi d’un élève, action par action, avec ce qui s’est passé depuis chacune.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var asOf: AsOfOption

        @Argument(help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference

        func run() async throws {
            try await reportingFailures {
                let record = try await database.app(today: asOf.day).vigilance.student(student, by: VigilanceCommand.viewer)
                let (name, history) = (record.student.student.displayName, record.followUps)
                print("Suivi de \(name)")
                if history.isEmpty { print("Aucune action enregistrée.") }
                for (followUp, outcome) in history {
                    print("\n\(followUp.decidedOn.french) — \(followUp.action) (\(followUp.authorName))")
                    if let note = followUp.note { print("  \(note)") }
                    print("  \(outcome.summary)")
                }
            }
        }
    }

    struct Thresholds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seuils", abstract: "Montre ou change les seuils des signaux de l’établissement.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var school: SchoolOptions

        @Option(name: .customLong("definir"), parsing: .upToNextOption,
                help: "Seuils à changer, par exemple silenceDays=21 specialCodePercent=30.")
        var changes: [String] = []

        @Option(name: .customLong("zone"), help: "Zone de vacances de l’établissement : A, B ou C (aucune : vacances communes seulement).")
        var zone: HolidayCalendar.Zone?

        func run() async throws {
            try await reportingFailures {
                var typed: [String: String] = [:]
                for change in changes {
                    let parts = change.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, Int(parts[1]) != nil else {
                        throw Failure("« \(change) » : écrivez nom=valeur, par exemple silenceDays=21")
                    }
                    typed[parts[0]] = parts[1]
                }
                let app = try database.app()
                if !typed.isEmpty || zone != nil {
                    try await app.vigilance.saveThresholds(typed, zone: zone?.rawValue, uai: school.uai, by: .console(name: nil))
                }
                let thresholds = try await app.vigilance.thresholds(uai: school.uai, by: .console(name: nil))
                for setting in thresholds.0.settings {
                    print("\(setting.key)\t\(setting.value) \(setting.unit)\t\(setting.label)")
                }
                print("zone\t\(thresholds.1.map { "zone \($0.rawValue)" } ?? "non choisie (vacances communes seulement)")\tVacances décomptées du silence")
            }
        }
    }
}

extension HolidayCalendar.Zone: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

extension VigilanceError: UserFacingError {}
extension FollowUpError: UserFacingError {}
extension TutoringError: UserFacingError {}
extension NeedGroupError: UserFacingError {}

/// Vigilance lists as the terminal prints them.
enum VigilanceText {
    /// « 3 élève(s) à suivre sur 30 : Plus de nouvelle preuve 2, Niveaux en baisse 1 ».
    static func counts(_ entries: [VigilanceEntry]) -> String {
        let flagged = entries.filter(\.isFlagged).count
        let kinds = Signal.Kind.allCases.compactMap { kind -> String? in
            let count = entries.filter { $0.signals.contains { $0.kind == kind } }.count
            return count > 0 ? "\(kind.title) \(count)" : nil
        }
        return "\(French.counted(flagged, "élève")) à suivre sur \(entries.count)" + (kinds.isEmpty ? "" : " : " + kinds.joined(separator: ", "))
    }

    static func list(_ entries: [VigilanceEntry], title: String, everyone: Bool) -> String {
        let flagged = entries.filter(\.isFlagged)
        var lines = [title, "\(French.counted(entries.count, "élève")), \(flagged.count) avec au moins un signal", ""]
        for entry in everyone ? entries : flagged {
            lines.append(entry.student.student.displayName + (entry.student.student.division.map { " (\($0))" } ?? ""))
            if entry.signals.isEmpty { lines.append("  aucun signal") }
            for signal in entry.signals {
                lines.append("  • \(signal.kind.title) : \(signal.reason)")
                lines += signal.evidence.map { "      \($0)" }
            }
            if let followUp = entry.lastFollowUp {
                lines.append("  Dernier suivi : \(followUp.action) le \(followUp.decidedOn.french) (\(followUp.authorName))")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
