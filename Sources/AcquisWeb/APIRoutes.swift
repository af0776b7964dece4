import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// The JSON API: the same operations as the pages, under the same session and authorisation.
/// Described by `Resources/openapi.json`, served at `/api/openapi.json`.
struct APIRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/api/openapi.json") { _, _ -> Response in
            guard let document = services.assets["openapi.json"] else { throw HTTPError(.notFound) }
            return .file(document.bytes, type: "application/json")
        }
        let api = router.group("/api/v1")
        api.post("session", use: signIn)
        api.delete("session") { _, context -> Response in
            context.sessions.clearSession()
            return Response(status: .noContent)
        }
        api.get("classes", use: classes)
        api.get("classes/{code}/grille", use: grid)
        api.post("evaluations", use: record)
        api.get("eleves/{id}/progression", use: progress)
        api.get("eleves/{id}/badges", use: badges)
        api.post("eleves/{id}/badges", use: award)
        api.post("badges/{uuid}/revocation", use: revoke)
        api.get("demandes", use: requests)
        api.post("demandes", use: request)
        api.post("demandes/{id}/reponse", use: answer)
        api.post("auto-evaluations", use: selfEvaluation)
        api.get("referentiels", use: referentials)
        api.post("referentiels/validation", use: validate)
        api.post("referentiels", use: publish)
        SchoolAPI(services: services).register(on: api)
        BilanAPI(services: services).register(on: api)
        ExportAPI(services: services).register(on: api)
    }

    struct SignIn: Decodable {
        var identifiant: String
        var motDePasse: String
    }

    struct Session: ResponseEncodable {
        var identifiant: String
        var nom: String
        var role: String
        var eleve: Int64?
        /// Echo it in `X-CSRF-Token` on every write.
        var csrf: String
    }

    @Sendable func signIn(_ request: Request, context: WebContext) async throws -> Session {
        let form = try await request.decode(as: SignIn.self, context: context)
        switch try await AuthRoutes(services: services).authenticate(login: form.identifiant, password: form.motDePasse,
                                                                    request: request, context: context) {
        case .signedIn(let account):
            return Session(identifiant: account.login, nom: account.displayName, role: account.role.rawValue,
                           eleve: account.studentID, csrf: context.sessions.session?.csrf ?? "")
        case .refused(let message, let status):
            throw HTTPError(status, message: message)
        }
    }

    struct Division: ResponseEncodable {
        var code: String
        var type: String
        var eleves: Int
    }

    @Sendable func classes(_ request: Request, context: WebContext) async throws -> [Division] {
        let account = try services.require(context, .teacher, .admin)
        return try await services.app.classes.divisions(by: .account(account)).map {
            Division(code: $0.code, type: $0.kind, eleves: $0.students)
        }
    }

    struct Grid: ResponseEncodable {
        struct Competency: Codable { var code: String; var titre: String }
        struct Student: Codable { var id: Int64; var nom: String; var niveaux: [String: String] }
        var classe: String
        var referentiel: String
        var version: String
        var competences: [Competency]
        var eleves: [Student]
    }

    @Sendable func grid(_ request: Request, context: WebContext) async throws -> Grid {
        let account = try services.require(context, .teacher, .admin)
        let referential = request.uri.queryParameters["referentiel"].map(String.init)
        let grid = try await services.app.classes.grid(try context.parameters.require("code"), referential: referential, group: nil,
                                                       by: .account(account)).grid
        return Grid(classe: grid.division, referentiel: grid.target.referential.code, version: grid.target.referential.version,
                    competences: grid.columns.map { .init(code: $0.code, titre: $0.title) },
                    eleves: grid.rows.map { row in
                        var levels: [String: String] = [:]
                        for cell in row.cells { if let level = cell.level { levels[cell.code] = level.code } }
                        return .init(id: row.student.id, nom: row.student.fullName, niveaux: levels)
                    })
    }

    struct NewEvaluation: Decodable {
        var eleve: Int64
        var referentiel: String
        var competence: String
        var niveau: String
        var commentaire: String?
        /// `date`, `contexte`, `entreprise`, `tuteur`: at the same level as the fields above.
        var observation: ObservationInput

        enum CodingKeys: CodingKey { case eleve, referentiel, competence, niveau, commentaire }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            eleve = try container.decode(Int64.self, forKey: .eleve)
            referentiel = try container.decode(String.self, forKey: .referentiel)
            competence = try container.decode(String.self, forKey: .competence)
            niveau = try container.decode(String.self, forKey: .niveau)
            commentaire = try container.decodeIfPresent(String.self, forKey: .commentaire)
            observation = try ObservationInput(from: decoder)
        }
    }

    struct RecordedEvaluationAnswer: ResponseEncodable {
        var id: Int64
        var niveau: String?
        var explication: String?
    }

    @Sendable func record(_ request: Request, context: WebContext) async throws -> EditedResponse<RecordedEvaluationAnswer> {
        let account = try services.require(context, .teacher, .admin)
        let body = try await request.decode(as: NewEvaluation.self, context: context)
        let (day, observed) = try body.observation.resolved(today: services.today)
        // The API names students by id: the use case reads the student in its own transaction.
        let entry = EvaluationEntry(student: .localID("#\(body.eleve)"), referentialCode: body.referentiel, competencyCode: body.competence,
                                    code: body.niveau, observedOn: day, context: observed, evaluator: account.displayName,
                                    comment: body.commentaire)
        let recorded = try await services.app.evaluations.record(entry, studentID: body.eleve, by: .account(account))
        return EditedResponse(status: .created, response: RecordedEvaluationAnswer(id: recorded.id, niveau: recorded.mastery.levelCode,
                                                                             explication: recorded.mastery.explanation))
    }

    @Sendable func progress(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await services.student(id, for: account)
        let file = try await services.app.students.progressFile(studentID: id, period: services.period(of: request), by: .account(account))
        return .file(Array(ProgressFileJSON.encoded(file)), type: "application/json")
    }

    struct Badge: ResponseEncodable {
        var uuid: String
        var nom: String
        var date: String
        var revoque: Bool
        var motif: String?
        var verification: String
    }

    @Sendable func badges(_ request: Request, context: WebContext) async throws -> [Badge] {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await services.student(id, for: account)
        return try await services.app.students.awards(studentID: id, by: .account(account)).map(Self.badge)
    }

    static func badge(_ award: StoredAward) -> Badge {
        Badge(uuid: award.uuid, nom: award.badge.badgeClass.name, date: award.awardedOn.iso, revoque: award.isRevoked,
              motif: award.revocation?.reason, verification: "/verifier/\(award.uuid)")
    }

    @Sendable func award(_ request: Request, context: WebContext) async throws -> EditedResponse<Badge> {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await services.student(id, for: account)
        let body = try await request.decode(as: BadgeActions.Award.self, context: context)
        let award = try await BadgeActions(services: services).award(code: body.badge, studentID: id, evidence: body.preuve, by: account)
        return EditedResponse(status: .created, response: Self.badge(award))
    }

    @Sendable func revoke(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let body = try await request.decode(as: BadgeActions.Revocation.self, context: context)
        _ = try await BadgeActions(services: services).revoke(uuid: try context.parameters.require("uuid"), reason: body.motif, by: account)
        return Response(status: .noContent)
    }

    struct OpenRequest: ResponseEncodable {
        var id: Int64
        var eleve: Int64
        var nom: String
        var referentiel: String
        var competence: String
        var message: String?
        var statut: String
    }

    @Sendable func requests(_ request: Request, context: WebContext) async throws -> [OpenRequest] {
        let account = try context.account()
        return try await services.app.requests.visible(by: .account(account)).map {
            OpenRequest(id: $0.id, eleve: $0.studentID, nom: $0.studentName, referentiel: $0.referentialCode,
                        competence: $0.competencyCode, message: $0.message, statut: $0.status.rawValue)
        }
    }

    struct NewRequest: Decodable {
        var referentiel: String
        var competence: String
        var message: String?
    }

    struct Created: ResponseEncodable {
        var id: Int64
    }

    @Sendable func request(_ request: Request, context: WebContext) async throws -> EditedResponse<Created> {
        let account = try services.require(context, .student)
        let body = try await request.decode(as: NewRequest.self, context: context)
        let id = try await RequestActions(services: services).request(referential: body.referentiel, competency: body.competence,
                                                                      message: body.message, by: account)
        return EditedResponse(status: .created, response: Created(id: id))
    }

    @Sendable func answer(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let body = try await request.decode(as: RequestActions.Answer.self, context: context)
        try await RequestActions(services: services).answer(try context.parameters.require("id", as: Int64.self), status: body.statut,
                                                            answer: body.reponse, by: account)
        return Response(status: .noContent)
    }

    struct SelfEvaluation: Decodable {
        var referentiel: String
        var competence: String
        var niveau: String
    }

    @Sendable func selfEvaluation(_ request: Request, context: WebContext) async throws -> EditedResponse<Created> {
        let account = try services.require(context, .student)
        let body = try await request.decode(as: SelfEvaluation.self, context: context)
        let id = try await RequestActions(services: services).selfEvaluate(referential: body.referentiel, competency: body.competence,
                                                                           level: body.niveau, by: account)
        return EditedResponse(status: .created, response: Created(id: id))
    }

    struct ReferentialEntry: ResponseEncodable {
        var code: String
        var version: String
        var titre: String
        var type: String
        var competences: Int
    }

    @Sendable func referentials(_ request: Request, context: WebContext) async throws -> [ReferentialEntry] {
        _ = try context.account()
        return try await services.app.referentials.summaries().map {
            ReferentialEntry(code: $0.code, version: $0.version, titre: $0.title, type: $0.kind, competences: $0.evaluableCount)
        }
    }

    struct Validation: ResponseEncodable {
        struct Problem: Codable {
            var ligne: Int?
            var colonne: Int?
            var champ: String?
            var message: String
        }
        var valide: Bool
        var erreurs: [Problem]
        var code: String?
        var version: String?
        var competences: Int?
    }

    /// The body is the XML file itself; `?nom=` names it in the errors.
    private func check(_ request: Request, context: WebContext) async throws
        -> (check: ReferentialCheck, validation: Validation, name: String, content: [UInt8])
    {
        let content = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let name = UploadName.label(request.uri.queryParameters["nom"].map(String.init), default: "referentiel.xml")
        let settings = InspectorRoutes.settings { request.uri.queryParameters[Substring($0)].map(String.init) }
        var check = ReferentialCheck(fileName: name, content: content, settings: settings)
        if case let .valid(referentials, _) = check.outcome, referentials.count > 1 {
            check.outcome = .invalid([Diagnostic(file: name, field: "fiches", message: "ce fichier contient \(referentials.count) "
                + "référentiels : l’API en publie un à la fois ; choisissez la fiche avec ?fiches=RNCP…")])
        }
        switch check.outcome {
        case .invalid(let diagnostics):
            return (check, Validation(valide: false, erreurs: diagnostics.map {
                .init(ligne: $0.line, colonne: $0.column, champ: $0.field, message: $0.message)
            }), name, content)
        case let .valid(referentials, _):
            let referential = referentials[0]
            return (check, Validation(valide: true, erreurs: [], code: referential.code, version: referential.version,
                                      competences: referential.evaluableNodes.count), name, content)
        }
    }

    @Sendable func validate(_ request: Request, context: WebContext) async throws -> Validation {
        _ = try services.require(context, .inspector, .admin)
        return try await check(request, context: context).validation
    }

    @Sendable func publish(_ request: Request, context: WebContext) async throws -> EditedResponse<Validation> {
        let account = try services.require(context, .inspector, .admin)
        let (check, validation, name, content) = try await check(request, context: context)
        guard case let .valid(referentials, format) = check.outcome, let referential = referentials.first else {
            return EditedResponse(status: .unprocessableContent, response: validation)
        }
        let outcome = try await services.app.referentials.publishUpload(fileName: name, content: content, as: referential,
                                                                         format: format.rawValue, by: .account(account))
        return EditedResponse(status: outcome == .inserted ? .created : .ok, response: validation)
    }
}
