import AcquisBadges
import AcquisCSV
import AcquisCore
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import AcquisXML
import Foundation

/// The fictional school of `Samples/`, loaded through the same use cases a school uses, plus
/// one demonstration account per role. Passwords are public: for demonstration only.
public struct DemoSchool: Sendable {
    /// The fictional school's name, on its pages, letters and badges.
    public static let schoolName = "Cité scolaire des Tilleuls (fictive)"

    /// Login, password, role, displayed name, the student followed, the classes taught.
    public static let accounts: [(login: String, password: String, role: Role, name: String, student: String?, divisions: [String])] = [
        ("direction", "demo-direction", .admin, "Mme Durand", nil, []),
        ("enseignant", "demo-enseignant", .teacher, "M. Martin", nil, ["2CAP-EPC", "1MCV", "G-PFMP-A"]),
        ("professeur-college", "demo-enseignant", .teacher, "Mme Petit", nil, ["3A", "3SEGPA"]),
        ("eleve", "demo-eleve", .student, "Léa", "9000000001A", []),
        ("famille", "demo-famille", .family, "Famille de Léa", "9000000001A", []),
        ("inspection", "demo-inspection", .inspector, "M. Roux (IEN)", nil, []),
        ("academie", "demo-academie", .academy, "Mme Lambert (DANE)", nil, []),
    ]

    /// Why the demonstration cannot be loaded from the folder given.
    public enum Problem: Error, CustomStringConvertible {
        case noReferentials(String)

        public var description: String {
            switch self {
            case let .noReferentials(folder): "aucun référentiel dans \(folder) : chargez la démonstration depuis le dépôt"
            }
        }
    }

    /// The folder that holds `Samples/` and `Referentiels/`.
    public var root: String
    /// Where the school's signing keys are kept.
    public var keys: KeyDirectory
    /// The address badges point at.
    public var publicURL: String

    public init(root: String, keys: KeyDirectory, publicURL: String) {
        self.root = root
        self.keys = keys
        self.publicURL = publicURL
    }

    /// Loads the school into an empty database; `hash` hashes the accounts' passwords.
    public func load(into app: App, hash: @Sendable (String) -> String) async throws {
        let console = ActingPerson.console(name: nil)
        let samples = (root as NSString).appendingPathComponent("Samples")
        let folder = (root as NSString).appendingPathComponent("Referentiels")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else { throw Problem.noReferentials(folder) }

        _ = try await app.referentials.publish(by: console) { each in
            for file in files { try each(try AcquisReferentialReader.read(path: file), "acquis") }
        }
        let roster = try SIECLEStudentReader.read(path: "\(samples)/ElevesSansAdresses.xml")
        _ = try await app.school.importRoster(roster, uai: roster.uai ?? "", year: roster.schoolYear ?? app.year, by: console)
        try await app.school.rename(Self.schoolName, uai: roster.uai, by: console)
        for file in ["evaluations.csv", "evaluations-college.csv"] {
            _ = try await app.evaluations.importFile(path: "\(samples)/\(file)", defaults: EvaluationDefaults(), recordedBy: nil,
                                                     detailLimit: 0, by: console)
        }
        _ = try await app.badges.becomeIssuer(name: Self.schoolName, website: "https://tilleuls.example.fr",
                                              email: "ce.0579999z@example.fr", publicBaseURL: publicURL, storingIn: keys, by: console)
        _ = try await app.badges.define(try BadgeDefinitionReader.read(path: "\(samples)/badges.xml"), by: console)
        let lea = StudentReference.ine("9000000001A")
        _ = try await app.badges.award(code: "SAVOIR-ETRE-EQUIPE", to: lea,
                                       evidence: ["Animation de l’équipe lors de l’inventaire de novembre"], by: .console(name: "enseignant"))
        // Léa's bilan of the current trimester, written together: her words first, then the team's.
        let trimester = Period.trimester(containing: app.today)
        let leaID = try await app.students.student(of: lea, by: console).id
        try await app.students.writeReflection(studentID: leaID, period: trimester, proud: "J’ai tenu la caisse seule pendant ma PFMP.",
                                               toWork: "Ranger la réserve sans qu’on me le rappelle.", by: console)
        try await app.students.writeSynthesis(studentID: leaID, period: trimester, text: "Léa a pris de l’assurance en caisse et avec les clients.",
                                              goals: ["Réceptionner une livraison seule", "Préparer une commande client"],
                                              by: .console(name: "M. Martin"))
        _ = try await app.requests.ask(referential: "CAP-EPC", competency: "B3.2",
                                       message: "J’ai tenu la caisse seule samedi pendant ma PFMP.", for: lea, by: console)
        for account in Self.accounts {
            try await app.school.createAccount(
                NewAccount(login: account.login, passwordHash: hash(account.password), role: account.role, displayName: account.name,
                           student: account.student.map(StudentReference.ine)),
                divisions: account.divisions, by: console)
        }
        // Each class's main teacher, who closes its periods, as STS-web would name them.
        try await app.classes.setMainTeacher("2CAP-EPC", login: "enseignant", by: console)
        try await app.classes.setMainTeacher("3A", login: "professeur-college", by: console)
        try await accompaniment(app)
    }

    /// Early warning already at work: 3e A's silent student has a tutor and a follow-up from
    /// March, a SEGPA student has a lycée sponsor, 3e A has need groups for the first term.
    private func accompaniment(_ app: App) async throws {
        let year = app.year
        let hugo = StudentReference.ine("9100000005E")
        try await app.vigilance.assignTutoring(hugo, tutorLogin: "professeur-college", sponsor: nil,
                                               since: CalendarDate(year: year.startYear, month: 9, day: 7)!, by: .console(name: nil))
        try await app.vigilance.recordFollowUp(hugo, action: "Entretien avec l’élève", decidedOn: CalendarDate(year: 2026, month: 3, day: 2)!,
                                               note: "Ne rend plus de travail depuis février ; rendez-vous avec la famille proposé.",
                                               by: .console(name: "professeur-college"))
        try await app.vigilance.assignTutoring(.ine("9100000025Y"), tutorLogin: nil, sponsor: .ine("9000000001A"),
                                               since: CalendarDate(year: year.startYear, month: 10, day: 1)!, by: .console(name: nil))
        guard let term = Period.named("T1", in: year) else { return }
        let asOfTerm = App(storage: app.storage, today: min(app.today, term.end), year: year)
        try await asOfTerm.vigilance.saveNeedGroups("3A", referential: "SOCLE-2015", competencies: ["D2.1", "D2.2", "D3.1"], period: term,
                                                    groups: [:], by: .console(name: "professeur-college"))
    }
}
