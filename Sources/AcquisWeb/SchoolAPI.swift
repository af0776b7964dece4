import AcquisApp
import AcquisCore
import AcquisReports
import AcquisBadges
import AcquisStorage
import Foundation
import Hummingbird

/// The school's team through the JSON API: rosters (students, guardians, teachers) previewed
/// then confirmed, accounts and their one-time codes (for a mail merge of the school's own),
/// and the referentials each class follows.
struct SchoolAPI {
    let services: WebServices

    func register(on api: RouterGroup<WebContext>) {
        api.get("comptes", use: accounts)
        api.post("comptes/eleves") { request, context in try await letters(request, context) { try await $0.createStudentAccounts(divisions: $1.chosen, by: $2) } }
        api.post("comptes/familles") { request, context in try await letters(request, context) { try await $0.createFamilyAccounts(divisions: $1.chosen, by: $2) } }
        api.post("comptes/enseignants", use: teacher)
        api.post("comptes/enseignants/manquants") { request, context in
            let account = try services.require(context, .admin)
            return EditedResponse(status: .created, response: Self.letters(try await services.app.accounts.createTeacherAccounts(by: .account(account))))
        }
        api.get("enseignants", use: staff)
        api.get("etablissement", use: settings)
        api.put("etablissement", use: saveSettings)
        api.post("emetteur/cles", use: rotateKey)
        api.post("imports", use: stage)
        api.post("imports/{id}/confirmation", use: confirm)
        api.get("classes/{code}/referentiels", use: followed)
        api.put("classes/{code}/referentiels", use: follow)
        api.get("classes/{code}/professeur-principal", use: mainTeacher)
        api.put("classes/{code}/professeur-principal", use: setMainTeacher)
    }

    struct ManagedAccount: ResponseEncodable {
        var identifiant: String
        var nom: String
        var role: String
        /// `actif`, `en-attente` (code not used yet), `expire` (code expired) or `desactive`.
        var etat: String
    }

    struct Letter: Encodable {
        var identifiant: String
        var nom: String
        var role: String
        var classe: String
        var code: String
        var valableJusquAu: String
    }

    /// Codes are shown here once, as on the letters: keep them for the people they belong to.
    struct Letters: ResponseEncodable {
        var lettres: [Letter]
        var dejaPourvus: Int
    }

    /// Whose accounts to make: `classes` (or one `classe`); every class when neither is given.
    struct ForClass: Decodable {
        var classe: String?
        var classes: [String]?
        var chosen: [String]? { classes ?? classe.map { [$0] } }
    }
    struct NewTeacher: Decodable {
        var prenom: String
        var nom: String
        var classes: [String]?
    }

    struct FollowedReferential: ResponseEncodable {
        var code: String
        var intitule: String
        var versions: [String]
        var suivie: String?
    }

    @Sendable func accounts(_ request: Request, context: WebContext) async throws -> [ManagedAccount] {
        let account = try services.require(context, .admin)
        return try await services.app.accounts.managed(by: .account(account)).map { managed in
            let state = switch managed.state {
            case .active: "actif"
            case let .waiting(until) where until < Date(): "expire"
            case .waiting: "en-attente"
            case .disabled: "desactive"
            }
            return ManagedAccount(identifiant: managed.account.login, nom: managed.account.displayName,
                                  role: managed.account.role.rawValue, etat: state)
        }
    }

