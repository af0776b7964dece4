import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import Foundation
import Hummingbird

/// The school's settings for its team: its name, how its year is divided for bilans, and the
/// school years it holds (a new year starts from the new SIECLE file; past years stay).
struct SettingsRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/direction/etablissement", use: settings)
        router.post("/direction/etablissement", use: save)
    }

    @Sendable func settings(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let scheme = try await services.app.school.periodScheme(by: .account(account))
        let current = services.year, next = SchoolYear(startYear: current.startYear + 1)
        var years: [[String: Any]] = []
        for year in [SchoolYear(startYear: current.startYear - 1), current, next] {
            let divisions = try await services.app.school.divisions(year: year, by: .account(account))
            guard !divisions.isEmpty || year == current else { continue }
            years.append([
                "year": "\(year)", "current": year == current,
                "divisions": FrenchText.count(divisions.filter { $0.kind == "classe" }.count, "classe", "classes"),
                "students": FrenchText.count(divisions.filter { $0.kind == "classe" }.map(\.students).reduce(0, +), "élève", "élèves"),
                "href": "/direction/eleves?annee=\(year.startYear)",
            ])
        }
        let leaverMonths = try await services.app.school.leaverMonths(by: .account(account))
        return Page("etablissement", title: "Établissement", [
            "leaverChoices": LeaverAccess.monthChoices.map { months in
                ["value": "\(months)", "selected": months == leaverMonths,
                 "label": months == 0 ? "aucune durée (fermé dès le départ)" : months % 12 == 0
                    ? FrenchText.count(months / 12, "an", "ans") : "\(months) mois"] as [String: Any]
            },
            "name": try await services.app.school.name(by: .account(account)) ?? "",
            "schemes": PeriodScheme.allCases.map { ["value": $0.rawValue, "label": $0.label, "checked": $0 == scheme,
                                                    "id": "schema-\($0.rawValue)"] as [String: Any] },
            "saved": request.uri.queryParameters["enregistre"] != nil,
            "years": years, "year": "\(current)", "nextYear": "\(next)",
        ]).response(services.templates, context: context)
    }

    struct SettingsForm: Decodable {
        var nom: String
        var periodes: String
        /// Months a student who left may still download their portfolio; unchanged when absent.
        var depart: String?
    }

    @Sendable func save(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: SettingsForm.self, context: context)
        guard let scheme = PeriodScheme(rawValue: form.periodes) else {
            throw HTTPError(.badRequest, message: "Choisissez des trimestres ou des semestres.")
        }
        let months = try form.depart.map { text in
            guard let months = Int(text) else { throw HTTPError(.badRequest, message: "Choisissez une durée dans la liste.") }
            return months
        }
        try await services.app.school.saveSettings(name: form.nom, scheme: scheme, leaverMonths: months, by: .account(account))
        return .seeOther("/direction/etablissement?enregistre=1")
    }
}
