import AcquisApp
import AcquisExport
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// The académie's overview for inspectors and the académie's team: counts across schools,
/// drawn as bars, and the same figures as CSV. Never a name, an INE or a school's own figures.
struct AcademyRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/academie", use: page)
        router.get("/academie/synthese.csv", use: csv)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .inspector, .academy)
        let overview = try await services.app.academy.overview(by: .account(account))
        return Page("academie", title: "Vue de l’académie", Self.values(overview)).response(services.templates, context: context)
    }

    @Sendable func csv(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .inspector, .academy)
        let overview = try await services.app.academy.overview(by: .account(account))
        return .file(Array(AcademyOverviewCSV.write(overview).utf8), type: "text/csv; charset=utf-8", name: "academie-synthese.csv")
    }

    static func values(_ overview: AcademyOverview) -> [String: Any] {
        let maxEvaluations = overview.months.filter(\.isShown).map(\.evaluations).max() ?? 0
        let maxAwards = overview.badges.filter(\.isShown).map(\.awards).max() ?? 0
        let maxReferential = overview.referentials.filter(\.isShown).map(\.students).max() ?? 0
        return [
            "summary": "\(FrenchText.count(overview.schools, "établissement")) · \(FrenchText.amount(overview.students, "élève")) cette année",
            "minimum": AcademyOverview.minimumStudents,
            "referentials": overview.referentials.map { use in
                line("\(use.code) — \(use.title)", shown: use.isShown, part: use.students, of: maxReferential,
                     "\(FrenchText.amount(use.students, "élève")) · \(FrenchText.count(use.schools, "établissement")) · "
                        + FrenchText.amount(use.evaluations, "évaluation"))
            },
            "months": overview.months.map { month in
                line(month.label, shown: month.isShown, part: month.evaluations, of: maxEvaluations,
                     "\(FrenchText.amount(month.evaluations, "évaluation")) · \(FrenchText.amount(month.students, "élève"))")
            },
            "signals": overview.signals.map { share in
                line(share.signal, shown: share.isShown, part: share.students, of: share.outOf,
                     "\(share.percent)\u{00A0}% des élèves (\(FrenchText.amount(share.students, "élève")))")
            },
            "followUps": overview.followUps.map { effect in
                line(effect.action, shown: effect.isShown, part: effect.studentsProgressing, of: effect.students,
                     "\(FrenchText.count(effect.followUps, "suivi")) pour \(FrenchText.amount(effect.students, "élève")) ; \(effect.after)")
            },
            "badges": overview.badges.map { tally in
                line("\(tally.diploma.isEmpty ? tally.diplomaLabel : tally.diploma) : \(tally.block)", shown: tally.isShown,
                     part: tally.awards, of: maxAwards,
                     "\(FrenchText.count(tally.awards, "badge")) · \(FrenchText.amount(tally.students, "élève")) · "
                        + FrenchText.count(tally.schools, "établissement"))
            },
        ]
    }

    /// One line of a chart: its title, a bar for `part` out of `whole`, and its figures in
    /// words; only its title when it concerns too few students.
    private static func line(_ title: String, shown: Bool, part: Int, of whole: Int, _ figures: String) -> [String: Any] {
        guard shown else { return ["title": title, "figures": "Non montré : moins de \(AcademyOverview.minimumStudents) élèves."] }
        return ["title": title, "figures": figures, "bar": Bar(part: part, whole: whole).svg]
    }
}

/// A horizontal bar drawn on the server: the filled share of a track, as SVG that stretches to
/// its box. The figures beside it say the same in words, for screen readers and print.
struct Bar {
    let part: Int
    let whole: Int

    var svg: String {
        let width = whole > 0 ? min(100, max(0, Double(part) * 100 / Double(whole))) : 0
        let rounded = (width * 10).rounded() / 10
        return #"<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">"#
            + #"<rect class="track" width="100" height="8"/><rect class="fill" width="\#(rounded)" height="8"/></svg>"#
    }
}
