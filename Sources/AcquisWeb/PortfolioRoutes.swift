import AcquisApp
import AcquisCore
import AcquisExport
import AcquisMedia
import AcquisStorage
import Foundation
import Hummingbird
import ZIPFoundation

/// Students' portfolios: what they made, added from a phone or a desk, read by those who
/// follow the student, and served only to them.
struct PortfolioRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/eleve/portfolio", use: own)
        router.get("/eleve/portfolio.zip", use: download)
        router.get("/depart", use: leaver)
        router.get("/portfolios-precedents/{id}", use: previousPackage)
        router.post("/eleves/{id}/portfolio-precedent", use: receive)
        router.get("/eleves/{id}/portfolio", use: ofStudent)
        router.post("/eleves/{id}/productions", use: add)
        router.post("/productions/{id}/reflexion", use: reflect)
        router.post("/productions/{id}/evaluations", use: evaluate)
        router.get("/productions/{id}/fichier", use: file)
        router.get("/productions/{id}/vignette", use: thumbnail)
        router.post("/eleve/partages", use: share)
        router.post("/eleve/partages/{id}/retrait", use: revokeShare)
        router.get("/partage/{token}", use: shared)
        router.get("/partage/{token}/{production}/fichier", use: sharedFile)
        router.get("/partage/{token}/{production}/vignette", use: sharedThumbnail)
        router.get("/preuve/{key}", use: evidence)
        router.get("/preuve/{key}/fichier", use: evidenceFile)
        router.get("/preuve/{key}/vignette", use: evidenceThumbnail)
        router.get("/api/v1/eleves/{id}/productions", use: apiList)
        router.post("/api/v1/eleves/{id}/productions", use: apiAdd)
    }

    /// The largest body a production's upload may send: the file and its form.
    static let uploadLimit = MediaLimits().largest + 256 * 1024
    /// The largest package the browser may send; larger ones go through `acquis portfolio importer`.
    static let packageLimit = 64 * 1_048_576

    /// Whether a request sends a production (its body may be larger than other forms').
    static func isUpload(_ path: String) -> Bool {
        path.hasPrefix("/eleves/") && path.hasSuffix("/productions")
            || path.hasPrefix("/api/v1/eleves/") && path.hasSuffix("/productions")
    }

    /// Whether a request sends a previous school's package.
    static func isPackage(_ path: String) -> Bool {
        path.hasPrefix("/eleves/") && path.hasSuffix("/portfolio-precedent")
    }

    /// A student's or a family's own page (`?enfant=` for a family of several children).
    @Sendable func own(_ request: Request, context: WebContext) async throws -> Response {
        let (account, student, children) = try await StudentRoutes(services: services).followed(request, context)
        return try await page(student, for: account, children: children, notice: request.uri.queryParameters["ok"].map(String.init))
            .response(services.templates, context: context)
    }

    /// What a student who left (or their family) still has: the portfolio to download, until
    /// the end of the period the school chose.
    @Sendable func leaver(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student, .family)
        guard case let .downloadOnly(leftOn, until) = try await services.app.students.leaverAccess(by: .account(account)) else {
            return .seeOther("/")
        }
        let isStudent = account.role == .student
        let children = try await services.app.students.followed(by: .account(account))
        return try await Page("depart", title: isStudent ? "Ton portfolio après ton départ" : "Le portfolio après le départ", [
            "isStudent": isStudent, "leftOn": leftOn.french, "until": until.french,
            "nav": [[String: String]](),
            "downloads": isStudent ? [["href": "/eleve/portfolio.zip", "label": "Télécharger mon portfolio (ZIP)"]]
                : children.map { ["href": "/eleve/portfolio.zip?enfant=\($0.id)", "label": "Télécharger le portfolio de \($0.student.firstName) (ZIP)"] },
        ]).response(services.templates, context: context)
    }

    /// The student's own package (or their child's, for a family): progress file, signed
    /// badges and productions, in one ZIP to keep.
    @Sendable func download(_ request: Request, context: WebContext) async throws -> Response {
        let (account, student, _) = try await StudentRoutes(services: services).followed(request, context)
        guard let keys = services.keys else { throw PortfolioError.cannotSign }
        let portfolio = services.app.portfolio, person = ActingPerson.account(account)
        let contents = try await portfolio.contents(of: student.reference, keys: keys, by: person)
        let archive = try Archive(accessMode: .create)
        let entries = try await PortfolioPackage.entries(contents) {
            try await portfolio.signPackage(manifestSHA256: $0, of: student.reference, keys: keys, by: person)
        }
        for entry in entries { try archive.add(entry.bytes, as: entry.path) }
        return .file(Array(archive.data ?? Data()), type: "application/zip",
                     name: "portfolio-\(ExportNames.safe(student.student.firstName))-\(services.today.iso).zip")
    }

    /// A package received from the student's previous school, as it arrived.
    @Sendable func previousPackage(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        let bytes = try await services.app.portfolio.previousPackage(id, by: .account(account))
        return .file(bytes, type: "application/zip", name: "portfolio-etablissement-precedent-\(id).zip")
    }

    /// Direction receives the package of the student's previous school, from the browser.
    @Sendable func receive(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw HTTPError(.badRequest, message: "Envoyez l’archive avec le formulaire de la page « Portfolio ».")
        }
        let form = try MultipartForm(try await request.body.collect(upTo: context.maxUploadSize), boundary: boundary)
        let problem: String
        var confirm: [String: String]?
        do {
            let opened = try PortfolioPackage.open(Data(form.part("archive")?.body ?? []))
            guard opened.studentINE == student.student.ine else {
                throw HTTPError(.unprocessableContent, message: "Cette archive est le portfolio de \(opened.studentName) (INE \(opened.studentINE)), "
                                + "pas celui de \(student.student.firstName) \(student.student.lastName) : envoyez-la depuis sa page.")
            }
            try await services.app.portfolio.receive(opened, confirming: form.text("empreinte"), by: .account(account))
            return .seeOther("/eleves/\(student.id)/portfolio?ok=recu")
        } catch let refusal as PortfolioPackageRefusal {
            problem = "L’archive n’est pas reçue : \(refusal.description)."
        } catch let error as PortfolioError {
            if case let .unconfirmedSigner(school, _, thumbprint) = error { confirm = ["school": school, "thumbprint": thumbprint] }
            problem = error.description
        } catch let error as HTTPError where error.status == .unprocessableContent {
            problem = error.body ?? ""
        }
        return try await page(student, for: account, error: problem, confirmSigner: confirm, status: .unprocessableContent)
            .response(services.templates, context: context)
    }

    /// A teacher's or direction's page of one student.
    @Sendable func ofStudent(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        return try await page(student, for: account, notice: request.uri.queryParameters["ok"].map(String.init))
            .response(services.templates, context: context)
    }

    @Sendable func add(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student, .teacher, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw HTTPError(.badRequest, message: "Envoyez la production avec le formulaire de la page « Portfolio ».")
        }
        let form = try MultipartForm(try await request.body.collect(upTo: context.maxUploadSize), boundary: boundary)
        let title = form.text("titre") ?? ""
        do {
            let competencies = Dictionary(grouping: form.parts.filter { $0.name == "competences" }.compactMap { part -> (String, String)? in
                let pair = String(decoding: part.body, as: UTF8.self).split(separator: "|", maxSplits: 1).map(String.init)
                return pair.count == 2 ? (pair[0], pair[1]) : nil
            }, by: \.0).sorted { $0.key < $1.key }.map { (referential: $0.key, codes: $0.value.map(\.1)) }
            let draft = ProductionDraft(student: student.reference, title: title,
                                        day: try Self.day(form.text("date"), field: "date"),
                                        context: form.text("contexte").flatMap(ProductionContext.init) ?? .classe,
                                        competencies: competencies)
            _ = try await services.app.portfolio.add(draft, file: Data(form.part("fichier")?.body ?? []), by: .account(account))
        } catch let error as any UserFacing {
            // The form again, with the reason and what was typed.
            let tooLarge = (error as? PortfolioError)?.isTooLarge == true
            return try await page(student, for: account, error: error.description, title: title,
                                  status: tooLarge ? .contentTooLarge : .unprocessableContent)
                .response(services.templates, context: context)
        }
        return .seeOther(Self.home(of: student, for: account) + "?ok=ajout")
    }

    @Sendable func reflect(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await request.decode(as: Reflection.self, context: context)
        try await services.app.portfolio.reflect(on: id, text: form.reflexion, by: .account(account))
        return .seeOther("/eleve/portfolio?ok=reflexion#production-\(id)")
    }

    struct Reflection: Decodable {
        var reflexion: String
    }

    /// A teacher's levels on a production's competencies, from fields `n-RÉFÉRENTIEL|CODE`.
    @Sendable func evaluate(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let production = try await services.app.portfolio.production(id, by: .account(account))
        let fields = try await request.decode(as: [String: String].self, context: context)
        let levels = fields.sorted { $0.key < $1.key }.compactMap { name, value -> (referential: String, competency: String, level: String)? in
            let level = value.trimmingCharacters(in: .whitespaces)
            let key = name.split(separator: "|", maxSplits: 1)
            guard name.hasPrefix("n-"), !level.isEmpty, key.count == 2 else { return nil }
            return (String(key[0].dropFirst(2)), String(key[1]), level)
        }
        do {
            try await services.app.portfolio.evaluate(id, levels: levels, evaluator: account.displayName,
                                                      comment: fields["commentaire"].nonEmpty, by: .account(account))
        } catch let error as any UserFacing {
            let student = try await services.student(production.studentID, for: account)
            return try await page(student, for: account, error: error.description, status: .unprocessableContent)
                .response(services.templates, context: context)
        }
        return .seeOther("/eleves/\(production.studentID)/portfolio?ok=evaluation#production-\(id)")
    }

    @Sendable func file(_ request: Request, context: WebContext) async throws -> Response {
        try await served(request, context, thumbnail: false)
    }

    @Sendable func thumbnail(_ request: Request, context: WebContext) async throws -> Response {
        try await served(request, context, thumbnail: true)
    }

    /// A production's bytes, as kept: pictures shown in the page, documents downloaded; never
    /// a page of this site (no script runs from it, no type is guessed).
    private func served(_ request: Request, _ context: WebContext, thumbnail: Bool) async throws -> Response {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        return Self.serve(try await services.app.portfolio.file(id, thumbnail: thumbnail, by: .account(account)), id: id)
    }

    static func serve(_ file: (mediaType: String, content: Data), id: Int64?) -> Response {
        // Pictures and recordings play in the page; documents are downloaded, never shown as a page of this site.
        let isPicture = ["image/", "audio/", "video/"].contains { file.mediaType.hasPrefix($0) }
        var response = Response.file(Array(file.content), type: file.mediaType,
                                     name: isPicture ? nil : "production\(id.map { "-\($0)" } ?? "").\(file.mediaType == "application/pdf" ? "pdf" : "txt")")
        response.headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; sandbox"
        return response
    }

    // MARK: Sharing

    /// How long a share link may live, as the student chooses it.
    static let shareLengths: [(value: String, label: String, days: Int)] = [
        ("30", "un mois", 30), ("90", "trois mois", 90), ("180", "six mois", 180), ("365", "un an", 365),
    ]

    @Sendable func share(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let chosen = CSRFMiddleware.fields("productions", inURLEncoded: body).compactMap { Int64($0) }
        let length = Self.shareLengths.first { $0.value == CSRFMiddleware.field("duree", inURLEncoded: body) } ?? Self.shareLengths[1]
        let student = try await services.student(account.studentID ?? 0, for: account)
        do {
            let (share, token) = try await services.app.portfolio.share(
                chosen, until: services.today.adding(days: length.days),
                showingFirstName: CSRFMiddleware.field("prenom", inURLEncoded: body) == "oui", by: .account(account))
            let link = services.publicAddress(of: request) + "/partage/" + token
            return try await page(student, for: account, sharedLink: (link, share.expiresOn)).response(services.templates, context: context)
        } catch let error as PortfolioError {
            return try await page(student, for: account, error: error.description, status: .unprocessableContent)
                .response(services.templates, context: context)
        }
    }

    @Sendable func revokeShare(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        try await services.app.portfolio.revokeShare(try context.parameters.require("id", as: Int64.self), by: .account(account))
        return .seeOther("/eleve/portfolio?ok=retrait")
    }

    /// The public page of a share link: the productions chosen, no account, no name unless added.
    @Sendable func shared(_ request: Request, context: WebContext) async throws -> Response {
        let token = try context.parameters.require("token")
        return try await publicPage(closedTitle: "Lien fermé", context: context) {
            let shared = try await services.app.portfolio.shared(token: token)
            return (shared.firstName.map { "Réalisations de \($0)" } ?? "Réalisations d’un élève",
                    "Des réalisations qu’un élève de lycée professionnel a choisi de montrer. Ce lien s’ouvre jusqu’au \(shared.expiresOn.french).",
                    shared.productions.map { ($0, "/partage/\(token)/\($0.id)") })
        }
    }

    @Sendable func sharedFile(_ request: Request, context: WebContext) async throws -> Response {
        try await sharedBytes(context, thumbnail: false)
    }

    @Sendable func sharedThumbnail(_ request: Request, context: WebContext) async throws -> Response {
        try await sharedBytes(context, thumbnail: true)
    }

    private func sharedBytes(_ context: WebContext, thumbnail: Bool) async throws -> Response {
        let token = try context.parameters.require("token")
        let id = try context.parameters.require("production", as: Int64.self)
        return try await publicFile(id: id) {
            try await services.app.portfolio.sharedFile(token: token, production: id, thumbnail: thumbnail)
        }
    }

    /// The public page a badge's evidence points to: one production, while the student shares it.
    @Sendable func evidence(_ request: Request, context: WebContext) async throws -> Response {
        let key = try context.parameters.require("key")
        return try await publicPage(closedTitle: "Réalisation non partagée", context: context) {
            let production = try await services.app.portfolio.sharedEvidence(key: key)
            return ("Réalisation d’un élève",
                    "Une réalisation qu’un élève de lycée professionnel a choisi de montrer : elle est la preuve d’un de ses badges. Elle reste visible tant que l’élève la partage.",
                    [(production, "/preuve/\(key)")])
        }
    }

    @Sendable func evidenceFile(_ request: Request, context: WebContext) async throws -> Response {
        try await evidenceBytes(context, thumbnail: false)
    }

    @Sendable func evidenceThumbnail(_ request: Request, context: WebContext) async throws -> Response {
        try await evidenceBytes(context, thumbnail: true)
    }

    private func evidenceBytes(_ context: WebContext, thumbnail: Bool) async throws -> Response {
        let key = try context.parameters.require("key")
        return try await publicFile(id: nil) { try await services.app.portfolio.sharedEvidenceFile(key: key, thumbnail: thumbnail) }
    }

    /// A page anyone may open (a share link's, a badge evidence's): productions without their
    /// author, each with the address of its files; the same 404 once nothing shares them.
    private func publicPage(closedTitle: String, context: WebContext,
                            _ read: () async throws -> (title: String, intro: String, productions: [(Production, base: String)]))
        async throws -> Response {
        do {
            let page = try await read()
            return Page("partage", title: page.title, [
                "intro": page.intro,
                "productions": page.productions.map { production, base in
                    var values = Self.values(production, showAuthor: false, canReflect: false)
                    values["base"] = base
                    return values
                },
            ]).response(services.templates, context: context)
        } catch let error as PortfolioError {
            return Page("erreur", title: closedTitle, ["message": error.description, "code": 404], status: .notFound)
                .response(services.templates, context: context)
        }
    }

    /// A file behind a public page; 404 once nothing shares it.
    private func publicFile(id: Int64?, _ read: () async throws -> (mediaType: String, content: Data)) async throws -> Response {
        do {
            return Self.serve(try await read(), id: id)
        } catch is PortfolioError {
            throw HTTPError(.notFound, message: PortfolioError.shareClosed.description)
        }
    }

    // MARK: The API

    struct ProductionJSON: ResponseEncodable, Codable {
        struct Competence: Codable {
            var referentiel: String
            var code: String
        }

        var id: Int64
        var titre: String
        var date: String
        var contexte: String
        var type: String
        var octets: Int
        var competences: [Competence]
        var reflexion: String?
        var fichier: String
        var vignette: String?

        init(_ production: Production) {
            id = production.id
            titre = production.title
            date = production.day.iso
            contexte = production.context.rawValue
            type = production.mediaType
            octets = production.byteCount
            competences = production.competencies.map { Competence(referentiel: $0.referentialCode, code: $0.code) }
            reflexion = production.reflection
            fichier = "/productions/\(production.id)/fichier"
            vignette = production.hasThumbnail ? "/productions/\(production.id)/vignette" : nil
        }
    }

    @Sendable func apiList(_ request: Request, context: WebContext) async throws -> [ProductionJSON] {
        let account = try context.account()
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        return try await services.app.portfolio.productions(of: student.reference, by: .account(account)).map(ProductionJSON.init)
    }

    /// The file is the body; the description is in the query: `?titre=…&competences=CAP-EPC:B1.1,B1.2&date=2026-11-20&contexte=atelier`.
    @Sendable func apiAdd(_ request: Request, context: WebContext) async throws -> EditedResponse<ProductionJSON> {
        let account = try services.require(context, .student, .teacher, .admin)
        let student = try await services.student(try context.parameters.require("id", as: Int64.self), for: account)
        let query = request.uri.queryParameters
        let contextName = query["contexte"].map(String.init)
        guard let place = contextName.map({ ProductionContext(rawValue: $0) }) ?? .classe else {
            throw HTTPError(.badRequest, message: "contexte : « \(contextName ?? "") » n’est pas un contexte connu "
                            + "(\(ProductionContext.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        let draft = ProductionDraft(student: student.reference, title: query["titre"].map(String.init) ?? "",
                                    day: try Self.day(query["date"].map(String.init), field: "date"), context: place,
                                    competencies: try query["competences"].map { try ProductionDraft.competencies(String($0)) } ?? [])
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let added = try await services.app.portfolio.add(draft, file: Data(buffer: body), by: .account(account))
        return EditedResponse(status: .created, response: ProductionJSON(added))
    }

    // MARK: The page

    /// A day as a form or the API sends it (2026-11-20, or 20/11/2026); nil for none.
    static func day(_ text: String?, field: String) throws -> CalendarDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let day = CalendarDate(iso: text) ?? CalendarDate(french: text) else {
            throw HTTPError(.badRequest, message: "\(field) : « \(text) » n’est pas une date (écrivez-la 20/11/2026).")
        }
        return day
    }

    static func home(of student: StoredStudent, for account: Account) -> String {
        switch account.role {
        case .student: "/eleve/portfolio"
        case .family: "/eleve/portfolio?enfant=\(student.id)"
        default: "/eleves/\(student.id)/portfolio"
        }
    }

    private func page(_ student: StoredStudent, for account: Account, children: [[String: Any]] = [], notice: String? = nil,
                      error: String? = nil, title: String = "", sharedLink: (String, CalendarDate)? = nil,
                      confirmSigner: [String: String]? = nil, status: HTTPResponse.Status = .ok) async throws -> Page {
        let person = ActingPerson.account(account)
        let productions = try await services.app.portfolio.productions(of: student.reference, by: person)
        let isStudent = account.role == .student, isFamily = account.role == .family
        let canAdd = !isFamily
        let choices = canAdd ? try await services.app.portfolio.competencyChoices(studentID: student.id, by: person) : []
        let canEvaluate = [.teacher, .admin].contains(account.role)
        let shares = isStudent ? Self.shareValues(try await services.app.portfolio.shares(by: person), productions: productions,
                                                  today: services.today) : []
        // The scales of every referential the productions show, read once for the page.
        let scales = canEvaluate ? try await services.app.portfolio.scales(of: productions, studentID: student.id, by: person) : [:]
        let rows = productions.map { production in
            var values = Self.values(production, showAuthor: !isStudent && !isFamily, canReflect: isStudent)
            if canEvaluate, !production.competencies.isEmpty { values["evaluation"] = Self.evaluationForm(production, scales: scales) }
            return values
        }
        let firstName = student.student.firstName
        let heading = isStudent ? "Mon portfolio" : isFamily ? "Le portfolio de \(firstName)"
            : "Portfolio de \(firstName) \(student.student.lastName)"
        return Page("portfolio", title: heading, [
            "isStudent": isStudent, "isFamily": isFamily, "canAdd": canAdd, "firstName": firstName,
            "children": children, "hasChildren": !children.isEmpty,
            "action": "/eleves/\(student.id)/productions",
            "downloadLink": isStudent ? "/eleve/portfolio.zip" : isFamily ? "/eleve/portfolio.zip?enfant=\(student.id)" : nil,
            "canReceive": account.role == .admin, "confirmSigner": confirmSigner as Any, "studentID": student.id, "packageLimit": MediaLimits.megabytes(Self.packageLimit),
            "backLink": isStudent || isFamily ? nil : "/eleves/\(student.id)",
            "notice": Self.notice(notice) as Any, "error": error as Any, "draftTitle": title,
            "today": services.today.iso, "fileLimit": MediaLimits.megabytes(MediaLimits().fileBytes),
            "mediaLimit": MediaLimits.megabytes(MediaLimits().mediaBytes), "mediaMinutes": MediaLimits().mediaSeconds / 60,
            "contexts": ProductionContext.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == .classe] },
            "referentials": Dictionary(grouping: choices, by: \.referentialCode).sorted { $0.key < $1.key }.map { code, competencies in
                ["code": code, "competencies": competencies.map {
                    ["value": "\(code)|\($0.code)", "label": "\($0.code) – \($0.title)"]
                }] as [String: Any]
            },
            "hasChoices": !choices.isEmpty,
            "productions": rows,
            "hasProductions": !productions.isEmpty,
            "shares": shares, "hasShares": !shares.isEmpty,
            "previous": try await services.app.portfolio.previous(of: student.reference, by: person).map {
                ["id": $0.id, "school": $0.schoolName, "uai": $0.schoolUAI, "verifiedBy": $0.verifiedBy,
                 "exported": String($0.exportedAt.prefix(10)).split(separator: "-").reversed().joined(separator: "/"),
                 "titles": $0.productionTitles] as [String: Any]
            },
            "shareLengths": Self.shareLengths.map { ["value": $0.value, "label": $0.label, "selected": $0.value == "90"] },
            "sharedLink": sharedLink.map { ["link": $0.0, "until": $0.1.french] } as Any,
        ], status: status)
    }

    static func values(_ production: Production, showAuthor: Bool, canReflect: Bool) -> [String: Any] {
        var values: [String: Any] = [
            "id": production.id, "title": production.title,
            "when": "Réalisée le \(production.day.french), \(production.context.label)",
            "kind": "\(production.kind.label), \(MediaLimits.megabytes(production.byteCount))",
            "isImage": production.kind == .image, "hasThumbnail": production.hasThumbnail,
            "isAudio": production.kind == .audio, "isVideo": production.kind == .video,
            "isDocument": [.pdf, .text].contains(production.kind),
            "competencies": production.competencies.map { "\($0.code) – \($0.title)" },
            "hasCompetencies": !production.competencies.isEmpty, "canReflect": canReflect,
        ]
        if let reflection = production.reflection { values["reflection"] = reflection }
        if showAuthor { values["author"] = production.addedBy }
        return values
    }

    static func shareValues(_ shares: [ProductionShare], productions: [Production], today: CalendarDate) -> [[String: Any]] {
        let titles = Dictionary(productions.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return shares.map { share in
            let state = if let revoked = share.revokedAt { "retiré le \(FrenchText.day(revoked))" }
                else if today > share.expiresOn { "expiré le \(share.expiresOn.french)" }
                else { "ouvert jusqu’au \(share.expiresOn.french)" }
            return [
                "id": share.id, "state": state, "open": share.revokedAt == nil && today <= share.expiresOn,
                "titles": share.productionIDs.compactMap { titles[$0] }.map { "« \($0) »" }.joined(separator: ", "),
                "name": share.showsFirstName ? "avec ton prénom" : "sans ton nom",
            ]
        }
    }

    /// One level chooser per competency the production shows, in its referential's scale.
    static func evaluationForm(_ production: Production, scales: [String: Scale]) -> [String: Any] {
        ["rows": production.competencies.enumerated().map { index, competency in
            [
                "field": "n-\(competency.referentialCode)|\(competency.code)", "id": "p\(production.id)-\(index)",
                "label": "\(competency.referentialCode) \(competency.code) – \(competency.title)",
                "levels": (scales[competency.referentialCode]?.levels ?? []).map { ["code": $0.code, "label": $0.teacherLabel] },
            ] as [String: Any]
        }]
    }

    static func notice(_ done: String?) -> String? {
        switch done {
        case "evaluation": "Les niveaux sont enregistrés, avec la production comme preuve."
        case "ajout": "La production est ajoutée au portfolio."
        case "reflexion": "Ton commentaire est enregistré."
        case "retrait": "Le lien de partage est retiré : il n’ouvre plus rien."
        case "recu": "Le portfolio de l’établissement précédent est reçu : sa signature est vérifiée, il est gardé à part."
        default: nil
        }
    }
}
