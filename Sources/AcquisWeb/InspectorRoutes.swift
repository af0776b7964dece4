import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import AcquisXML
import Foundation
import Hummingbird
import MultipartKit

/// Inspectors: upload a referential file, read every error with its line, preview the tree,
/// publish it as a new version.
struct InspectorRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/inspection", use: home)
        router.post("/inspection/referentiels", use: upload)
        router.get("/inspection/brouillons/{id}", use: draft)
        router.post("/inspection/brouillons/{id}/publication", use: publish)
        router.get("/referentiels/{code}/{version}", use: publicTree)
    }

    @Sendable func home(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.require(context, .inspector, .admin)
        let search = request.typedQuery("recherche")
        let catalogue = try await services.app.referentials.catalogue(search: search)
        let partial = catalogue.found == nil && catalogue.versions.count < catalogue.stored
        return Page("inspection", title: "Référentiels", [
            "search": search ?? "", "nothingFound": catalogue.found?.isEmpty == true,
            "caption": catalogue.found != nil ? "Référentiels trouvés"
                : partial ? "Les \(catalogue.versions.count) derniers référentiels publiés, sur \(FrenchText.number(catalogue.stored))"
                : "Référentiels publiés",
            "referentials": catalogue.versions.map { [
                "code": $0.code, "version": $0.version, "title": $0.title, "kind": ReferentialKind(rawValue: $0.kind)?.label ?? $0.kind,
                "competencies": FrenchText.count($0.evaluableCount, "compétence évaluable", "compétences évaluables"),
                "href": "/referentiels/\($0.code.urlPathEncoded)/\($0.version.urlPathEncoded)",
            ] },
            "published": request.uri.queryParameters["publie"].map(String.init) as Any,
        ]).response(services.templates, context: context)
    }

    @Sendable func upload(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .inspector, .admin)
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw HTTPError(.badRequest, message: "Envoyez le fichier avec le formulaire de dépôt.")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try MultipartForm(body, boundary: boundary)
        let file = form.part("fichier")
        let name = UploadName.label(file?.fileName, default: "referentiel.xml")
        guard let bytes = file?.body, !bytes.isEmpty else { throw HTTPError(.badRequest, message: "Le fichier « \(name) » est vide.") }
        let id = try await services.app.referentials.saveDraft(fileName: name, content: bytes, settings: Self.settings(form.text),
                                                               by: .account(account))
        return .seeOther("/inspection/brouillons/\(id)")
    }

    @Sendable func draft(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.require(context, .inspector, .admin)
        let draft = try await loadDraft(context)
        let check = ReferentialCheck(draft)
        var values: [String: Any] = ["id": draft.id, "fileName": draft.fileName,
                                     "uploaded": "\(draft.uploadedBy), le \(FrenchText.timestamp(draft.uploadedAt))"]
        switch check.outcome {
        case .invalid(let diagnostics):
            values["errors"] = diagnostics.map { ["line": $0.line.map(String.init) ?? "—", "column": $0.column.map(String.init) ?? "",
                                                  "field": $0.field ?? "", "message": $0.message] }
            values["errorCount"] = FrenchText.count(diagnostics.count, "erreur", "erreurs")
        case let .valid(referentials, format):
            let summaries = try await services.app.referentials.summaries()
            values["format"] = format.label
            values["published"] = draft.publishedAs != nil
            if referentials.count == 1, let referential = referentials.first {
                let existing = summaries.filter { $0.code == referential.code }.map(\.version)
                let continuity = try await services.app.referentials.continuity(of: referential)
                if let continuity, !existing.contains(referential.version) {
                    values["continuity"] = Self.continuityValues(continuity, version: referential.version)
                }
                values["existing"] = existing.isEmpty ? nil : existing.joined(separator: ", ")
                values["alreadyPublished"] = existing.contains(referential.version)
            } else {
                let published = Set(summaries.map { "\($0.code) \($0.version)" })
                values["several"] = FrenchText.count(referentials.count, "référentiel", "référentiels")
                values["alreadyPublished"] = referentials.contains { published.contains("\($0.code) \($0.version)") }
            }
            values["valid"] = true
            values["trees"] = referentials.map { ["referential": ReferentialTreeView($0).values, "code": $0.code, "version": $0.version,
                                                  "title": $0.title] }
        }
        return Page("brouillon", title: "Dépôt de « \(draft.fileName) »", values).response(services.templates, context: context)
    }

    /// What the draft page says of the version before: what carries over, and what would be
    /// lost without a correspondence.
    private static func continuityValues(_ continuity: VersionContinuity, version: String) -> [String: Any] {
        let links = continuity.lineage.links
        let kept = links.filter { $0.relation == .sameCode }.count
        return [
            "earlier": continuity.earlierVersion, "version": version,
            "kept": FrenchText.count(kept, "compétence garde son code et ses observations",
                                     "compétences gardent leur code et leurs observations"),
            "dropped": continuity.lineage.unaccounted.joined(separator: ", "),
            "hasDropped": !continuity.lineage.unaccounted.isEmpty,
            "lost": continuity.unaccountedWithEvidence.joined(separator: ", "),
            "becomes": continuity.unaccountedWithEvidence.count > 1 ? "ce que chacune devient" : "ce qu’elle devient",
            "needsCorrespondence": !continuity.unaccountedWithEvidence.isEmpty,
        ]
    }

    /// Publishes a draft, with the correspondence to the version before when one is attached.
    @Sendable func publish(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.require(context, .inspector, .admin)
        let draft = try await loadDraft(context)
        guard case let .valid(referentials, format) = ReferentialCheck(draft).outcome else {
            throw HTTPError(.unprocessableContent, message: "Ce fichier contient des erreurs : corrigez-les avant de publier.")
        }
        let correspondence = try await attachedCorrespondence(request, context: context)
        do {
            try await services.app.referentials.publishDraft(id: draft.id, as: referentials, format: format.rawValue,
                                                             correspondence: correspondence?.correspondence,
                                                             by: .account(try context.account()))
        } catch VersionContinuityError.correspondence(let problems) where correspondence != nil {
            throw InvalidInput(correspondence!.diagnostics(for: problems))
        }
        let named = referentials.map { "\($0.code) \($0.version)" }.joined(separator: ", ")
        return .seeOther("/inspection?publie=\(named.urlQueryEncoded)")
    }

    /// The correspondence file sent with the publication form, if one was chosen; read from
    /// memory, its name only labels the errors.
    private func attachedCorrespondence(_ request: Request, context: WebContext) async throws -> CorrespondenceFile? {
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else { return nil }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let file = try MultipartForm(body, boundary: boundary).part("correspondance"), !file.body.isEmpty else { return nil }
        return try CorrespondenceReader.read(bytes: Array(file.body), name: UploadName.label(file.fileName, default: "correspondance.xml"))
    }

    private func loadDraft(_ context: WebContext) async throws -> ReferentialDraft {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let draft = try await services.app.referentials.draft(id: id, by: .account(try context.account())) else {
            throw HTTPError(.notFound, message: "Dépôt introuvable.")
        }
        return draft
    }

    /// A published referential, public: where badges' alignments point.
    @Sendable func publicTree(_ request: Request, context: WebContext) async throws -> Response {
        let code = try context.parameters.require("code"), version = try context.parameters.require("version")
        let referential = try await services.app.referentials.referential(code: code, version: version)
        return Page("referentiel", title: referential.title, ["referential": ReferentialTreeView(referential).values])
            .response(services.templates, context: context)
    }
}

