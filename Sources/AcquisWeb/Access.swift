import AcquisApp
import AcquisCore
import AcquisStorage
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
        try await app.students.student(id, by: .account(account))
    }

    /// A class or group the account teaches (all of its school's for the admin).
    func division(_ code: String, for account: Account) async throws -> (division: TaughtDivision, uai: String) {
        let taught = try await app.classes.division(code, by: .account(account))
        return (taught.division, taught.uai)
    }

    /// The same class or group, as the store names it for lists and groups.
    func divisionRef(_ code: String, for account: Account) async throws -> DivisionRef {
        try await app.classes.division(code, by: .account(account)).ref
    }
}

enum Refusal {
    static let role = HTTPError(.forbidden, message: "Cette page n’est pas ouverte à votre compte.")
    static let student = HTTPError(.forbidden, message: "Vous n’avez pas accès au suivi de cet élève.")
    static let division = HTTPError(.forbidden, message: "Vous n’avez pas accès à cette classe.")

    /// A leaver's account, in words for the student and their family alike.
    static func leaver(until: CalendarDate, ended: Bool) -> String {
        ended ? "Cet accès à Acquis a pris fin le \(until.french), après le départ de l’établissement. Le portfolio téléchargé avant cette date reste valable : ses signatures se vérifient toujours."
              : "Après le départ de l’établissement, seul le portfolio peut encore être téléchargé, jusqu’au \(until.french)."
    }

    /// The application's refusals, in the web app's words.
    static func words(for refusal: AccessRefusal) -> String {
        switch refusal {
        case .role: role.body ?? ""
        case .student: student.body ?? ""
        case .division: division.body ?? ""
        case let .referentialNotFollowed(code):
            "Ta classe ne suit pas le référentiel « \(code) » : choisis une compétence dans la liste."
        case let .otherSchool(uai): "Votre compte ne gère pas l’établissement \(uai)."
        case let .left(until, ended): leaver(until: until, ended: ended)
        }
    }
}
