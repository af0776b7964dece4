import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Foundation

/// A school of three students in 2CAP, the shipped referentials published through the app,
/// the school an issuer, and one account per kind of person.
struct AppFixture {
    let database: TestDatabase
    let app: App
    static let today = CalendarDate(year: 2026, month: 12, day: 2)!
    static let year = SchoolYear(containing: today)
    static let lea = StudentReference.ine("9000000001A")
    static let console = ActingPerson.console(name: "M. Martin")

    /// The accounts, by login: a teacher of 2CAP, a teacher of nothing, the direction, Léa, her family, an inspector.
    let accounts: [String: Account]

    init(_ engine: Engine) async throws {
        database = try TestDatabase(engine)
        app = App(storage: database.storage, today: Self.today)
        let files = Fixtures.shippedReferentials
        _ = try await app.referentials.publish(by: Self.console) { each in
            for file in files { try each(try AcquisReferentialReader.read(path: file), "acquis") }
        }
        let roster = StudentRoster(students: [
            Student(ine: "9000000001A", localID: "101", lastName: "MARTIN", firstName: "Léa", division: "2CAP"),
            Student(ine: "9000000002B", localID: "102", lastName: "BENALI", firstName: "Yanis", division: "2CAP"),
            Student(ine: "9000000003C", localID: "103", lastName: "DIALLO", firstName: "Aya", division: "1MCV"),
        ])
        accounts = try database.write { db in
            try SchoolStore().importRoster(roster, uai: "0579999Z", year: Self.year, in: db)
            var accounts: [String: Account] = [:]
            for (login, role, student) in [("prof", Role.teacher, nil), ("autre", .teacher, nil), ("direction", .admin, nil),
                                           ("lea", .student, Self.lea), ("famille", .family, Self.lea), ("ien", .inspector, nil)] {
                accounts[login] = try AccountStore().create(NewAccount(login: login, passwordHash: "x", role: role, displayName: login,
                                                                       schoolUAI: role == .inspector ? nil : "0579999Z",
                                                                       student: student), in: db)
            }
            try AccountStore().assign(login: "prof", divisions: ["2CAP"], year: Self.year, in: db)
            try AccountStore().assign(login: "autre", divisions: ["1MCV"], year: Self.year, in: db)
            return accounts
        }
        _ = try await app.badges.createIssuer(name: "Lycée des Tilleuls", website: "https://lycee.example", email: "ce@lycee.example",
                                              publicBaseURL: "https://acquis.lycee.example/",
                                              firstKey: IssuerKey(id: "cle", algorithm: .rs256, publicKeyPEM: "PEM", createdAt: Date()),
                                              keepKey: {}, by: Self.console)
    }

    func person(_ login: String) -> ActingPerson { .account(accounts[login]!) }

    static func entry(_ level: String, on day: Int, month: Int = 10, competency: String = "B1.1",
                      student: StudentReference = lea, context: EvaluationContext = .classe) -> EvaluationEntry {
        EvaluationEntry(student: student, referentialCode: "CAP-EPC", competencyCode: competency, code: level,
                        observedOn: CalendarDate(year: 2026, month: month, day: day)!, context: context, evaluator: "M. Martin")
    }

    /// Léa's badge of competency B1.1 (CAP-EPC 2019), if awarded, with whether it waits for review.
    func b11Badge(_ code: String = "CAP-EPC-2019-B1.1") async throws -> StoredAward? {
        try database.read { db in
            try BadgeStore().awards(studentID: SchoolStore().student(Self.lea, in: db).id, in: db)
                .first { $0.badge.badgeClass.code == code && !$0.isRevoked }
        }
    }

    func studentID(_ student: StudentReference = lea) async throws -> Int64 {
        try database.read { try SchoolStore().student(student, in: $0).id }
    }
}
