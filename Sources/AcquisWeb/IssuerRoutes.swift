import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisStorage
import Foundation
import Hummingbird

/// The school's team makes the school a badge issuer, edits its profile (name, site, contact,
/// public address) and rotates its signing key; private keys stay in the server's key folder.
struct IssuerRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/direction/emetteur", use: profile)
        router.post("/direction/emetteur", use: save)
        router.post("/direction/emetteur/creation", use: create)
        router.post("/direction/emetteur/cles", use: rotate)
        router.post("/direction/emetteur/confiance/{id}/retrait", use: withdrawTrust)
    }

    @Sendable func profile(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let issuer = try await services.app.badges.issuer(by: .account(account))
        var values: [String: Any] = ["saved": request.uri.queryParameters["enregistre"] != nil,
                                     "movedWarning": request.uri.queryParameters["deplace"].map { Self.movedWarning(count: Int($0) ?? 0) } as Any]
        if let issuer {
            values.merge(["name": issuer.name, "url": issuer.url, "email": issuer.email, "publicBaseURL": issuer.publicBaseURL]) { $1 }
            let keys = try await services.app.badges.keys(by: .account(account))
            // Packages are signed with the RS256 key in service: the one another school compares.
            values["packageFingerprint"] = keys.first { $0.algorithm == .rs256 && $0.retiredAt == nil }
                .flatMap(PackageSignature.thumbprint(of:)).map(PackageSignature.spaced)
            values["keys"] = keys.map { key in
                [
                    "id": key.id, "algorithm": key.algorithm.rawValue, "created": FrenchText.day(key.createdAt),
                    "state": key.retiredAt.map { "remplacée le \(FrenchText.day($0)), vérifie encore les badges qu’elle a signés" } ?? "en service",
                ]
            }
            values["keyNotice"] = request.uri.queryParameters["cle"].map { "Nouvelle clé \($0) en service ; les badges déjà délivrés restent vérifiables." } as Any
        } else {
            values["missing"] = true
            values["defaultName"] = try await services.app.school.name(by: .account(account)) ?? ""
            values["defaultAddress"] = services.publicAddress(of: request)
        }
        let signers = try await services.app.portfolio.signers(by: .account(account))
        values["hasSigners"] = !signers.isEmpty
        values["signers"] = signers.map { signer in
            ["id": signer.id, "name": signer.name, "uai": signer.uai, "fingerprint": PackageSignature.spaced(signer.thumbprint),
             "since": FrenchText.day(signer.addedAt)] as [String: Any]
        }
        values["trustNotice"] = request.uri.queryParameters["confiance"] != nil ? "Cet établissement n’est plus de confiance : son prochain portfolio demandera de confirmer son empreinte." : nil
        values["canSign"] = services.keys != nil
        return Page("emetteur", title: "Émetteur des badges", values).response(services.templates, context: context)
    }

    struct ProfileForm: Decodable {
        var nom: String
        var site: String
        var courriel: String
        var urlPublique: String

        enum CodingKeys: String, CodingKey {
            case nom, site, courriel
            case urlPublique = "url-publique"
        }
    }

    @Sendable func save(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: ProfileForm.self, context: context)
        let updated = try await services.app.badges.updateIssuer(
            name: form.nom.trimmingCharacters(in: .whitespaces), website: form.site.trimmingCharacters(in: .whitespaces),
            email: form.courriel.trimmingCharacters(in: .whitespaces), publicBaseURL: form.urlPublique.trimmingCharacters(in: .whitespaces),
            by: .account(account))
        let moved = updated.before.publicBaseURL == updated.after.publicBaseURL ? nil : updated.delivered
        return .seeOther("/direction/emetteur?enregistre=1" + (moved.flatMap { $0 > 0 ? "&deplace=\($0)" : nil } ?? ""))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let folder = try keyFolder()
        let form = try await request.decode(as: ProfileForm.self, context: context)
        _ = try await services.app.badges.becomeIssuer(
            name: form.nom.trimmingCharacters(in: .whitespaces), website: form.site.trimmingCharacters(in: .whitespaces),
            email: form.courriel.trimmingCharacters(in: .whitespaces), publicBaseURL: form.urlPublique.trimmingCharacters(in: .whitespaces),
            storingIn: folder, by: .account(account))
        return .seeOther("/direction/emetteur?enregistre=1")
    }

    struct KeyForm: Decodable { var algorithme: String? }

    @Sendable func rotate(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let folder = try keyFolder()
        let form = try await request.decode(as: KeyForm.self, context: context)
        let algorithm = form.algorithme.flatMap(IssuerKey.Algorithm.init(rawValue:)) ?? .rs256
        let key = try await services.app.badges.newKey(algorithm, storingIn: folder, by: .account(account))
        return .seeOther("/direction/emetteur?cle=\(key.id)")
    }

    /// The server's folder of private keys; a server started without one signs nothing.
    /// Direction stops trusting another school's key for the portfolios it receives.
    @Sendable func withdrawTrust(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        try await services.app.portfolio.withdrawTrust(try context.parameters.require("id", as: Int64.self), by: .account(account))
        return .seeOther("/direction/emetteur?confiance=retrait")
    }

    private func keyFolder() throws -> KeyDirectory {
        guard let keys = services.keys else {
            throw HTTPError(.conflict, message: "Ce serveur n’a pas de dossier de clés : la personne qui l’administre le démarre avec --cles DOSSIER.")
        }
        return keys
    }

    static func movedWarning(count: Int) -> String {
        "\(FrenchText.count(count, "badge déjà délivré renvoie", "badges déjà délivrés renvoient")) à l’ancienne adresse publique : "
            + "gardez-la accessible ou redirigée vers la nouvelle pour qu’ils restent vérifiables."
    }
}
