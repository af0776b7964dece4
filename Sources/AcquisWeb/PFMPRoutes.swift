import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird

/// PFMP: the teacher's page of a student's periods, and the tutor's page, reached by a link
/// without an account.
struct PFMPRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/eleves/{id}/pfmp", use: periods)
        router.post("/eleves/{id}/pfmp", use: create)
        router.post("/pfmp/{id}/retrait", use: revoke)
        router.get("/pfmp/{id}/attestation.pdf", use: attestation)
        router.post("/pfmp/observations/{id}", use: decide)
        router.get("/pfmp/lien/{token}", use: tutorPage)
        router.post("/pfmp/lien/{token}", use: tutorRecord)
    }

    /// Where the tutor's link leads, for a token.
    static func linkPath(_ token: String) -> String { "/pfmp/lien/\(token)" }

    // MARK: The teacher

    @Sendable func periods(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        return try await page(student, for: account, notice: request.uri.queryParameters["ok"].map(String.init))
            .response(services.templates, context: context)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        // Read field by field: the competencies' boxes repeat their name, which a flat decoder refuses.
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let chosen = CSRFMiddleware.fields("competences", inURLEncoded: body).compactMap { value -> (referential: String, code: String)? in
            let pair = value.split(separator: "|", maxSplits: 1).map(String.init)
            return pair.count == 2 ? (pair[0], pair[1]) : nil
        }
        var typed: [String: String] = [:]
        for name in ["entreprise", "tuteur", "courriel", "du", "au"] { typed[name] = CSRFMiddleware.field(name, inURLEncoded: body) ?? "" }
        do {
            let referentials = Set(chosen.map(\.referential))
            guard referentials.count <= 1 else {
                throw HTTPError(.unprocessableContent, message: "Choisissez les compétences d’un seul référentiel pour une PFMP.")
            }
            let draft = PFMPDraft(student: student.reference, company: typed["entreprise"]!, tutorName: typed["tuteur"]!,
                                  tutorEmail: typed["courriel"]!, startsOn: try Self.day(typed["du"]!, field: "du"),
                                  endsOn: try Self.day(typed["au"]!, field: "au"),
                                  referential: referentials.first ?? "", competencies: chosen.map(\.code))
            let (period, token) = try await services.app.pfmp.create(draft, by: .account(account))
            let link = services.publicAddress(of: request) + Self.linkPath(token)
            return try await page(student, for: account, created: (period, link)).response(services.templates, context: context)
        } catch let error as any UserFacing {
            return try await page(student, for: account, error: error.description, typed: typed, status: .unprocessableContent)
                .response(services.templates, context: context)
        } catch let error as HTTPError where error.status == .unprocessableContent || error.status == .badRequest {
            return try await page(student, for: account, error: error.body ?? "", typed: typed, status: error.status)
                .response(services.templates, context: context)
        }
    }

    @Sendable func revoke(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        try await services.app.pfmp.revoke(id, by: .account(account))
        let studentID = try await services.app.pfmp.studentID(ofPeriod: id, by: .account(account))
        return .seeOther("/eleves/\(studentID)/pfmp?ok=retrait")
    }

    /// The end-of-PFMP attestation, as a PDF to print or send.
    @Sendable func attestation(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let attestation = try await services.app.pfmp.attestation(id, by: .account(account))
        return .file(PDFExport.attestation(attestation), type: "application/pdf", name: "attestation-pfmp-\(id).pdf")
    }

    struct Decision: Decodable {
        var decision: String
        var eleve: Int64
    }

    @Sendable func decide(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await request.decode(as: Decision.self, context: context)
        guard ["confirmer", "ecarter"].contains(form.decision) else {
            throw HTTPError(.badRequest, message: "Choisissez « Confirmer » ou « Écarter ».")
        }
        try await services.app.pfmp.decide(observation: id, confirm: form.decision == "confirmer", by: .account(account))
        return .seeOther("/eleves/\(form.eleve)/pfmp?ok=\(form.decision)")
    }

    // MARK: The tutor

    @Sendable func tutorPage(_ request: Request, context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        return try await tutorResponse(token, context: context, notice: request.uri.queryParameters["ok"] != nil)
    }

    @Sendable func tutorRecord(_ request: Request, context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let fields = try await request.decode(as: [String: String].self, context: context)
        let levels = fields.compactMapValues { $0.isEmpty ? nil : $0 }.reduce(into: [String: String]()) { levels, field in
            if field.key.hasPrefix("c-") { levels[String(field.key.dropFirst(2))] = field.value }
        }
        do {
            try await services.app.pfmp.tutorRecord(token: token, levels: levels, appreciation: fields["appreciation"])
        } catch let error as PFMPError {
            // A closed link answers as on opening it (404); anything else shows the page again.
            return try await tutorResponse(token, context: context, error: error.description, status: .unprocessableContent)
        }
        return .seeOther(Self.linkPath(token) + "?ok=1")
    }

    private func tutorResponse(_ token: String, context: WebContext, notice: Bool = false, error: String? = nil,
                               status: HTTPResponse.Status = .ok) async throws -> Response {
        let view: TutorView
        do {
            view = try await services.app.pfmp.tutorView(token: token)
        } catch let error as PFMPError {
            return Page("erreur", title: "Lien fermé", ["message": error.description, "code": 404], status: .notFound)
                .response(services.templates, context: context)
        }
        let period = view.period
        let labels = Dictionary(view.scale.levels.map { ($0.code, $0.teacherLabel) }, uniquingKeysWith: { first, _ in first })
        return Page("tuteur", title: "PFMP de \(view.studentFirstName) \(view.studentLastInitial)", [
            "tutor": period.tutorName, "company": period.company, "firstName": view.studentFirstName,
            "from": period.startsOn.french, "to": period.endsOn.french, "lastDay": period.linkLastDay.french,
            "competencies": period.competencies.map { competency in
                [
                    "code": competency.code, "title": competency.title, "field": "c-\(competency.code)",
                    "id": "c-\(competency.code)".replacingOccurrences(of: ".", with: "-"),
                    "levels": view.scale.levels.map { ["code": $0.code, "label": $0.teacherLabel] },
                ] as [String: Any]
            },
            "sent": view.observations.map {
                ["competency": "\($0.competency.code) – \($0.competency.title)", "level": labels[$0.code] ?? $0.code, "day": $0.observedOn.french]
            },
            "hasSent": !view.observations.isEmpty,
            "appreciation": period.appreciation ?? "",
            "notice": notice ? "Merci : vos observations sont transmises à l’établissement. Vous pouvez revenir sur cette page jusqu’au \(period.linkLastDay.french)." : nil,
            "error": error,
        ], status: status).response(services.templates, context: context)
    }

    // MARK: The teacher's page

    /// A day the form requires.
    static func day(_ text: String, field: String) throws -> CalendarDate {
        guard let day = try PortfolioRoutes.day(text, field: field) else {
            throw HTTPError(.unprocessableContent, message: "\(field) : indiquez une date (16/11/2026).")
        }
        return day
    }

    private func page(_ student: StoredStudent, for account: Account, notice: String? = nil, created: (PFMPPeriod, String)? = nil,
                      error: String? = nil, typed: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Page {
        let person = ActingPerson.account(account)
        let periods = try await services.app.pfmp.periods(studentID: student.id, by: person)
        let choices = try await services.app.portfolio.competencyChoices(studentID: student.id, by: person)
        let today = services.today
        var values: [String: Any] = [
            "studentID": student.id, "firstName": student.student.firstName,
            "notice": Self.notice(notice) as Any, "error": error as Any,
            // What the form shows: what was typed, or blank fields starting today.
            "typed": typed.isEmpty ? ["entreprise": "", "tuteur": "", "courriel": "", "du": today.iso, "au": ""] : typed,
            "referentials": Dictionary(grouping: choices, by: \.referentialCode).sorted { $0.key < $1.key }.map { code, competencies in
                ["code": code, "competencies": competencies.map { ["value": "\(code)|\($0.code)", "label": "\($0.code) – \($0.title)"] }] as [String: Any]
            },
            "periods": periods.map { Self.values($0.period, observations: $0.observations, studentID: student.id, today: today) },
            "hasPeriods": !periods.isEmpty,
        ]
        if let (period, link) = created {
            let subject = "PFMP de \(student.student.firstName) chez \(period.company) : vos observations"
            let body = "Bonjour,\n\nMerci d’accueillir \(student.student.firstName) du \(period.startsOn.french) au \(period.endsOn.french). "
                + "Ce lien vous permet d’indiquer ce que vous observez, sans compte ni mot de passe, jusqu’au \(period.linkLastDay.french) :\n\n\(link)\n\nMerci pour votre aide."
            values["created"] = [
                "link": link, "tutor": period.tutorName, "email": period.tutorEmail, "lastDay": period.linkLastDay.french,
                "mailto": "mailto:\(period.tutorEmail)?subject=\(Self.mailEncoded(subject))&body=\(Self.mailEncoded(body))",
            ]
        }
        return Page("pfmp", title: "PFMP de \(student.student.firstName) \(student.student.lastName)", values, status: status)
    }

    static func mailEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func values(_ period: PFMPPeriod, observations: [PFMPObservation], studentID: Int64, today: CalendarDate) -> [String: Any] {
        let link = if let revoked = period.revokedAt { "lien retiré le \(FrenchText.day(revoked))" }
            else if today > period.linkLastDay { "lien expiré le \(period.linkLastDay.french)" }
            else { "lien actif jusqu’au \(period.linkLastDay.french)" }
        var values: [String: Any] = [
            "id": period.id, "studentID": studentID, "company": period.company, "tutor": period.tutorName, "email": period.tutorEmail,
            "dates": "du \(period.startsOn.french) au \(period.endsOn.french)", "link": link,
            "canRevoke": period.revokedAt == nil && today <= period.linkLastDay,
            "competencies": period.competencies.map { "\($0.code) – \($0.title)" },
            "pending": observations.filter { $0.status == .pending }.map {
                ["id": $0.id, "competency": "\($0.competency.code) – \($0.competency.title)", "code": $0.code, "day": $0.observedOn.french] as [String: Any]
            },
            "decided": observations.filter { $0.status != .pending }.map {
                ["competency": "\($0.competency.code)", "code": $0.code, "day": $0.observedOn.french,
                 "status": $0.status == .confirmed ? "confirmée" : "écartée"]
            },
        ]
        values["hasPending"] = !(values["pending"] as! [[String: Any]]).isEmpty
        values["hasDecided"] = !observations.filter { $0.status != .pending }.isEmpty
        if let appreciation = period.appreciation { values["appreciation"] = appreciation }
        return values
    }

    static func notice(_ done: String?) -> String? {
        switch done {
        case "retrait": "Le lien est retiré : il n’ouvre plus rien. Ce que le tuteur a écrit reste."
        case "confirmer": "Observation confirmée : elle compte maintenant comme preuve, en PFMP, par le tuteur."
        case "ecarter": "Observation écartée : elle ne compte pas. Parlez-en avec le tuteur ou l’élève."
        default: nil
        }
    }
}
