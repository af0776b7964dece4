import AcquisExport
import AcquisApp
import AcquisCore
import AcquisStorage
import Foundation
import Hummingbird
import MultipartKit

/// The school's team brings its students in: a SIECLE export or a CSV file, previewed
/// (what will be added, updated, left alone, refused — with lines) before anything is stored.
struct SchoolRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/direction/eleves", use: students)
        router.post("/direction/eleves", use: upload)
        router.get("/direction/enseignants", use: teachers)
        router.post("/direction/enseignants", use: upload)
        router.get("/direction/eleves/depots/{id}", use: preview)
        router.post("/direction/eleves/depots/{id}/confirmation", use: confirm)
        router.get("/direction/classes/{code}/referentiels", use: referentials)
        router.post("/direction/classes/{code}/referentiels", use: saveReferentials)
        router.post("/direction/classes/{code}/professeur-principal", use: saveMainTeacher)
    }

    @Sendable func students(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        // Another school year (`?annee=2025`) is read only: last year's classes stay readable.
        let year = request.uri.queryParameters["annee"].flatMap { Int($0) }.flatMap { (2000...2100).contains($0) ? SchoolYear(startYear: $0) : nil }
            ?? services.app.year
        let current = year == services.app.year
        let divisions = try await services.app.school.divisions(year: year, by: .account(account))
        var values: [String: Any] = [
            "year": "\(year)", "current": current,
            "divisions": divisions.map { division -> [String: Any] in
                var row: [String: Any] = ["code": division.code, "kind": division.kind == "classe" ? "Classe" : "Groupe",
                                          "students": FrenchText.count(division.students, "élève", "élèves")]
                if current { row["href"] = "/direction/classes/\(division.code.urlPathEncoded)/referentiels" }
                return row
            },
            "empty": divisions.isEmpty,
        ]
        if let imported = request.uri.queryParameters["importe"].flatMap({ Int($0) }) {
            values["notice"] = "Import terminé : \(FrenchText.count(imported, "élève enregistré", "élèves enregistrés"))."
        } else if let imported = request.uri.queryParameters["responsables"].flatMap({ Int($0) }) {
            values["notice"] = "Import terminé : \(FrenchText.count(imported, "responsable légal enregistré", "responsables légaux enregistrés"))."
        }
        return Page("direction-eleves", title: "Élèves de l’établissement", values).response(services.templates, context: context)
    }

    @Sendable func teachers(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let staff = try await services.app.school.staff(by: .account(account))
        var values: [String: Any] = [
            "year": "\(services.app.year)", "empty": staff.isEmpty,
            "teachers": staff.map { member in
                [
                    "name": member.teacher.name, "login": member.teacher.login,
                    "teaching": member.teaching.isEmpty ? "—" : member.teaching.map { teaching in
                        teaching.subjects.isEmpty ? teaching.code : "\(teaching.code) (\(teaching.subjects.joined(separator: ", ")))"
                    }.joined(separator: " ; "),
                    "leads": member.leads.isEmpty ? "—" : member.leads.joined(separator: ", "),
                    "account": member.hasAccount ? "oui" : "pas encore",
                    "source": member.fromSTS ? "STS-web" : "saisi à la main",
                ] as [String: Any]
            },
            "withoutAccount": staff.contains { !$0.hasAccount },
        ]
        if let imported = request.uri.queryParameters["importe"].flatMap({ Int($0) }) {
            values["notice"] = "Import terminé : \(FrenchText.count(imported, "enseignant enregistré", "enseignants enregistrés"))."
        }
        return Page("direction-enseignants", title: "Enseignants de l’établissement", values).response(services.templates, context: context)
    }

    @Sendable func upload(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw HTTPError(.badRequest, message: "Envoyez le fichier avec le formulaire de dépôt.")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let file = try MultipartForm(body, boundary: boundary).part("fichier")
        let name = UploadName.label(file?.fileName, default: "eleves.xml")
        guard let bytes = file?.body, !bytes.isEmpty else { throw HTTPError(.badRequest, message: "Le fichier « \(name) » est vide.") }
        let id = try await services.app.school.stageRoster(fileName: name, content: Array(bytes), by: .account(account))
        return .seeOther("/direction/eleves/depots/\(id)")
    }

    @Sendable func preview(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let preview = try await Self.staged { try await services.app.school.previewRoster(id, by: .account(account)) }
        var values: [String: Any] = ["id": id, "fileName": preview.fileName]
        switch preview.outcome {
        case let .refused(diagnostics):
            values["errors"] = diagnostics.map { ["line": $0.line.map(String.init) ?? "—", "field": $0.field ?? "", "message": $0.message] }
            values["errorCount"] = FrenchText.count(diagnostics.count, "problème", "problèmes")
        case let .ready(imported, students, year, format):
            values["ready"] = [
                "format": format == .siecle ? "export SIECLE" : "fichier CSV", "year": "\(year)",
                "students": FrenchText.count(students, "élève", "élèves"),
                "inserted": FrenchText.count(imported.inserted, "élève ajouté", "élèves ajoutés", none: "aucun élève ajouté"),
                "updated": FrenchText.count(imported.updated, "élève mis à jour", "élèves mis à jour", none: "aucun élève mis à jour"),
                "unchanged": FrenchText.count(imported.unchanged, "élève inchangé", "élèves inchangés", none: "aucun élève inchangé"),
                "absent": imported.absent == 0 ? nil : FrenchText.count(imported.absent, "élève", "élèves"),
                "divisions": FrenchText.count(imported.divisions, "classe ou groupe", "classes ou groupes"),
                "otherYear": year != services.app.year,
            ] as [String: Any?] as [String: Any]
        case let .teachers(imported, teachers, skipped, year):
            let notes = imported.unknownDivisions.count + imported.withoutService.count + skipped.count
            values["teachers"] = [
                "hasNotes": notes > 0,
                "read": FrenchText.count(teachers, "enseignant", "enseignants"), "year": "\(year)",
                "inserted": FrenchText.count(imported.inserted, "enseignant ajouté", "enseignants ajoutés", none: "aucun enseignant ajouté"),
                "updated": FrenchText.count(imported.updated, "enseignant mis à jour", "enseignants mis à jour", none: "aucun enseignant mis à jour"),
                "unchanged": FrenchText.count(imported.unchanged, "enseignant inchangé", "enseignants inchangés", none: "aucun enseignant inchangé"),
                "teachings": FrenchText.count(imported.teachings, "service dans une classe ou un groupe", "services dans des classes ou groupes"),
                "mainTeachers": FrenchText.count(imported.mainTeachers, "professeur principal", "professeurs principaux", none: "aucun professeur principal"),
                "notes": imported.unknownDivisions.map { unknown in
                    ["line": "\(unknown.line)", "who": "\(unknown.code)",
                     "message": "classe ou groupe inconnu en \(year) : "
                        + FrenchText.count(unknown.teachers, "service non importé", "services non importés")
                        + " ; importez d’abord les élèves (SIECLE) ou corrigez le code dans STS-web"]
                } + imported.withoutService.map { teacher in
                    ["line": "\(teacher.line)", "who": teacher.displayName,
                     "message": "aucun service dans une classe ou un groupe de l’établissement : importé sans classe, à compléter à la main"]
                } + skipped.map { ["line": "\($0.line)", "who": $0.name, "message": "non importé : \($0.reason)"] },
            ] as [String: Any]
        case let .guardians(imported, guardians, notLegal):
            values["guardians"] = [
                "read": FrenchText.count(guardians, "responsable légal", "responsables légaux"),
                "notLegal": notLegal == 0 ? nil : FrenchText.count(notLegal, "personne", "personnes"),
                "inserted": FrenchText.count(imported.inserted, "responsable ajouté", "responsables ajoutés", none: "aucun responsable ajouté"),
                "updated": FrenchText.count(imported.updated, "responsable mis à jour", "responsables mis à jour", none: "aucun responsable mis à jour"),
                "unchanged": FrenchText.count(imported.unchanged, "responsable inchangé", "responsables inchangés", none: "aucun responsable inchangé"),
                "links": FrenchText.count(imported.links, "lien avec un enfant de l’établissement", "liens avec des enfants de l’établissement"),
                "withoutChild": imported.withoutChild.isEmpty ? nil : imported.withoutChild.joined(separator: ", "),
                "unknownChildren": imported.unknownChildren.isEmpty ? nil
                    : FrenchText.count(Set(imported.unknownChildren).count, "élève", "élèves") + " (ELEVE_ID "
                        + imported.unknownChildren.prefix(20).joined(separator: ", ") + (imported.unknownChildren.count > 20 ? "…" : "") + ")",
            ] as [String: Any?] as [String: Any]
        }
        return Page("direction-eleves-depot", title: "Import de « \(preview.fileName) »", values).response(services.templates, context: context)
    }

    @Sendable func confirm(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        switch try await Self.staged({ try await services.app.school.confirmRoster(id, by: .account(account)) }) {
        case let .students(imported):
            return .seeOther("/direction/eleves?importe=\(imported.inserted + imported.updated + imported.unchanged)")
        case let .guardians(imported):
            return .seeOther("/direction/eleves?responsables=\(imported.inserted + imported.updated + imported.unchanged)")
        case let .teachers(imported):
            return .seeOther("/direction/enseignants?importe=\(imported.inserted + imported.updated + imported.unchanged)")
        }
    }

    @Sendable func referentials(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let search = request.typedQuery("recherche")
        let offer = try await services.app.classes.followedReferentials(code, search: search, by: .account(account))
        let teachers = try await services.app.classes.teachers(code, by: .account(account))
        return Page("direction-classe-referentiels", title: "Référentiels suivis par \(code)", [
            "code": code, "saved": request.uri.queryParameters["enregistre"] != nil,
            "searchable": offer.searchable, "search": search ?? "", "nothingFound": offer.found?.isEmpty == true,
            "searchAction": "/direction/classes/\(code.urlPathEncoded)/referentiels",
            "mainSaved": request.uri.queryParameters["principal"] != nil,
            "teachers": teachers.map { ["login": $0.teacher.login, "name": $0.teacher.name, "selected": $0.leads] as [String: Any] },
            "hasTeachers": !teachers.isEmpty, "noMain": !teachers.contains { $0.leads },
            "mainAction": "/direction/classes/\(code.urlPathEncoded)/professeur-principal",
            "action": "/direction/classes/\(code.urlPathEncoded)/referentiels",
            "referentials": offer.referentials.map(Self.choice),
        ]).response(services.templates, context: context)
    }

    @Sendable func saveReferentials(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let fields = try await request.decode(as: [String: String].self, context: context)
        // Every other field names a referential; one left on « Non suivi » is sent empty.
        let versions = fields.filter { $0.key != "_csrf" && !$0.value.isEmpty }
        try await services.app.classes.setFollowedReferentials(code, versions: versions, by: .account(account))
        return .seeOther("/direction/classes/\(code.urlPathEncoded)/referentiels?enregistre=1")
    }

    /// A referential direction may choose for a class, with its versions newest first.
    private static func choice(_ referential: FollowedReferential) -> [String: Any] {
        let versions = referential.versions.reversed().map { ["version": $0, "selected": $0 == referential.followed] as [String: Any] }
        return ["code": referential.code, "title": referential.title, "id": "ref-\(safeID(referential.code))",
                "notFollowed": referential.followed == nil, "versions": versions]
    }

    struct MainTeacherForm: Decodable { var enseignant: String? }

    @Sendable func saveMainTeacher(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let code = try context.parameters.require("code")
        let form = try await request.decode(as: MainTeacherForm.self, context: context)
        try await services.app.classes.setMainTeacher(code, login: form.enseignant.flatMap { $0.isEmpty ? nil : $0 }, by: .account(account))
        return .seeOther("/direction/classes/\(code.urlPathEncoded)/referentiels?principal=1")
    }

    /// A staged file that is gone, or another school's, is answered as not found.
    static func staged<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch UploadError.unknown {
            throw HTTPError(.notFound, message: "Ce dépôt n’existe plus (déjà importé, ou plus d’un jour) : déposez le fichier de nouveau.")
        }
    }
}
