import AcquisApp
import AcquisExport
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// The period's bilan, written together: the student writes their part in their space, the
/// team writes the synthesis and next goals on the student's page, the family says « Vu ».
struct PeriodBilanRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.post("/eleve/bilan", use: writeReflection)
        router.post("/eleve/bilan/vu", use: acknowledge)
        router.post("/eleves/{id}/bilan", use: writeSynthesis)
        router.get("/classes/{code}/periode", use: classBilans)
        router.post("/classes/{code}/periode/cloture", use: close)
        router.post("/classes/{code}/periode/reouverture", use: reopen)
    }

    struct Reopening: Decodable { var raison: String }

    @Sendable func classBilans(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let period = try await services.bilanPeriod(of: request, for: account)
        let bilans = try await services.app.classes.bilans(code, period: period, by: .account(account))
        let written = bilans.rows.filter(\.synthesis).count
        let notice: String? = switch request.uri.queryParameters["ok"] {
        case "close": "Période close : les bilans de la classe sont définitifs. Les familles peuvent les lire."
        case "rouverte": "Période rouverte : les bilans peuvent de nouveau être modifiés. La raison est gardée."
        default: nil
        }
        let action = "/classes/\(code.urlPathEncoded)/periode"
        return Page("periode", title: "Bilans du \(period.title) – \(code)", [
            "code": code, "period": period.title, "periodCode": period.code, "notice": notice as Any,
            "periods": try await services.app.school.periodScheme(by: .account(account)).periods(of: services.year).map {
                ["code": $0.code, "title": $0.title, "current": $0.code == period.code] as [String: Any]
            },
            "rows": bilans.rows.map { row in
                [
                    "id": row.student.id, "name": row.student.student.displayName,
                    "reflection": row.wroteTheirPart ? "écrite" : "pas encore",
                    "synthesis": row.synthesis ? "écrite" : "à écrire",
                    "seen": row.seenByFamily ? "vu" : "—",
                ] as [String: Any]
            },
            "summary": "\(FrenchText.count(written, "synthèse écrite", "synthèses écrites", none: "aucune synthèse écrite")) sur \(bilans.rows.count)",
            "closed": bilans.isClosed, "canClose": bilans.canClose && !bilans.isClosed, "canReopen": bilans.canReopen && bilans.isClosed,
            "missing": bilans.rows.count - written > 0 && !bilans.isClosed ? FrenchText.count(bilans.rows.count - written, "élève", "élèves") : nil as String?,
            "history": bilans.history.map { closing in
                [
                    "what": closing.closed ? "Close" : "Rouverte", "who": closing.actor, "day": FrenchText.day(closing.at),
                    "reason": closing.reason ?? "",
                ] as [String: Any]
            },
            "hasHistory": !bilans.history.isEmpty,
            "closeAction": "\(action)/cloture?periode=\(period.code)", "reopenAction": "\(action)/reouverture?periode=\(period.code)",
        ]).response(services.templates, context: context)
    }

    @Sendable func close(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let period = try await services.bilanPeriod(of: request, for: account)
        try await services.app.classes.closePeriod(code, period: period, by: .account(account))
        return .seeOther("/classes/\(code.urlPathEncoded)/periode?periode=\(period.code)&ok=close")
    }

    @Sendable func reopen(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let period = try await services.bilanPeriod(of: request, for: account)
        let form = try await request.decode(as: Reopening.self, context: context)
        try await services.app.classes.reopenPeriod(code, period: period, reason: form.raison, by: .account(account))
        return .seeOther("/classes/\(code.urlPathEncoded)/periode?periode=\(period.code)&ok=rouverte")
    }

    struct Reflection: Decodable {
        var fier: String
        var travailler: String
    }

    struct Synthesis: Decodable {
        var synthese: String
        var objectifs: String?
    }

    struct Seen: Decodable { var enfant: Int64 }

    @Sendable func writeReflection(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        guard let studentID = account.studentID else { throw Refusal.student }
        let form = try await request.decode(as: Reflection.self, context: context)
        try await services.app.students.writeReflection(studentID: studentID, period: try await services.bilanPeriod(of: request, for: account),
                                                        proud: form.fier, toWork: form.travailler, by: .account(account))
        return .seeOther("/eleve?ok=bilan")
    }

    @Sendable func writeSynthesis(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await request.decode(as: Synthesis.self, context: context)
        let goals = (form.objectifs ?? "").split(whereSeparator: \.isNewline).map(String.init)
        try await services.app.students.writeSynthesis(studentID: id, period: try await services.bilanPeriod(of: request, for: account), text: form.synthese,
                                                       goals: goals, by: .account(account))
        return .seeOther("/eleves/\(id)?bilan=1")
    }

    @Sendable func acknowledge(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .family)
        let form = try await request.decode(as: Seen.self, context: context)
        try await services.app.students.acknowledge(studentID: form.enfant, period: try await services.bilanPeriod(of: request, for: account), by: .account(account))
        return .seeOther("/eleve?enfant=\(form.enfant)&ok=vu")
    }

    /// The bilan as pages show it, in the voice of its reader.
    static func values(_ bilan: PeriodBilan, for account: Account) -> [String: Any] {
        var values: [String: Any] = ["period": bilan.period.title, "closed": bilan.closed]
        if let reflection = bilan.reflection {
            values["reflection"] = ["proud": reflection.proud, "toWork": reflection.toWork, "day": FrenchText.day(reflection.writtenAt)]
        }
        if let synthesis = bilan.synthesis {
            values["synthesis"] = ["text": synthesis.text, "goals": synthesis.goals, "hasGoals": !synthesis.goals.isEmpty,
                                   "day": synthesis.writtenOn.french]
        }
        values["seen"] = bilan.acknowledgements.map { ["name": $0.name, "day": FrenchText.day($0.at)] }
        values["hasSeen"] = !bilan.acknowledgements.isEmpty
        values["canAcknowledge"] = account.role == .family && bilan.synthesis != nil
            && !bilan.acknowledgements.contains { $0.name == account.displayName }
        return values
    }
}
