import AcquisApp
import AcquisStorage
import AcquisVigilance
import Foundation
import Hummingbird

/// The first run: the one-time link printed by `acquis serve` on a blank database opens a
/// page where the school and its first direction account are created.
struct SetupRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/installation/{token}", use: form)
        router.post("/installation/{token}", use: install)
    }

    /// What the form sends; the password is never sent back.
    struct Form: Decodable {
        var uai: String
        var nom: String
        var zone: String?
        var identifiant: String
        var nom_affiche: String
        var mot_de_passe: String
        var confirmation: String
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.app.setup.linkIsLive(token) else { throw Self.gone }
        return Page("installation", title: "Installer Acquis", Self.values(nil, error: nil))
            .response(services.templates, context: context)
    }

    @Sendable func install(_ request: Request, context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.app.setup.linkIsLive(token) else { throw Self.gone }
        let form = try await request.decode(as: Form.self, context: context)
        do {
            guard form.mot_de_passe == form.confirmation else {
                throw HTTPError(.unprocessableContent, message: "les deux mots de passe ne sont pas les mêmes")
            }
            let school = NewSchool(uai: form.uai, name: form.nom, zone: form.zone.flatMap(HolidayCalendar.Zone.init(rawValue:)))
            let director = NewDirector(login: form.identifiant, displayName: form.nom_affiche, password: form.mot_de_passe)
            try await services.app.setup.install(token: token, school: school, director: director, hash: { Passwords.hash($0) })
        } catch let error as SetupError where error != .linkInvalid && error != .alreadySetUp {
            return Page("installation", title: "Installer Acquis", Self.values(form, error: error.description), status: .unprocessableContent)
                .response(services.templates, context: context)
        } catch let error as HTTPError where error.status == .unprocessableContent {
            return Page("installation", title: "Installer Acquis", Self.values(form, error: error.body ?? ""), status: .unprocessableContent)
                .response(services.templates, context: context)
        } catch SetupError.linkInvalid, SetupError.alreadySetUp {
            throw Self.gone
        } catch SchoolStoreError.schoolExists {
            throw Self.gone
        }
        return .seeOther("/connexion?installe=1")
    }

    /// One answer for an unknown, used or expired link, and once the school exists: nothing
    /// tells a visitor whether a database is blank.
    static let gone = HTTPError(.notFound, message: "Ce lien d’installation n’est plus valable. Si l’établissement est déjà installé, "
                                + "connectez-vous ; sinon, relancez le serveur pour obtenir un nouveau lien.")

    static func values(_ form: Form?, error: String?) -> [String: Any] {
        var values: [String: Any] = [
            "uai": form?.uai ?? "", "nom": form?.nom ?? "", "identifiant": form?.identifiant ?? "direction",
            "nomAffiche": form?.nom_affiche ?? "", "minimum": Setup.minimumPasswordLength,
            "zones": HolidayCalendar.Zone.allCases.map { zone in
                ["value": zone.rawValue, "label": "Zone \(zone.rawValue)", "selected": form?.zone == zone.rawValue] as [String: Any]
            },
            "noZone": form?.zone.flatMap(HolidayCalendar.Zone.init(rawValue:)) == nil,
        ]
        if let error { values["error"] = error.prefix(1).uppercased() + error.dropFirst() + "." }
        return values
    }
}
