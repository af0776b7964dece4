import AcquisBadges
import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// Teachers and the school's team: classes, the evaluation grid, a student's evidence,
/// requests, badges, class reports and exports.
struct TeacherRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/enseignant", use: home)
        router.get("/direction", use: home)
        router.get("/classes/{code}", use: grid)
        router.post("/classes/{code}/evaluations", use: recordGrid)
        router.post("/classes/{code}/version", use: adoptVersion)
        router.get("/classes/{code}/bilan", use: classReport)
        router.get("/eleves/{id}", use: student)
        router.get("/eleves/{id}/livret.{format}", use: progressFileExport)
        router.get("/eleves/{id}/competences/{code}", use: standing)
        router.post("/eleves/{id}/badges", use: award)
        router.post("/badges/{uuid}/revocation", use: revoke)
        router.get("/demandes", use: requests)
        router.post("/demandes/{id}/reponse", use: answer)
    }

    @Sendable func home(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let divisions = try await services.app.classes.divisions(by: .account(account))
        let (open, review) = try await services.app.classes.pending(by: .account(account))
        let watch = try await VigilanceRoutes(services: services).homeSummary(for: account)
        return Page("enseignant", title: account.role == .admin ? "Classes de l’établissement" : "Mes classes", [
            "divisions": divisions.map { division in [
                "code": division.code, "kind": division.kind == "classe" ? "Classe" : "Groupe", "isClass": division.kind == "classe",
                "students": FrenchText.count(division.students, "élève", "élèves"),
                "watch": watch.flagged(in: division.code).map { FrenchText.count($0, "élève à suivre", "élèves à suivre") } as Any,
            ] as [String: Any] },
            "hasDivisions": !divisions.isEmpty,
            "openRequests": open > 0 ? FrenchText.count(open, "demande d’évaluation attend", "demandes d’évaluation attendent") : nil as String?,
            "toReview": review > 0 ? FrenchText.count(review, "badge est à revoir", "badges sont à revoir") : nil as String?,
            "year": services.year.description,
            "watchSummary": watch.sentence, "hasWatch": watch.counts.total > 0,
        ]).response(services.templates, context: context)
    }

    // MARK: - Grid

    @Sendable func grid(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let query = request.uri.queryParameters
        return try await gridPage(code: try context.parameters.require("code"), for: account,
                                  referential: query["referentiel"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                                  search: request.typedQuery("recherche"),
                                  group: query["bloc"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                                  saved: query["enregistre"].flatMap { Int($0) }, context: context)
    }

    /// The grid page; after a refused save, the same grid with every value typed and the cell
    /// at fault marked, so that nothing typed is lost.
    private func gridPage(code: String, for account: Account, referential: String?, search: String? = nil, group: String?,
                          saved: Int?, refused: GridView.Refusal? = nil, context: WebContext) async throws -> Response {
        let (grid, offer) = try await services.app.classes.grid(code, referential: referential, search: search, group: group,
                                                                by: .account(account))
        let today = services.today
        var page = Page("grille", title: "Grille \(grid.division) – \(grid.target.referential.title)",
                        GridView(grid: grid, offer: offer, search: search, group: group, today: today, saved: saved, refused: refused,
                                 mayAdopt: account.role == .admin).values,
                        status: refused == nil ? .ok : .unprocessableContent)
        page.parts = [("body", GridBody(grid: grid, typed: refused?.typed ?? [:], invalid: refused?.field).bytes)]
        return page.response(services.templates, context: context)
    }

    struct VersionForm: Decodable {
        var referentiel: String
        var version: String
    }

    /// The school moves a class to another version of a referential: its grid shows that
    /// version and records in it; evidence of earlier versions keeps counting.
    @Sendable func adoptVersion(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let code = try context.parameters.require("code")
        let form = try await request.decode(as: VersionForm.self, context: context)
        try await services.app.referentials.adopt(code: form.referentiel, version: form.version, divisions: [code], by: .account(account))
        return .seeOther("/classes/\(code.urlPathEncoded)?referentiel=\(form.referentiel.urlQueryEncoded)")
    }

    /// Records every filled cell of the grid in one transaction: one unknown level and
    /// nothing is recorded, the teacher gets the grid back with the error.
    @Sendable func recordGrid(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let (form, outcome) = try await GridSave(services: services).save(request, context: context, division: code, by: account)
        switch outcome {
        case let .failure(refusal):
            return try await gridPage(code: code, for: account, referential: form.referentiel, group: nil, saved: nil,
                                      refused: refusal, context: context)
        case let .success(count):
            return .seeOther("/classes/\(code.urlPathEncoded)?referentiel=\(form.referentiel.urlQueryEncoded)&enregistre=\(count)")
        }
    }

    @Sendable func classReport(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        guard let referential = request.uri.queryParameters["referentiel"].map(String.init) else {
            throw HTTPError(.badRequest, message: "Choisissez le référentiel du bilan.")
        }
        let report = try await services.app.classes.report(code, referential: referential, period: services.period(of: request),
                                                           by: .account(account))
        if request.uri.queryParameters["format"] == "pdf" {
            return .file(PDFExport.classReport(report).bytes, type: "application/pdf", name: "bilan-\(code).pdf")
        }
        return ExportResponse.html(HTMLExport.classReport(report))
    }

    // MARK: - One student

    @Sendable func student(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let student = try await services.student(id, for: account)
        let file = try await services.app.students.progressFile(studentID: id, period: services.period(of: request), by: .account(account))
        let (evidence, manual) = try await services.app.students.evidence(studentID: id, limit: 200, by: .account(account))
        let awards = try await services.app.students.awards(studentID: id, by: .account(account))
        let bilan = try await services.app.students.bilan(studentID: id, period: try await services.bilanPeriod(of: request, for: account),
                                                          by: .account(account))
        return Page("eleve-enseignant", title: student.fullName, [
            "bilan": PeriodBilanRoutes.values(bilan, for: account), "bilanSaved": request.uri.queryParameters["bilan"] != nil,
            "student": ["id": id, "name": student.fullName, "division": student.student.division ?? ""],
            "file": ProgressFileView(file, for: .team),
            "evidence": evidence.map { EvidenceRow(referential: $0.referentialCode, evaluation: $0.evaluation).values },
            "hasEvidence": !evidence.isEmpty,
            "awards": awards.map { BadgeRow(award: $0).values },
            "hasAwards": !awards.isEmpty,
            "badgeSummary": FrenchText.count(awards.filter { !$0.isRevoked }.count, "obtenu", "obtenus", none: "aucun pour l’instant"),
            "manualBadges": manual.map { ["code": $0.badgeClass.code, "name": $0.badgeClass.name] },
            "awarded": request.uri.queryParameters["badge"] != nil,
            "vigilance": try await VigilanceRoutes(services: services).studentSection(id, for: account),
        ]).response(services.templates, context: context)
    }

    /// A student's level on one competency, why, and the observations behind it: what a cell
    /// of the grid opens. The grid's script shows the `#explication` part beside the cell.
    @Sendable func standing(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        guard let referential = request.uri.queryParameters["referentiel"].map(String.init), !referential.isEmpty else {
            throw HTTPError(.badRequest, message: "Précisez le référentiel (paramètre referentiel).")
        }
        let standing = try await services.app.students.standing(studentID: try context.parameters.require("id", as: Int64.self),
                                                                referential: referential,
                                                                competency: try context.parameters.require("code"), by: .account(account))
        let name = standing.student.fullName
        return Page("eleve-competence", title: "\(name) – \(standing.code)", [
            "student": ["id": standing.student.id, "name": name, "division": standing.student.student.division ?? ""],
            "referential": standing.referential.referential.title, "version": standing.referential.referential.version,
            "code": standing.code, "competency": standing.title,
            "level": standing.level.map { ["marker": $0.marker, "code": $0.code, "label": $0.teacherLabel] } as Any,
            "explanation": standing.explanation as Any,
            "evidence": standing.evidence.map { EvidenceRow(referential: referential, evaluation: $0).values },
            "hasEvidence": !standing.evidence.isEmpty,
        ]).response(services.templates, context: context)
    }

    @Sendable func progressFileExport(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        let student = try await services.student(id, for: account)
        let period = services.period(of: request)
        let file = try await services.app.students.progressFile(studentID: id, period: period, by: .account(account))
        let name = "livret-\(student.student.lastName.lowercased())-\(period.code)"
        let reader = ProgressFileReader(account.role)
        switch try context.parameters.require("format") {
        case "pdf": return .file(PDFExport.progressFile(file, for: reader).bytes, type: "application/pdf", name: name + ".pdf")
        case "json": return .file(Array(ProgressFileJSON.encoded(file)), type: "application/json", name: name + ".json")
        case "html": return ExportResponse.html(HTMLExport.progressFile(file, for: reader))
        default: throw HTTPError(.notFound, message: "Format inconnu : pdf, html ou json.")
        }
    }

    @Sendable func award(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await services.student(id, for: account)
        let form = try await request.decode(as: BadgeActions.Award.self, context: context)
        try await BadgeActions(services: services).award(code: form.badge, studentID: id, evidence: form.preuve.nonEmpty, by: account)
        return .seeOther("/eleves/\(id)?badge=decerne")
    }

    @Sendable func revoke(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let uuid = try context.parameters.require("uuid")
        let form = try await request.decode(as: BadgeActions.Revocation.self, context: context)
        let studentID = try await BadgeActions(services: services).revoke(uuid: uuid, reason: form.motif, by: account)
        return .seeOther("/eleves/\(studentID)")
    }

    // MARK: - Requests

    @Sendable func requests(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let open = try await services.app.requests.visible(by: .account(account))
        return Page("demandes", title: "Demandes d’évaluation", [
            "requests": open.map { request in [
                "id": request.id, "student": request.studentName, "studentID": request.studentID,
                "referential": request.referentialCode, "competency": "\(request.competencyCode) – \(request.competencyTitle)",
                "message": request.message ?? "", "date": FrenchText.day(request.requestedAt),
            ] },
            "hasRequests": !open.isEmpty,
        ]).response(services.templates, context: context)
    }

    @Sendable func answer(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await request.decode(as: RequestActions.Answer.self, context: context)
        try await RequestActions(services: services).answer(id, status: form.statut, answer: form.reponse.nonEmpty, by: account)
        return .seeOther("/demandes")
    }
}

/// Full HTML documents from the exports carry their own inline style sheet.
enum ExportResponse {
    static func html(_ text: String) -> Response {
        var response = Response.html(text)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
        return response
    }
}

/// Saving levels typed in the grid or the entry mode, in one transaction: either the number
/// recorded, or what was typed with the cell at fault and the reason, to show the page again.
struct GridSave {
    let services: WebServices

    struct Form: Decodable {
        var referentiel: String
        var version: String
        var commentaire: String?
    }

    func save(_ request: Request, context: WebContext, division code: String, by account: Account) async throws
        -> (form: Form, outcome: Result<Int, GridView.Refusal>)
    {
        let form = try await request.decode(as: Form.self, context: context)
        let fields = try await request.decode(as: [String: String].self, context: context)
        let cells = GridEntry.cells(in: fields)
        let refusal = { (field: String?, message: String) in
            GridView.Refusal(typed: fields, field: field, message: message)
        }
        let observed: (day: CalendarDate, context: EvaluationContext)
        do {
            observed = try await request.decode(as: ObservationInput.self, context: context).resolved(today: services.today)
        } catch let error as HTTPError {
            return (form, .failure(refusal(nil, error.body ?? "Date ou contexte illisible.")))
        }
        do {
            let count = try await services.app.evaluations.recordGrid(
                division: code, referential: form.referentiel, version: form.version,
                cells: cells.map { GridCell(studentID: $0.studentID, competency: $0.competency, level: $0.level) },
                observedOn: observed.day, context: observed.context, evaluator: account.displayName,
                comment: form.commentaire.nonEmpty, by: .account(account))
            return (form, .success(count))
        } catch let refused as GridCellRefused {
            let message = "\(refused.studentName), \(refused.cell.competency) : \(refused.reason.description). Rien n’a été enregistré : "
                + "corrigez la case en rouge, les autres saisies sont conservées."
            return (form, .failure(refusal("c-\(refused.cell.studentID)-\(refused.cell.competency)", message)))
        }
    }
}

/// A cell of the grid form, named `c-STUDENT-COMPETENCY`, with what the teacher typed.
struct GridEntry: Equatable {
    var studentID: Int64
    var competency: String
    var level: String

    static func cells(in fields: [String: String]) -> [GridEntry] {
        fields.compactMap { name, value in
            let level = value.trimmingCharacters(in: .whitespaces)
            guard name.hasPrefix("c-"), !level.isEmpty else { return nil }
            let parts = name.dropFirst(2).split(separator: "-", maxSplits: 1)
            guard parts.count == 2, let id = Int64(parts[0]) else { return nil }
            return GridEntry(studentID: id, competency: String(parts[1]), level: level.uppercased())
        }.sorted { ($0.studentID, $0.competency) < ($1.studentID, $1.competency) }
    }
}

extension Optional where Wrapped == String {
    /// Nil for a missing or blank form field.
    var nonEmpty: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

extension String {
    var urlQueryEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
    var urlPathEncoded: String { addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? self }
}
