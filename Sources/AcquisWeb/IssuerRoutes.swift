import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird

/// The school's team edits the issuer's profile: name, site, contact, public address.
struct IssuerRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/direction/emetteur", use: profile)
        router.post("/direction/emetteur", use: save)
    }

    @Sendable func profile(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let issuer = try await services.app.badges.issuer(by: .account(account))
        var values: [String: Any] = ["saved": request.uri.queryParameters["enregistre"] != nil,
                                     "movedWarning": request.uri.queryParameters["deplace"].map { Self.movedWarning(count: Int($0) ?? 0) } as Any]
        if let issuer {
            values.merge(["name": issuer.name, "url": issuer.url, "email": issuer.email, "publicBaseURL": issuer.publicBaseURL]) { $1 }
        } else {
            values["missing"] = true
        }
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

    static func movedWarning(count: Int) -> String {
        "\(FrenchText.count(count, "badge déjà délivré renvoie", "badges déjà délivrés renvoient")) à l’ancienne adresse publique : "
            + "gardez-la accessible ou redirigée vers la nouvelle pour qu’ils restent vérifiables."
    }
}
