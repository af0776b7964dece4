import AcquisApp
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird
import Logging
import Mustache

/// The page templates, loaded once at start-up from the module's resources.
struct Templates: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Templates {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw HTTPError(.internalServerError, message: "templates introuvables")
        }
        return Templates(library: try MarkupTemplates.library(directory: folder))
    }

    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? "modèle \(name) introuvable"
    }
}

/// One HTML page: a template and its values, inside the common layout.
struct Page {
    var template: String
    var title: String
    var values: [String: Any] = [:]
    var status: HTTPResponse.Status = .ok
    /// Parts of the page written beforehand as escaped bytes (the grid's body), in page
    /// order: the template places each with `{{{name}}}`, and the bytes go to the response as
    /// they are instead of through the template engine's strings.
    var parts: [(name: String, bytes: [UInt8])] = []

    init(_ template: String, title: String, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) {
        self.template = template
        self.title = title
        self.values = values
        self.status = status
    }

    func response(_ templates: Templates, context: WebContext) -> Response {
        // An absent optional must read as a missing key, not as the text « nil ».
        var values = self.values.filter { !Self.isNil($0.value) }
        values["title"] = title
        values["csrf"] = context.csrfToken()
        if let account = context.identity {
            values["account"] = ["name": account.displayName, "role": account.role.label]
            // A page may name its own links: a student who left has only one page left.
            if values["nav"] == nil { values["nav"] = Navigation.links(for: account.role) }
        } else {
            values["nav"] = Navigation.publicLinks
        }
        for part in parts { values[part.name] = Self.placeholder(part.name) }
        let text = templates.render(template, values)
        guard !parts.isEmpty else { return Response.html(text, status: status) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(text.utf8.count + parts.reduce(0) { $0 + $1.bytes.count })
        var rest = Substring(text)
        for part in parts {
            guard let range = rest.range(of: Self.placeholder(part.name)) else { continue }
            buffer.writeSubstring(rest[..<range.lowerBound])
            buffer.writeBytes(part.bytes)
            rest = rest[range.upperBound...]
        }
        buffer.writeSubstring(rest)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: buffer))
    }

    /// Where a part goes: a mark drawn at start-up, so that no text a user wrote can stand in for it.
    private static let mark = UUID().uuidString
    private static func placeholder(_ name: String) -> String { "\(mark)-\(name)" }
}

extension Page {
    static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}

enum Navigation {
    static func links(for role: Role) -> [[String: String]] {
        switch role {
        case .admin: [["href": "/direction", "label": "Classes"], ["href": "/direction/eleves", "label": "Élèves"],
                      ["href": "/direction/enseignants", "label": "Enseignants"], ["href": "/direction/comptes", "label": "Comptes"],
                      ["href": "/demandes", "label": "Demandes"],
                      ["href": "/vigilance", "label": "Élèves à suivre"], ["href": "/exports", "label": "Exports"],
                      ["href": "/direction/etablissement", "label": "Réglages"]]
        case .teacher: [["href": "/enseignant", "label": "Mes classes"], ["href": "/demandes", "label": "Demandes"],
                        ["href": "/vigilance", "label": "Élèves à suivre"], ["href": "/exports", "label": "Exports"]]
        case .student: [["href": "/eleve", "label": "Mes progrès"], ["href": "/eleve/badges", "label": "Mes badges"],
                        ["href": "/eleve/portfolio", "label": "Mon portfolio"]]
        case .family: [["href": "/eleve", "label": "Progrès"], ["href": "/eleve/badges", "label": "Badges"],
                       ["href": "/eleve/portfolio", "label": "Portfolio"]]
        case .inspector: [["href": "/inspection", "label": "Référentiels"], ["href": "/academie", "label": "Académie"]]
        case .academy: [["href": "/academie", "label": "Académie"]]
        }
    }

    static let publicLinks = [["href": "/connexion", "label": "Se connecter"], ["href": "/verifier", "label": "Vérifier un badge"]]

    /// Where an account lands after signing in.
    static func home(for role: Role) -> String {
        switch role {
        case .admin: "/direction"
        case .teacher: "/enseignant"
        case .student, .family: "/eleve"
        case .inspector: "/inspection"
        case .academy: "/academie"
        }
    }
}

extension Response {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func file(_ bytes: [UInt8], type: String, name: String? = nil, cache: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: type]
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        if cache { headers[.cacheControl] = "public, max-age=300" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// After a form: back to a page, never a page to post again on reload.
    static func seeOther(_ location: String) -> Response {
        Response.redirect(to: location, type: .found)
    }
}

/// Errors as French pages for people and as JSON for the API. Refused access to a page
/// sends to the sign-in page; unexpected errors are logged without personal data.
struct ErrorMiddleware: RouterMiddleware {
    let templates: Templates

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message) = Self.classify(error, logger: context.logger)
            if request.uri.path.hasPrefix("/api/") {
                return try JSONEncoder().encode(APIError(erreur: message), from: request, context: context, status: status)
            }
            if status == .unauthorized {
                return .seeOther("/connexion?suite=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            return Page("erreur", title: status == .notFound ? "Page introuvable" : "Impossible de continuer",
                        ["message": message, "code": status.code], status: status)
                .response(templates, context: context)
        }
    }

    static func classify(_ error: any Error, logger: Logger) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        case let refusal as AccessRefusal:
            return (.forbidden, Refusal.words(for: refusal))
        case is URLEncodedFormError:
            // A form this server did not write (a field repeated, a field missing): the sender's mistake.
            return (.badRequest, "Le formulaire envoyé est incomplet ou mal formé : rechargez la page et recommencez.")
        case let error as PortfolioError where error.isTooLarge:
            return (.contentTooLarge, error.description)
        case let error as any UserFacing:
            return (.unprocessableContent, error.description)
        case is any TransientStorageError:
            logger.warning("database unavailable", metadata: ["error": "\(type(of: error))"])
            return (.serviceUnavailable, "La base de données n’a pas répondu ; rien n’a été enregistré. Réessayez dans un instant.")
        default:
            logger.error("request failed", metadata: ["error": "\(type(of: error))"])
            return (.internalServerError, "Une erreur inattendue s’est produite ; elle a été notée. Réessayez plus tard.")
        }
    }
}

struct APIError: Codable, ResponseEncodable {
    var erreur: String
}

extension JSONEncoder {
    func encode(_ value: some Encodable, from request: Request, context: some RequestContext, status: HTTPResponse.Status) throws -> Response {
        var response = try encode(value, from: request, context: context)
        response.status = status
        return response
    }
}

/// Store and domain errors whose text is written for the person using Acquis.
protocol UserFacing: Error, CustomStringConvertible {}
extension AccountStoreError: UserFacing {}
extension AccountError: UserFacing {}
extension PeriodBilanError: UserFacing {}
extension PeriodBilanError.Closing: UserFacing {}
extension SetupError: UserFacing {}
extension SchoolStoreError: UserFacing {}
extension EvaluationError: UserFacing {}
extension PortfolioError: UserFacing {}
extension PFMPError: UserFacing {}
extension BadgeStoreError: UserFacing {}
extension ReferentialStoreError: UserFacing {}
extension ClassGridError: UserFacing {}
extension ExportError: UserFacing {}
extension VersionContinuityError: UserFacing {}
