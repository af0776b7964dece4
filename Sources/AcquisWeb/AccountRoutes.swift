import AcquisApp
import AcquisCore
import AcquisCSV
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird

/// The school's team makes accounts from its rosters: a login and a one-time code per person,
/// printed on a letter; people choose their password on first sign-in (`/activation`).
struct AccountRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/direction/comptes", use: list)
        router.post("/direction/comptes/eleves", use: createStudents)
        router.post("/direction/comptes/enseignants", use: createTeacher)
        router.post("/direction/comptes/enseignants/manquants", use: createTeachers)
        router.post("/direction/comptes/familles", use: createFamilies)
        router.post("/direction/comptes/{login}/code", use: resetCode)
        router.post("/direction/comptes/{login}/desactivation") { request, context in try await setDisabled(true, request, context) }
        router.post("/direction/comptes/{login}/reactivation") { request, context in try await setDisabled(false, request, context) }
        router.get("/direction/comptes/lettres/{id}", use: letters)
        router.get("/direction/comptes/lettres/{id}/lettres.pdf", use: lettersPDF)
        router.get("/direction/comptes/lettres/{id}/comptes.csv", use: lettersCSV)
        router.get("/activation", use: activationForm)
        router.post("/activation", use: activate)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let managed = try await services.app.accounts.managed(by: .account(account))
        let divisions = try await services.app.school.divisions(by: .account(account))
        let waiting = managed.filter { if case .waiting = $0.state { true } else { false } }.count
        var values: [String: Any] = [
            "classes": divisions.filter { $0.kind == "classe" }.map { ["code": $0.code, "id": safeID($0.code)] },
            "divisions": divisions.map { ["code": $0.code, "id": "classe-\(safeID($0.code))"] },
            "hasDivisions": !divisions.isEmpty,
            "teachersWithoutAccount": try await Self.teachersWithoutAccount(services, account),
            "accounts": managed.map { managed in
                [
                    "login": managed.account.login, "name": managed.account.displayName, "role": managed.account.role.label,
                    "state": Self.words(managed.state), "disabled": managed.state == .disabled,
                    "self": managed.account.id == account.id,
                ] as [String: Any]
            },
            "waiting": waiting == 0 ? nil : FrenchText.count(waiting, "compte attend", "comptes attendent") as Any,
        ]
        if let notice = request.uri.queryParameters["ok"] {
            values["notice"] = notice == "desactive" ? "Compte désactivé : il ne peut plus se connecter." : "Compte réactivé."
        }
        return Page("direction-comptes", title: "Comptes", values).response(services.templates, context: context)
    }

    /// « 3 enseignants », those brought by STS-web who have no account yet; nil when none.
    static func teachersWithoutAccount(_ services: WebServices, _ account: Account) async throws -> String? {
        let count = try await services.app.school.staff(by: .account(account)).filter { !$0.hasAccount }.count
        return count == 0 ? nil : FrenchText.count(count, "enseignant", "enseignants")
    }

    /// Whose accounts to make: the classes ticked (a class, a level's classes), or the whole
    /// school. A script may name one `classe`; none at all means the whole school.
    struct ClassesForm: Decodable {
        var classe: String?
        var classes: [String]?
        /// `classes` (the ticked ones) or `tout`, from the button pressed.
        var portee: String?

        func chosen() throws -> [String]? {
            if portee == "tout" { return nil }
            let codes = (classes ?? []) + [classe].compactMap { $0 }.filter { !$0.isEmpty }
            if portee == "classes" && codes.isEmpty {
                throw HTTPError(.badRequest, message: "Cochez au moins une classe, ou choisissez tout l’établissement.")
            }
            return codes.isEmpty ? nil : codes
        }
    }

    struct TeacherForm: Decodable {
        var prenom: String
        var nom: String
        var classes: [String]?
    }

    @Sendable func createStudents(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: ClassesForm.self, context: context)
        let batch = try await services.app.accounts.createStudentAccounts(divisions: try form.chosen(), by: .account(account))
        return .seeOther("/direction/comptes/lettres/\(batch.id)")
    }

    @Sendable func createFamilies(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: ClassesForm.self, context: context)
        let batch = try await services.app.accounts.createFamilyAccounts(divisions: try form.chosen(), by: .account(account))
        return .seeOther("/direction/comptes/lettres/\(batch.id)")
    }

    @Sendable func createTeacher(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let form = try await request.decode(as: TeacherForm.self, context: context)
        let batch = try await services.app.accounts.createTeacherAccount(firstName: form.prenom, lastName: form.nom,
                                                                          divisions: form.classes ?? [], by: .account(account))
        return .seeOther("/direction/comptes/lettres/\(batch.id)")
    }

    @Sendable func createTeachers(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let batch = try await services.app.accounts.createTeacherAccounts(by: .account(account))
        return .seeOther("/direction/comptes/lettres/\(batch.id)")
    }

    @Sendable func resetCode(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let login = try context.parameters.require("login")
        let batch = try await Self.known { try await services.app.accounts.resetCode(login: login, by: .account(account)) }
        return .seeOther("/direction/comptes/lettres/\(batch.id)")
    }

    func setDisabled(_ disabled: Bool, _ request: Request, _ context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let login = try context.parameters.require("login")
        try await Self.known { try await services.app.accounts.setDisabled(login: login, disabled, by: .account(account)) }
        return .seeOther("/direction/comptes?ok=\(disabled ? "desactive" : "reactive")")
    }

    @Sendable func letters(_ request: Request, context: WebContext) async throws -> Response {
        let batch = try await loadLetters(context)
        return Page("direction-lettres", title: "Lettres de connexion", [
            "id": batch.id,
            "made": FrenchText.count(batch.letters.count, "compte créé", "comptes créés", none: "aucun compte créé"),
            "skipped": batch.skipped == 0 ? nil : FrenchText.count(batch.skipped, "personne avait", "personnes avaient") as Any,
            "hasLetters": !batch.letters.isEmpty,
            "people": batch.letters.map { ["name": $0.displayName, "login": $0.login, "detail": $0.detail, "role": $0.role.label] },
            "validUntil": batch.letters.first?.validUntil.french ?? "",
        ]).response(services.templates, context: context)
    }

    @Sendable func lettersPDF(_ request: Request, context: WebContext) async throws -> Response {
        let batch = try await loadLetters(context)
        let pdf = PDFExport.signInLetters(batch.letters.map(Self.letter), school: batch.schoolName,
                                          activationURL: services.publicAddress(of: request) + "/activation")
        return .file(pdf.bytes, type: "application/pdf", name: "lettres-acquis.pdf")
    }

    @Sendable func lettersCSV(_ request: Request, context: WebContext) async throws -> Response {
        let batch = try await loadLetters(context)
        let address = services.publicAddress(of: request) + "/activation"
        var csv = CSVWriter()
        csv.appendRow(["Nom", "Rôle", "Classe", "Identifiant", "Code d’activation", "Valable jusqu’au", "Adresse"])
        for letter in batch.letters {
            csv.appendRow([letter.displayName, letter.role.label, letter.detail, letter.login, letter.code, letter.validUntil.french, address])
        }
        return .file(Array(csv.text.utf8), type: "text/csv; charset=utf-8", name: "comptes-acquis.csv")
    }

    private func loadLetters(_ context: WebContext) async throws -> LetterBatch {
        let account = try services.require(context, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        do {
            return try await services.app.accounts.letters(id, by: .account(account))
        } catch AccountError.unknownLetters {
            throw HTTPError(.notFound, message: "Ces lettres ne sont plus disponibles (plus d’un jour) : créez un nouveau code pour les personnes concernées.")
        }
    }

    // MARK: - First sign-in

    struct ActivationForm: Decodable {
        var identifiant: String
        var code: String
        var mot_de_passe: String
        var confirmation: String
    }

    @Sendable func activationForm(_ request: Request, context: WebContext) async throws -> Response {
        Page("activation", title: "Première connexion", ["minimum": Setup.minimumPasswordLength])
            .response(services.templates, context: context)
    }

    @Sendable func activate(_ request: Request, context: WebContext) async throws -> Response {
        let form = try await request.decode(as: ActivationForm.self, context: context)
        let login = form.identifiant.trimmingCharacters(in: .whitespaces).lowercased()
        let address = services.clientAddress(of: request, context: context)
        func refuse(_ message: String, _ status: HTTPResponse.Status) -> Response {
            Page("activation", title: "Première connexion", ["error": message, "login": login, "minimum": Setup.minimumPasswordLength],
                 status: status).response(services.templates, context: context)
        }
        if let wait = try await services.throttle.wait(login: login, address: address) {
            return refuse("Plusieurs essais ont échoué pour cet identifiant : patientez \(FrenchText.duration(wait)) avant de réessayer.",
                          .tooManyRequests)
        }
        guard form.mot_de_passe == form.confirmation else { return refuse("Les deux mots de passe ne sont pas les mêmes.", .unprocessableContent) }
        do {
            let account = try await services.app.signIn.activate(login: login, code: form.code, password: form.mot_de_passe,
                                                                 hash: { Passwords.hash($0) })
            try await services.throttle.recordSuccess(login: login, address: address)
            context.sessions.clearSession()
            context.sessions.createSession(.fresh(accountID: account.id))
            return .seeOther(Navigation.home(for: account.role))
        } catch AccountError.passwordTooShort(let minimum) {
            return refuse("Le mot de passe doit compter au moins \(minimum) caractères.", .unprocessableContent)
        } catch AccountError.wrongCode {
            try await services.throttle.recordFailure(login: login, address: address)
            return refuse("Identifiant ou code d’activation incorrect, déjà utilisé ou expiré. Si besoin, demandez un nouveau code à l’établissement.",
                          .unauthorized)
        }
    }

    // MARK: - Words

    static func words(_ state: ManagedAccount.State) -> String {
        switch state {
        case .active: "actif"
        case let .waiting(until) where until < Date(): "code expiré, jamais activé"
        case .waiting: "en attente de première connexion"
        case .disabled: "désactivé"
        }
    }

    static func letter(_ letter: AccountLetter) -> SignInLetter {
        let reader: SignInLetter.Reader = switch letter.role {
        case .student: .student
        case .family: .family
        default: .staff
        }
        return SignInLetter(reader: reader, name: letter.displayName, detail: letter.detail, login: letter.login, code: letter.code,
                            validUntil: letter.validUntil)
    }

    /// An account of another school or none is answered as not found.
    @discardableResult
    static func known<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch AccountStoreError.unknownAccount {
            throw HTTPError(.notFound, message: "Compte introuvable.")
        }
    }
}

/// An HTML id from a class code: letters, digits and dashes.
func safeID(_ code: String) -> String {
    String(code.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
}