    private func letters(_ request: Request, _ context: WebContext,
                         _ make: (SchoolAccounts, ForClass, ActingPerson) async throws -> LetterBatch) async throws -> EditedResponse<Letters> {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: ForClass.self, context: context)
        return EditedResponse(status: .created, response: Self.letters(try await make(services.app.accounts, body, .account(account))))
    }

    @Sendable func teacher(_ request: Request, context: WebContext) async throws -> EditedResponse<Letters> {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: NewTeacher.self, context: context)
        let batch = try await services.app.accounts.createTeacherAccount(firstName: body.prenom, lastName: body.nom,
                                                                          divisions: body.classes ?? [], by: .account(account))
        return EditedResponse(status: .created, response: Self.letters(batch))
    }

    struct ClassTeacher: Encodable { var identifiant: String; var nom: String; var professeurPrincipal: Bool }
    struct MainTeacher: Decodable { var enseignant: String? }

    /// The class's teachers, and which of them is its main teacher.
    @Sendable func mainTeacher(_ request: Request, context: WebContext) async throws -> [ClassTeacher] {
        let account = try services.require(context, .admin)
        return try await services.app.classes.teachers(try context.parameters.require("code"), by: .account(account)).map {
            ClassTeacher(identifiant: $0.teacher.login, nom: $0.teacher.name, professeurPrincipal: $0.leads)
        }
    }

    /// `{"enseignant": "login"}` names the main teacher; `null` leaves the class without one.
    @Sendable func setMainTeacher(_ request: Request, context: WebContext) async throws -> [ClassTeacher] {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: MainTeacher.self, context: context)
        try await services.app.classes.setMainTeacher(try context.parameters.require("code"), login: body.enseignant, by: .account(account))
        return try await mainTeacher(request, context: context)
    }

    struct Settings: ResponseEncodable, Decodable {
        var nom: String
        /// `trimestres` or `semestres`.
        var periodes: String
        /// Months a student who left may still download their portfolio; unchanged when absent.
        var moisApresDepart: Int?
    }

    @Sendable func settings(_ request: Request, context: WebContext) async throws -> Settings {
        let account = try services.require(context, .admin)
        return Settings(nom: try await services.app.school.name(by: .account(account)) ?? "",
                        periodes: try await services.app.school.periodScheme(by: .account(account)).rawValue,
                        moisApresDepart: try await services.app.school.leaverMonths(by: .account(account)))
    }

    @Sendable func saveSettings(_ request: Request, context: WebContext) async throws -> Settings {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: Settings.self, context: context)
        guard let scheme = PeriodScheme(rawValue: body.periodes) else {
            throw HTTPError(.unprocessableContent, message: "periodes : « trimestres » ou « semestres »")
        }
        try await services.app.school.saveSettings(name: body.nom, scheme: scheme, leaverMonths: body.moisApresDepart, by: .account(account))
        return try await settings(request, context: context)
    }

    struct NewKey: Decodable { var algorithme: String? }
    struct Key: ResponseEncodable { var id: String; var algorithme: String }

    /// A new signing key; the former ones stay published, so that delivered badges stay verifiable.
    @Sendable func rotateKey(_ request: Request, context: WebContext) async throws -> EditedResponse<Key> {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: NewKey.self, context: context)
        guard let keys = services.keys else { throw HTTPError(.conflict, message: "ce serveur n’a pas de dossier de clés de signature") }
        guard let algorithm = IssuerKey.Algorithm(rawValue: body.algorithme ?? "RS256") else {
            throw HTTPError(.unprocessableContent, message: "algorithme : « RS256 » ou « ES256 »")
        }
        let key = try await services.app.badges.newKey(algorithm, storingIn: keys, by: .account(account))
        return EditedResponse(status: .created, response: Key(id: key.id, algorithme: algorithm.rawValue))
    }

    struct Teaching: Encodable {
        var code: String
        var matieres: [String]
    }

    struct StaffMember: ResponseEncodable {
        var identifiant: String
        var nom: String
        /// Brought by STS-web (updated by its next export), else added by hand.
        var sts: Bool
        var compte: Bool
        var classes: [Teaching]
        var professeurPrincipal: [String]
    }

    @Sendable func staff(_ request: Request, context: WebContext) async throws -> [StaffMember] {
        let account = try services.require(context, .admin)
        return try await services.app.school.staff(by: .account(account)).map {
            StaffMember(identifiant: $0.teacher.login, nom: $0.teacher.name, sts: $0.fromSTS, compte: $0.hasAccount,
                        classes: $0.teaching.map { Teaching(code: $0.code, matieres: $0.subjects) }, professeurPrincipal: $0.leads)
        }
    }

    struct Problem: Encodable {
        var ligne: Int?
        var champ: String?
        var message: String
    }

    /// Someone or something the import leaves aside, and why.
    struct Note: Encodable {
        var ligne: Int?
        var objet: String
        var message: String
    }

    /// What confirming a staged file would store (`POST /imports`), or stored (its confirmation).
    struct ImportOutcome: ResponseEncodable {
        var id: Int64
        var fichier: String
        /// `eleves`, `responsables` or `enseignants`.
        var nature: String
        var ajoutes: Int
        var misAJour: Int
        var inchanges: Int
        var remarques: [Note]
    }

    struct RefusedImport: ResponseEncodable {
        var erreur: String
        var problemes: [Problem]
    }

    /// Stages a roster sent as the body (XML, CSV or ZIP; `?nom=` names it in messages) and
    /// answers with its preview; a file with problems is refused with every one of them.
    @Sendable func stage(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let name = UploadName.label(request.uri.queryParameters["nom"].map(String.init), default: "import")
        guard body.readableBytes > 0 else { throw HTTPError(.badRequest, message: "Le fichier « \(name) » est vide.") }
        let id = try await services.app.school.stageRoster(fileName: name, content: Array(buffer: body), by: .account(account))
        let preview = try await services.app.school.previewRoster(id, by: .account(account))
        if case let .refused(diagnostics) = preview.outcome {
            let refused = RefusedImport(erreur: "le fichier « \(name) » ne peut pas être importé : rien n’a été enregistré",
                                        problemes: diagnostics.map { Problem(ligne: $0.line, champ: $0.field, message: $0.message) })
            return try EditedResponse(status: .unprocessableContent, response: refused).response(from: request, context: context)
        }
        return try EditedResponse(status: .created, response: Self.outcome(preview)).response(from: request, context: context)
    }

    @Sendable func confirm(_ request: Request, context: WebContext) async throws -> ImportOutcome {
        let account = try services.require(context, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let preview = try await SchoolRoutes.staged { try await services.app.school.previewRoster(id, by: .account(account)) }
        if case .refused = preview.outcome {
            throw HTTPError(.unprocessableContent, message: "ce fichier ne peut pas être importé : envoyez un fichier corrigé")
        }
        let confirmed = try await SchoolRoutes.staged { try await services.app.school.confirmRoster(id, by: .account(account)) }
        var outcome = Self.outcome(preview)
        switch confirmed {
        case let .students(done): (outcome.ajoutes, outcome.misAJour, outcome.inchanges) = (done.inserted, done.updated, done.unchanged)
        case let .guardians(done): (outcome.ajoutes, outcome.misAJour, outcome.inchanges) = (done.inserted, done.updated, done.unchanged)
        case let .teachers(done): (outcome.ajoutes, outcome.misAJour, outcome.inchanges) = (done.inserted, done.updated, done.unchanged)
        }
        return outcome
    }

    static func outcome(_ preview: RosterPreview) -> ImportOutcome {
        var outcome = ImportOutcome(id: preview.upload, fichier: preview.fileName, nature: "", ajoutes: 0, misAJour: 0, inchanges: 0, remarques: [])
        switch preview.outcome {
        case let .ready(done, _, _, _):
            (outcome.nature, outcome.ajoutes, outcome.misAJour, outcome.inchanges) = ("eleves", done.inserted, done.updated, done.unchanged)
            if done.absent > 0 {
                outcome.remarques = [Note(objet: "élèves", message: "\(done.absent) élève(s) de l’établissement absent(s) du fichier : gardés")]
            }
        case let .guardians(done, _, _):
            (outcome.nature, outcome.ajoutes, outcome.misAJour, outcome.inchanges) = ("responsables", done.inserted, done.updated, done.unchanged)
            outcome.remarques = done.withoutChild.map { Note(objet: $0, message: "sans enfant dans l’établissement : non importé") }
                + Set(done.unknownChildren).sorted().map { Note(objet: "ELEVE_ID \($0)", message: "élève inconnu de l’établissement : jamais relié") }
        case let .teachers(done, _, skipped, year):
            (outcome.nature, outcome.ajoutes, outcome.misAJour, outcome.inchanges) = ("enseignants", done.inserted, done.updated, done.unchanged)
            outcome.remarques = done.unknownDivisions.map {
                Note(ligne: $0.line, objet: $0.code, message: "classe ou groupe inconnu en \(year) : services non importés")
            } + done.withoutService.map { Note(ligne: $0.line, objet: $0.displayName, message: "aucun service dans une classe de l’établissement") }
                + skipped.map { Note(ligne: $0.line, objet: $0.name, message: "non importé : \($0.reason)") }
        case .refused:
            break
        }
        return outcome
    }

    @Sendable func followed(_ request: Request, context: WebContext) async throws -> [FollowedReferential] {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let search = request.typedQuery("recherche")
        return try await services.app.classes.followedReferentials(code, search: search, by: .account(account)).referentials.map {
            FollowedReferential(code: $0.code, intitule: $0.title, versions: $0.versions, suivie: $0.followed)
        }
    }

    /// The body maps each referential the class follows to its version; the others are unfollowed.
    @Sendable func follow(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let versions = try await request.decode(as: [String: String].self, context: context)
        try await services.app.classes.setFollowedReferentials(code, versions: versions, by: .account(account))
        return Response(status: .noContent)
    }

    static func letters(_ batch: LetterBatch) -> Letters {
        Letters(lettres: batch.letters.map {
            Letter(identifiant: $0.login, nom: $0.displayName, role: $0.role.rawValue, classe: $0.detail, code: $0.code,
                   valableJusquAu: $0.validUntil.iso)
        }, dejaPourvus: batch.skipped)
    }
}
