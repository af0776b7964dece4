import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// Students and families: progress in positive words, badges, self-evaluation, requests.
struct StudentRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/eleve", use: progress)
        router.get("/eleve/badges", use: badges)
        router.get("/badges/{uuid}/badge.{format}", use: download)
        router.post("/eleve/auto-evaluations", use: selfEvaluation)
        router.post("/eleve/demandes", use: request)
        router.get("/eleve/filleuls/{id}", use: sponsored)
    }

    /// The student a student or family account follows: for a guardian of several children,
    /// the one `?enfant=` names, else the first; the others are offered as a switch.
    func followed(_ request: Request, _ context: WebContext) async throws -> (Account, StoredStudent, [[String: Any]]) {
        let account = try services.require(context, .student, .family)
        let children = try await services.app.students.followed(by: .account(account))
        let asked = request.uri.queryParameters["enfant"].flatMap { Int64($0) }
        guard let current = children.first(where: { $0.id == asked }) ?? children.first else { throw Refusal.student }
        let path = request.uri.path
        let switcher: [[String: Any]] = children.count < 2 ? [] : children.map { child in
            ["name": child.student.firstName, "href": "\(path)?enfant=\(child.id)", "current": child.id == current.id]
        }
        return (account, current, switcher)
    }

    @Sendable func progress(_ request: Request, context: WebContext) async throws -> Response {
        let (account, student, children) = try await followed(request, context)
        let today = services.today
        let file = try await services.app.students.progressFile(studentID: student.id, period: .trimester(containing: today), by: .account(account))
        var timeline: [Timeline] = []
        for section in file.sections {
            timeline.append(Timeline(try await services.app.students.monthlyProgress(
                studentID: student.id, referential: section.code, version: section.version, by: .account(account))))
        }
        let requests = try await services.app.students.requests(studentID: student.id, by: .account(account))
        let godchildren = try await services.app.students.sponsored(by: .account(account))
        let followed = try await services.app.students.referentialsFollowed(studentID: student.id, by: .account(account))
        let view = ProgressFileView(file, for: ProgressFileReader(account.role))
        let bilanPeriod = try await services.bilanPeriod(of: request, for: account)
        let bilan = try await services.app.students.bilan(studentID: student.id, period: bilanPeriod, by: .account(account))
        let isStudent = account.role == .student
        let lastWeek = Period(code: "semaine", title: "les sept derniers jours", start: today.adding(days: -7), end: today)
        let summary = ProgressSummary(
            file: file, week: try await services.app.students.progressFile(studentID: student.id, period: lastWeek, by: .account(account)),
            awards: try await services.app.students.awards(studentID: student.id, by: .account(account)),
            childName: isStudent ? nil : student.student.firstName)
        return Page("eleve", title: isStudent ? "Mes progrès" : "Les progrès de \(student.student.firstName)", [
            "summary": summary.values,
            "isStudent": isStudent,
            "firstName": student.student.firstName,
            "file": view,
            "timelines": timeline.map(\.values),
            "competencies": Self.competencyChoices(file, followed: followed),
            "levels": file.sections.first?.scale.levels.map { ["code": $0.code, "label": $0.studentLabel] } ?? [],
            "requests": requests.prefix(10).map(Self.requestValues),
            "hasRequests": !requests.isEmpty,
            "notice": Self.notice(request.uri.queryParameters["ok"].map(String.init)) as Any,
            "exportLink": "/eleves/\(student.id)/livret",
            "godchildren": godchildren.map { ["id": $0.id, "name": "\($0.student.firstName) \($0.student.lastName)"] },
            "hasGodchildren": !godchildren.isEmpty,
            "bilan": PeriodBilanRoutes.values(bilan, for: account), "childID": student.id,
            "children": children, "hasChildren": !children.isEmpty, "badgesLink": children.isEmpty ? "/eleve/badges" : "/eleve/badges?enfant=\(student.id)",
        ]).response(services.templates, context: context)
    }

    /// A peer sponsor sees the progress of the younger students they sponsor, in the same
    /// positive words as those students: never signals, follow-ups or evidence details.
    @Sendable func sponsored(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let id = try context.parameters.require("id", as: Int64.self)
        let godchild = try await services.app.students.sponsoredStudent(id, by: .account(account))
        let file = try await services.app.students.progressFile(studentID: id, period: .trimester(containing: services.today), by: .account(account))
        return Page("filleul", title: "Les progrès de \(godchild.student.firstName)", [
            "firstName": godchild.student.firstName, "file": ProgressFileView(file, for: .family),
        ]).response(services.templates, context: context)
    }

    static func requestValues(_ request: EvaluationRequest) -> [String: String] {
        let status = switch request.status {
        case .open: "en attente"
        case .accepted: "acceptée"
        case .postponed: "reportée"
        }
        var values = ["competency": "\(request.competencyCode) – \(request.competencyTitle)", "status": status,
                      "date": FrenchText.day(request.requestedAt)]
        // No answer yet: no « : « » » after the status.
        if let answer = request.answer?.trimmingCharacters(in: .whitespacesAndNewlines), !answer.isEmpty { values["answer"] = answer }
        return values
    }

    /// What a student may self-evaluate or ask about: the competencies of the referentials
    /// their classes follow.
    static func competencyChoices(_ file: ProgressFile, followed: Set<String>) -> [[String: String]] {
        var choices: [[String: String]] = []
        for section in file.sections where followed.contains(section.code) {
            for row in section.rows {
                guard case .competency = row.content else { continue }
                choices.append(["value": "\(section.code)|\(row.code)", "label": "\(section.code) · \(row.code) – \(row.title)"])
            }
        }
        return choices
    }

    static func notice(_ done: String?) -> String? {
        switch done {
        case "demande": "Ta demande a été transmise à tes enseignants."
        case "auto": "Ton auto-évaluation est enregistrée."
        case "bilan": "Ton bilan est enregistré : l’équipe le lira avant d’écrire le sien."
        case "vu": "Merci : l’équipe sait que vous avez lu le bilan."
        default: nil
        }
    }

    @Sendable func badges(_ request: Request, context: WebContext) async throws -> Response {
        let (account, student, children) = try await followed(request, context)
        let awards = try await services.app.students.awards(studentID: student.id, by: .account(account))
        return Page("badges", title: account.role == .student ? "Mes badges" : "Les badges de \(student.student.firstName)", [
            "awards": awards.sorted { $0.awardedOn > $1.awardedOn }.map { award in
                var values = BadgeRow(award: award).values
                let badge = award.badge.badgeClass
                values["art"] = BadgeArt.svg(badge, subtitle: badge.alignments.first?.referential?.code ?? "")
                return values
            },
            "hasAwards": !awards.isEmpty,
            "canDownload": services.keys != nil,
            "isStudent": account.role == .student,
            "firstName": student.student.firstName,
            "children": children, "hasChildren": !children.isEmpty,
        ]).response(services.templates, context: context)
    }

    @Sendable func download(_ request: Request, context: WebContext) async throws -> Response {
        let account = try context.account()
        let uuid = try context.parameters.require("uuid")
        guard let format = BadgeImageFormat(rawValue: try context.parameters.require("format")) else {
            throw HTTPError(.notFound, message: "Format inconnu : png ou svg.")
        }
        let bytes = try await BadgeActions(services: services).baked(uuid, format: format, for: account)
        return .file(bytes, type: format == .png ? "image/png" : "image/svg+xml", name: "badge-\(uuid).\(format.rawValue)")
    }

    struct CompetencyForm: Decodable {
        /// `REFERENTIAL|COMPETENCY`, as the page's list offers them.
        var competence: String
        var niveau: String?
        var message: String?

        func split() throws -> (referential: String, competency: String) {
            let parts = competence.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw HTTPError(.badRequest, message: "Choisissez une compétence dans la liste.") }
            return (parts[0], parts[1])
        }
    }

    @Sendable func selfEvaluation(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let form = try await request.decode(as: CompetencyForm.self, context: context)
        let (referential, competency) = try form.split()
        guard let level = form.niveau.nonEmpty else { throw HTTPError(.badRequest, message: "Choisis un niveau.") }
        try await RequestActions(services: services).selfEvaluate(referential: referential, competency: competency,
                                                                  level: level, by: account)
        return .seeOther("/eleve?ok=auto")
    }

    @Sendable func request(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let form = try await request.decode(as: CompetencyForm.self, context: context)
        let (referential, competency) = try form.split()
        try await RequestActions(services: services).request(referential: referential, competency: competency,
                                                             message: form.message.nonEmpty, by: account)
        return .seeOther("/eleve?ok=demande")
    }
}

/// Competencies acquired at the end of each month of the school year: progress over time.
struct Timeline {
    var title: String
    var points: [(month: String, acquired: Int)]
    var total: Int

    static let months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

    init(_ progress: MonthlyProgress) {
        title = progress.title
        points = progress.points.map { (Self.months[$0.month - 1], $0.acquired) }
        total = progress.total
    }

    var values: [String: Any] {
        let top = max(1, total)
        return ["title": title, "points": points.map { point in
            ["month": point.month, "acquired": point.acquired, "max": top,
             "label": FrenchText.count(point.acquired, "compétence acquise", "compétences acquises")]
        }, "total": total]
    }
}