extension InspectorRoutes {
    /// What the upload form says of a file that does not say it itself; blank fields are left out.
    static func settings(_ field: (String) -> String?) -> ReferentialSettings {
        func value(_ name: String) -> String? {
            field(name).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        }
        let fiches = (value("fiches") ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0.isNewline })
            .map(String.init).prefix(100)
        return ReferentialSettings(fiches: Array(fiches), code: value("code"), title: value("titre"), version: value("version") ?? "1")
    }
}

/// A referential file checked as the import command checks it, in any format it imports
/// (Acquis XML, RNCP export, SACoche): schema, codes, scale.
struct ReferentialCheck {
    enum Outcome {
        case valid([Referential], ReferentialFormat)
        case invalid([Diagnostic])
    }

    var outcome: Outcome

    /// The upload is read from memory: the name the sender gave only labels the errors and
    /// never becomes part of a path.
    init(fileName: String, content: [UInt8], settings: ReferentialSettings = .init()) {
        let name = UploadName.label(fileName, default: "referentiel.xml")
        do {
            let source = try ReferentialSource(bytes: content, name: name, settings: settings)
            let referentials = try source.all().referentials
            guard !referentials.isEmpty else {
                outcome = .invalid([Diagnostic(file: name, message: "aucune fiche active avec des blocs de compétences : rien à publier")])
                return
            }
            outcome = .valid(referentials, source.format)
        } catch let invalid as InvalidInput {
            outcome = .invalid(invalid.diagnostics)
        } catch {
            outcome = .invalid([Diagnostic(file: name, message: "fichier illisible (\(error))")])
        }
    }

    init(_ draft: ReferentialDraft) {
        self.init(fileName: draft.fileName, content: draft.content, settings: draft.settings)
    }
}

extension ReferentialFormat {
    /// How the inspector's page names the format.
    var label: String {
        switch self {
        case .acquis: "Acquis XML"
        case .rncp: "export RNCP (France Compétences)"
        case .sacoche: "export SACoche"
        }
    }
}

/// The name a sender gave a file, fit to be shown in a message: its last component, without
/// control characters, at most 120 characters. Never used as a path.
enum UploadName {
    static func label(_ sent: String?, default fallback: String) -> String {
        let last = (sent ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let visible = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0) && $0 != "\u{FFFD}"
        })).trimmingCharacters(in: .whitespaces)
        guard !visible.isEmpty, visible != ".", visible != ".." else { return fallback }
        return String(visible.prefix(120))
    }
}

/// A referential tree as pages show it.
struct ReferentialTreeView {
    var referential: Referential

    init(_ referential: Referential) { self.referential = referential }

    var values: [String: Any] {
        [
            "code": referential.code, "version": referential.version, "title": referential.title,
            "kind": referential.kind.label, "scale": referential.scaleCode,
            "source": referential.source ?? "",
            "count": FrenchText.count(referential.evaluableNodes.count, "compétence évaluable", "compétences évaluables"),
            "nodes": referential.entries.map { entry in
                var node: [String: Any] = [
                    "code": entry.node.code, "title": entry.node.title, "depth": min(entry.depth, 4),
                    "kind": entry.node.kind.frenchName, "evaluable": entry.node.isEvaluable,
                ]
                // Absent, not nil nor empty: mustache prints a nil wrapped in Any as « nil », and an
                // empty string would still open the section and print « () ».
                if !entry.node.externalCodes.isEmpty {
                    node["codes"] = entry.node.externalCodes.map { "\($0.system.rawValue) \($0.value)" }.joined(separator: " · ")
                }
                return node
            },
        ]
    }
}

/// A correspondence that does not fit: every problem with its line, on the error page.
extension InvalidInput: UserFacing {}
