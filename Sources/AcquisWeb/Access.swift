import AcquisApp
import AcquisCore
import AcquisStore
import GRDB
import Hummingbird

/// Authorisation, decided on the server for every page and API call: a role reaches its
/// routes, and a student's records only when the account may see that student.
extension WebServices {
    /// The signed-in account if its role is one of `roles`; 401 when signed out, 403 otherwise.
    func require(_ context: WebContext, _ roles: Role...) throws -> Account {
        let account = try context.account()
        guard roles.contains(account.role) else { throw Refusal.role }
        return account
    }

    /// A student the account may see; 403 for anyone else's student and for an id that does
    /// not exist alike, so that ids cannot be probed.
    func student(_ id: Int64, for account: Account) async throws -> StoredStudent {
        let year = self.year
        return try await read { db in
            guard try SchoolStore().schoolID(studentID: id, in: db) != nil,
                  try AccountStore().maySee(studentID: id, account: account, year: year, in: db)
            else { throw Refusal.student }
            return try SchoolStore().student(studentID: id, year: year, in: db)
        }
    }

    /// A class or group the account teaches (all of its school's for the admin).
    func division(_ code: String, for account: Account) async throws -> (division: TaughtDivision, uai: String) {
        let year = self.year
        return try await read { db in
            guard let division = try AccountStore().divisions(of: account, year: year, in: db).first(where: { $0.code == code })
            else { throw Refusal.division }
            return (division, try School.uai(of: account, in: db))
        }
    }

    /// The same class or group, as the store names it for lists and groups.
    func divisionRef(_ code: String, for account: Account) async throws -> DivisionRef {
        _ = try await division(code, for: account)
        let year = self.year
        return try await read { db in
            try SchoolStore().division(code: code, schoolID: account.schoolID ?? 0, year: year, in: db)
        }
    }
}

enum School {
    static func uai(of account: Account, in db: Database) throws -> String {
        guard let id = account.schoolID, let uai = try SchoolStore().uai(schoolID: id, in: db) else { throw Refusal.role }
        return uai
    }
}

enum Refusal {
    static let role = HTTPError(.forbidden, message: "Cette page n’est pas ouverte à votre compte.")
    static let student = HTTPError(.forbidden, message: "Vous n’avez pas accès au suivi de cet élève.")
    static let division = HTTPError(.forbidden, message: "Vous n’avez pas accès à cette classe.")

    /// The application's refusals, in the web app's words.
    static func words(for refusal: AccessRefusal) -> String {
        switch refusal {
        case .role: role.body ?? ""
        case .student: student.body ?? ""
        case .division: division.body ?? ""
        case let .referentialNotFollowed(code):
            "Ta classe ne suit pas le référentiel « \(code) » : choisis une compétence dans la liste."
        }
    }
}
