import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import AcquisXML
import Foundation
import HTTPTypes
import Hummingbird
import ZIPFoundation

/// Exports started from a page: a class's progress files (ZIP), the LSU bilan de cycle and
/// LSL Pro positions. Each runs in the background; its page shows how far it got and offers
/// the file when done. Teachers export their classes; LSU and LSL are the school's team's.
struct ExportRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/exports", use: page)
        router.post("/exports/livrets") { request, context -> Response in .seeOther("/exports/\(try await progressFiles(request, context))") }
        router.post("/exports/lsu") { request, context -> Response in .seeOther("/exports/\(try await lsu(request, context))") }
        router.post("/exports/lsl") { request, context -> Response in .seeOther("/exports/\(try await lsl(request, context))") }
        router.get("/exports/{id}", use: job)
        router.get("/exports/{id}/fichier", use: download)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let divisions = try await services.app.classes.divisions(by: .account(account))
        let periods = ["T1", "T2", "T3", "S1", "S2", "annee"].compactMap { Period.named($0, in: services.year) }
        let current = Period.trimester(containing: services.today).code
        let referentials = try await services.app.referentials.ofSchool(by: .account(account))
        return Page("exports", title: "Exports", [
            "divisions": divisions.map { ["code": $0.code, "id": "export-\(safeID($0.code))",
                                          "students": FrenchText.count($0.students, "élève", "élèves")] },
            "hasDivisions": !divisions.isEmpty,
            "classes": divisions.filter { $0.kind == "classe" }.map { ["code": $0.code, "id": "classe-\(safeID($0.code))"] },
            "periods": periods.map { ["code": $0.code, "title": $0.title, "current": $0.code == current] as [String: Any] },
            "isAdmin": account.role == .admin,
            "referentials": referentials.filter { $0.kind != "socle" }.map { ["code": $0.code, "title": $0.title] },
            "headOfSchool": account.displayName,
        ]).response(services.templates, context: context)
    }

    struct ProgressFilesForm: Decodable {
        var classe: String
        var periode: String
        var lecteur: String?
        var format: String?
    }

    struct LSUForm: Decodable {
        var classes: [String]?
        var cycle: Int?
        var chef: String
    }

    struct LSLForm: Decodable {
        var classes: [String]?
        var referentiel: String
        var periode: String
    }

    /// Starts exporting a class's progress files; the job's id. The form and the API share it.
    func progressFiles(_ request: Request, _ context: WebContext) async throws -> String {
        let account = try services.require(context, .teacher, .admin)
        let form = try await request.decode(as: ProgressFilesForm.self, context: context)
        guard let period = Period.named(form.periode, in: services.year) else { throw HTTPError(.badRequest, message: "Période inconnue.") }
        let reader = form.lecteur.flatMap(ProgressFileReader.init(rawValue:)) ?? .family
        let html = form.format == "html"
        // Refused at once, not in the background: the class must be the person's.
        let students = try await services.app.exports.students(inDivision: form.classe, year: period.schoolYear, by: .account(account))
        let app = services.app, code = form.classe
        return try await start(for: account, title: "Fichiers de progrès de \(code) – \(period.title)", total: students.count) { jobs, id in
            var batch = try app.exports.progressFiles(period: period, by: .account(account))
            let archive = try Archive(accessMode: .create)
            for (index, student) in students.enumerated() {
                let file = try await batch.progressFile(studentID: student.id)
                let base = ExportNames.progressFile(file, studentID: student.id)
                let bytes = html ? Array(HTMLExport.progressFile(file, for: reader).utf8) : PDFExport.progressFile(file, for: reader).bytes
                try archive.add(bytes, as: base + (html ? ".html" : ".pdf"))
                await jobs.progress(id, done: index + 1)
            }
            let data = archive.data ?? Data()
            return ExportJobs.File(name: "livrets-\(ExportNames.safe(code))-\(period.code).zip", type: "application/zip", bytes: Array(data))
        }
    }

    /// Starts the LSU export of classes' bilans de cycle; the job's id.
    func lsu(_ request: Request, _ context: WebContext) async throws -> String {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: LSUForm.self, context: context)
        let classes = form.classes ?? [], cycle = form.cycle ?? 4, year = services.year, app = services.app
        guard !classes.isEmpty else { throw HTTPError(.badRequest, message: "Choisissez au moins une classe.") }
        guard (3...4).contains(cycle) else { throw HTTPError(.badRequest, message: "Le cycle est 3 ou 4.") }
        let head = form.chef.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !head.isEmpty, head.count <= 100 else { throw HTTPError(.badRequest, message: "Indiquez le nom du chef d’établissement.") }
        return try await start(for: account, title: "LSU – bilans de fin de cycle \(cycle)", total: 1) { _, _ in
            let assessment = try await app.exports.cycleAssessment(divisions: classes, cycle: cycle, headOfSchool: head,
                                                                   referential: "SOCLE-2015", year: year, by: .account(account))
            let xml = LSUExport.bilanCycle(assessment)
            let problems = try LSUSchema.validate(xml)
            guard problems.isEmpty else {
                throw ExportFailure("le fichier produit ne respecte pas le schéma LSU (\(problems.count) problèmes) : rien n’est proposé au téléchargement")
            }
            return ExportJobs.File(name: "lsu-bilans-cycle\(cycle).xml", type: "application/xml", bytes: Array(xml.utf8))
        }
    }

    /// Starts the LSL Pro export of classes' positions; the job's id.
    func lsl(_ request: Request, _ context: WebContext) async throws -> String {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: LSLForm.self, context: context)
        let classes = form.classes ?? [], app = services.app, referential = form.referentiel
        guard !classes.isEmpty else { throw HTTPError(.badRequest, message: "Choisissez au moins une classe.") }
        guard let period = Period.named(form.periode, in: services.year) else { throw HTTPError(.badRequest, message: "Période inconnue.") }
        return try await start(for: account, title: "LSL Pro – \(referential), \(period.title)", total: 1) { _, _ in
            let positions = try await app.exports.lslPositions(divisions: classes, referential: referential, period: period, by: .account(account))
            return ExportJobs.File(name: "lsl-\(ExportNames.safe(referential))-\(period.code).csv", type: "text/csv; charset=utf-8",
                                   bytes: Array(CSVExport.lsl(positions).utf8))
        }
    }

    /// Registers the job and runs `work` in the background; the job's id.
    private func start(for account: Account, title: String, total: Int,
                       _ work: @escaping @Sendable (ExportJobs, String) async throws -> ExportJobs.File) async throws -> String {
        let jobs = services.exports
        guard let id = await jobs.start(owner: account.id, title: title, total: total) else {
            throw HTTPError(.tooManyRequests, message: "Vous avez déjà \(ExportJobs.perPerson) exports en cours : attendez qu’ils se terminent.")
        }
        Task.detached {
            do {
                await jobs.finish(id, with: try await work(jobs, id))
            } catch {
                await jobs.fail(id, Self.words(for: error))
            }
        }
        return id
    }

    static func words(for error: any Error) -> String {
        switch error {
        case let refusal as AccessRefusal: Refusal.words(for: refusal)
        case let error as any UserFacing: error.description
        case let error as ExportFailure: error.message
        default: "l’export n’a pas pu se faire ; réessayez, et signalez-le s’il échoue encore"
        }
    }

    @Sendable func job(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id")
        guard let job = await services.exports.job(id, owner: account.id) else {
            throw HTTPError(.notFound, message: "Cet export n’existe plus (plus d’une heure, ou lancé par quelqu’un d’autre).")
        }
        var values: [String: Any] = ["exportTitle": job.title]
        switch job.state {
        case let .running(done, total):
            values["running"] = ["done": done, "total": max(total, 1), "words": "\(done) sur \(total)"]
        case let .finished(file):
            values["finished"] = ["href": "/exports/\(id)/fichier", "name": file.name, "size": FrenchText.size(file.bytes.count)]
        case let .failed(message):
            values["failed"] = French.sentence(message)
        }
        var response = try await Page("export", title: job.title, values).response(services.templates, context: context)
        // While it runs, the page asks again every two seconds: no script needed.
        if case .running = job.state { response.headers[HTTPField.Name("Refresh")!] = "2" }
        return response
    }

    @Sendable func download(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id")
        guard let job = await services.exports.job(id, owner: account.id), case let .finished(file) = job.state else {
            throw HTTPError(.notFound, message: "Ce fichier n’est pas (ou plus) disponible : relancez l’export.")
        }
        return .file(file.bytes, type: file.type, name: file.name)
    }
}

