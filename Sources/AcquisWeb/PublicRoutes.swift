import AcquisApp
import AcquisCore
import AcquisBadges
import AcquisExport
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import Foundation
import Hummingbird
import MultipartKit

/// What anyone may open without an account: checking a badge, and the issuer's Open Badges
/// documents that verifiers fetch. Nothing here names a student.
struct PublicRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        // A signed-in student checks another school's badge as anyone would.
        let open = router.group().add(middleware: Unconfined(app: services.app))
        open.get("/verifier", use: form)
        open.post("/verifier", use: verifyUpload)
        open.get("/verifier/{uuid}", use: verifyLink)
        open.get("/openbadges/**", use: hosted)
    }

    /// Lifts the confinement to the signed-in account's school: these pages show what any
    /// school published to anyone.
    struct Unconfined: RouterMiddleware {
        let app: App

        func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
            try await app.unconfined { try await next(request, context) }
        }
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Response {
        Page("verifier", title: "Vérifier un badge").response(services.templates, context: context)
    }

    /// Checks an uploaded badge offline against this server's issuers: signature, key,
    /// revocation, expiry, and the recipient when one is given.
    @Sendable func verifyUpload(_ request: Request, context: WebContext) async throws -> Response {
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw HTTPError(.badRequest, message: "Envoyez le badge avec le formulaire.")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try MultipartForm(body, boundary: boundary)
        guard let file = form.part("fichier"), !file.body.isEmpty else {
            throw HTTPError(.badRequest, message: "Choisissez le fichier du badge à vérifier.")
        }
        let verdict = await BadgeVerifier(trusted: try await trusted()).verify(file.body, recipient: form.text("destinataire").nonEmpty)
        return Page("verdict", title: "Vérification d’un badge", [
            "valid": verdict.isValid, "explanation": verdict.explanation,
            "badge": verdict.badgeName ?? "", "issuer": verdict.issuerName ?? "",
        ]).response(services.templates, context: context)
    }

    /// The page a badge links to: what the issuer's register says of it today.
    @Sendable func verifyLink(_ request: Request, context: WebContext) async throws -> Response {
        let uuid = try context.parameters.require("uuid")
        let found = try await services.app.publishing.register(uuid: uuid)
        guard let (award, issuer) = found else {
            return Page("verdict", title: "Vérification d’un badge", [
                "valid": false,
                "explanation": "BADGE INCONNU : aucun badge de ce numéro n’a été délivré par un établissement de ce serveur.",
            ], status: .notFound).response(services.templates, context: context)
        }
        let status = RegisterStatus(award: award, now: Date())
        return Page("verdict", title: "Vérification d’un badge", [
            "valid": status.isValid, "explanation": status.explanation(issuer: issuer),
            "badge": award.badge.badgeClass.name, "issuer": issuer.name,
            "description": award.badge.badgeClass.description, "day": award.awardedOn.french,
            "image": "/" + issuer.urls.imagePath(award.badge.badgeClass.slug, format: .svg),
            "badgeClass": "/" + issuer.urls.badgeClassPath(award.badge.badgeClass.slug),
        ]).response(services.templates, context: context)
    }

    @Sendable func hosted(_ request: Request, context: WebContext) async throws -> Response {
        let path = String(request.uri.path.dropFirst())
        let document = try await services.app.publishing.hostedDocument(at: path)
        guard let document else { throw HTTPError(.notFound, message: "Document introuvable.") }
        let type = path.hasSuffix(".png") ? "image/png" : path.hasSuffix(".svg") ? "image/svg+xml"
            : path.hasSuffix(".jwk") ? "application/jwk+json" : "application/ld+json"
        var response = Response.file(document, type: type, cache: true)
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }

    private func trusted() async throws -> [TrustedIssuer] {
        try await services.app.publishing.trustedIssuers()
    }
}

/// The state of an award in the issuer's register.
struct RegisterStatus {
    var award: StoredAward
    var now: Date

    var isValid: Bool { award.revocation == nil && !isExpired }
    var isExpired: Bool { award.expiresAt.map { $0 < now } ?? false }

    func explanation(issuer: Issuer) -> String {
        let what = "« \(award.badge.badgeClass.name) », délivré par \(issuer.name) le \(award.awardedOn.french)"
        if let revocation = award.revocation {
            return "BADGE RÉVOQUÉ : \(what). Motif de l’émetteur : \(French.sentence(revocation.reason))"
        }
        if let expiry = award.expiresAt, expiry < now {
            return "BADGE EXPIRÉ : \(what). Il n’est plus valable depuis le \(FrenchText.day(expiry))."
        }
        return "BADGE VALIDE : \(what). Il figure au registre de l’émetteur, n’est ni révoqué ni expiré. "
            + "L’identité de son titulaire n’est pas publiée : seule une empreinte figure dans le badge."
    }
}
