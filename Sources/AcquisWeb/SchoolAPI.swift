import AcquisApp
import AcquisCore
import AcquisStorage
import Foundation
import Hummingbird

/// The school's team through the JSON API: accounts and their one-time codes (for a mail
/// merge of the school's own), and the referentials each class follows.
struct SchoolAPI {
    let services: WebServices

    func register(on api: RouterGroup<WebContext>) {
        api.get("comptes", use: accounts)
        api.post("comptes/eleves") { request, context in try await letters(request, context) { try await $0.createStudentAccounts(division: $1.classe, by: $2) } }
        api.post("comptes/familles") { request, context in try await letters(request, context) { try await $0.createFamilyAccounts(division: $1.classe, by: $2) } }
        api.post("comptes/enseignants", use: teacher)
        api.get("classes/{code}/referentiels", use: followed)
        api.put("classes/{code}/referentiels", use: follow)
    }

    struct ManagedAccount: ResponseEncodable {
        var identifiant: String
        var nom: String
        var role: String
        /// `actif`, `en-attente` (code not used yet), `expire` (code expired) or `desactive`.
        var etat: String
    }

    struct Letter: Encodable {
        var identifiant: String
        var nom: String
        var role: String
        var classe: String
        var code: String
        var valableJusquAu: String
    }

    /// Codes are shown here once, as on the letters: keep them for the people they belong to.
    struct Letters: ResponseEncodable {
        var lettres: [Letter]
        var dejaPourvus: Int
    }

    struct ForClass: Decodable { var classe: String? }
    struct NewTeacher: Decodable {
        var prenom: String
        var nom: String
        var classes: [String]?
    }

    struct FollowedReferential: ResponseEncodable {
        var code: String
        var intitule: String
        var versions: [String]
        var suivie: String?
    }

    @Sendable func accounts(_ request: Request, context: WebContext) async throws -> [ManagedAccount] {
        let account = try services.require(context, .admin)
        return try await services.app.accounts.managed(by: .account(account)).map { managed in
            let state = switch managed.state {
            case .active: "actif"
            case let .waiting(until) where until < Date(): "expire"
            case .waiting: "en-attente"
            case .disabled: "desactive"
            }
            return ManagedAccount(identifiant: managed.account.login, nom: managed.account.displayName,
                                  role: managed.account.role.rawValue, etat: state)
        }
    }

    private func letters(_ request: Request, _ context: WebContext,
                         _ make: (SchoolAccounts, ForClass, ActingPerson) async throws -> LetterBatch) async throws -> EditedResponse<Letters> {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: ForClass.self, context: context)
        return EditedResponse(status: .created, response: Self.letters(try await make(services.app.accounts, body, .account(account))))
    }

    @Sendable func teacher(_ request: Request, context: WebContext) async throws -> EditedResponse<Letters> {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: NewTeacher.self, context: context)
        let batch = try await services.app.accounts.createTeacherAccount(firstName: body.prenom, lastName: body.nom,
                                                                          divisions: body.classes ?? [], by: .account(account))
        return EditedResponse(status: .created, response: Self.letters(batch))
    }

    @Sendable func followed(_ request: Request, context: WebContext) async throws -> [FollowedReferential] {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        return try await services.app.classes.followedReferentials(code, by: .account(account)).map {
            FollowedReferential(code: $0.code, intitule: $0.title, versions: $0.versions, suivie: $0.followed)
        }
    }

    /// The body maps each referential the class follows to its version; the others are unfollowed.
    @Sendable func follow(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let versions = try await request.decode(as: [String: String].self, context: context)
        let published = try await services.app.classes.followedReferentials(code, by: .account(account))
        for (referential, version) in versions {
            guard published.contains(where: { $0.code == referential && $0.versions.contains(version) }) else {
                throw HTTPError(.unprocessableContent, message: "aucun référentiel publié « \(referential) » en version \(version)")
            }
        }
        try await services.app.classes.setFollowedReferentials(code, versions: versions, by: .account(account))
        return Response(status: .noContent)
    }

    static func letters(_ batch: LetterBatch) -> Letters {
        Letters(lettres: batch.letters.map {
            Letter(identifiant: $0.login, nom: $0.displayName, role: $0.role.rawValue, classe: $0.detail, code: $0.code,
                   valableJusquAu: $0.validUntil.iso)
        }, dejaPourvus: batch.skipped)
    }
}