/// The same exports through the JSON API: started with `202 Accepted`, followed, downloaded.
struct ExportAPI {
    let services: WebServices

    func register(on api: RouterGroup<WebContext>) {
        let routes = ExportRoutes(services: services)
        api.post("exports/livrets") { request, context in try await accepted(routes.progressFiles(request, context), context) }
        api.post("exports/lsu") { request, context in try await accepted(routes.lsu(request, context), context) }
        api.post("exports/lsl") { request, context in try await accepted(routes.lsl(request, context), context) }
        api.get("exports/{id}", use: state)
        api.get("exports/{id}/fichier", use: routes.download)
    }

    struct JobState: ResponseEncodable {
        var id: String
        var titre: String
        /// `en-cours`, `termine` or `echec`.
        var etat: String
        var fait: Int
        var total: Int
        /// Where to download the file, once done.
        var fichier: String?
        var erreur: String?
    }

    private func accepted(_ id: String, _ context: WebContext) async throws -> EditedResponse<JobState> {
        EditedResponse(status: .accepted, response: try await state(id, context))
    }

    @Sendable func state(_ request: Request, context: WebContext) async throws -> JobState {
        try await state(try context.parameters.require("id"), context)
    }

    private func state(_ id: String, _ context: WebContext) async throws -> JobState {
        let account = try services.require(context, .teacher, .admin)
        guard let job = await services.exports.job(id, owner: account.id) else {
            throw HTTPError(.notFound, message: "Cet export n’existe plus (plus d’une heure, ou lancé par quelqu’un d’autre).")
        }
        var state = JobState(id: id, titre: job.title, etat: "en-cours", fait: 0, total: 1)
        switch job.state {
        case let .running(done, total): (state.fait, state.total) = (done, total)
        case .finished: (state.etat, state.fait, state.fichier) = ("termine", state.total, "/api/v1/exports/\(id)/fichier")
        case let .failed(message): (state.etat, state.erreur) = ("echec", message)
        }
        return state
    }
}

/// An export that ran but whose result cannot be offered, in words for its reader.
struct ExportFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension Archive {
    /// Adds a file held in memory, compressed.
    func add(_ bytes: [UInt8], as path: String) throws {
        let data = Data(bytes)
        try addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
