import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import AcquisVigilance
import Foundation
import Hummingbird

/// Early warning for teachers, tutors and the school's team: students to follow with the
/// reasons, follow-ups and their outcome, tutoring, need groups, thresholds. Students and
/// families never reach these routes; every view of them is logged.
struct VigilanceRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/vigilance", use: overview)
        router.post("/eleves/{id}/suivis", use: recordFollowUp)
        router.post("/eleves/{id}/tutorat", use: assignTutoring)
        router.get("/classes/{code}/groupes", use: groups)
        router.post("/classes/{code}/groupes", use: saveGroups)
        router.get("/classes/{code}/groupes/{id}/fiche.{format}", use: exportGroups)
        router.get("/direction/seuils", use: thresholds)
        router.post("/direction/seuils", use: saveThresholds)
    }

    // MARK: - Lists

    /// The vigilance lists an account sees: each class it teaches (every class for the team),
    /// then the students it tutors.
    func lists(for account: Account) async throws -> (classes: [(code: String, entries: [VigilanceEntry])], tutees: [VigilanceEntry]) {
        try await services.app.vigilance.lists(by: .account(account))
    }

    @Sendable func overview(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let (classes, tutees) = try await lists(for: account)
        return Page("vigilance", title: "Élèves à suivre", [
            "asOf": services.today.french,
            "classes": classes.map { list in
                let flagged = list.entries.filter(\.isFlagged)
                return [
                    "code": list.code,
                    "summary": "\(FrenchText.count(flagged.count, "élève à suivre", "élèves à suivre", none: "Aucun élève à suivre")) "
                        + "sur \(FrenchText.count(list.entries.count, "élève"))",
                    "students": flagged.map(VigilanceView.entry), "hasStudents": !flagged.isEmpty,
                ] as [String: Any]
            },
            "tutees": tutees.map(VigilanceView.entry), "hasTutees": !tutees.isEmpty,
        ]).response(services.templates, context: context)
    }

    /// The lines of the home page: students with signals across the account's lists, once each.
    /// How many students to follow, per class and among the tutees: what a home page shows
    /// before the names, which are one click further (and logged when read).
    func homeSummary(for account: Account) async throws -> WatchSummary {
        WatchSummary(counts: try await services.app.vigilance.counts(by: .account(account)))
    }

    struct WatchSummary {
        var counts: VigilanceCounts

        func flagged(in code: String) -> Int? {
            counts.classes.first { $0.code == code && $0.flagged > 0 }?.flagged
        }

        var sentence: String {
            guard counts.total > 0 else { return "Aucun signal aujourd’hui dans vos classes." }
            var parts = counts.classes.filter { $0.flagged > 0 }.map { "\($0.flagged) en \($0.code)" }
            if counts.tutees > 0 { parts.append("\(counts.tutees) que vous accompagnez") }
            return FrenchText.count(counts.total, "élève à suivre", "élèves à suivre") + " : " + parts.joined(separator: ", ") + "."
        }
    }

    // MARK: - One student

    /// The vigilance part of a student's page: signals, tutoring, follow-ups and what happened since.
    func studentSection(_ studentID: Int64, for account: Account) async throws -> [String: Any] {
        let student = try await services.student(studentID, for: account)
        let record = try await services.app.vigilance.student(student.reference, by: .account(account))
        let (signals, tutoring, history, teachers) = (record.signals, record.tutoring, record.followUps, record.teachers)
        let today = services.today
        return [
            "signals": signals.map(VigilanceView.signal), "hasSignals": !signals.isEmpty,
            "followUps": history.map { followUp, outcome in [
                "day": followUp.decidedOn.french, "action": followUp.action, "note": followUp.note ?? "",
                "author": followUp.authorName, "outcome": outcome.summary,
            ] },
            "hasFollowUps": !history.isEmpty,
            "usualActions": FollowUp.usualActions,
            "today": today.iso,
            "tutor": tutoring.teacher.map(\.name) ?? "aucun",
            "sponsor": tutoring.sponsor.map { "\($0.student.displayName) (\($0.student.division ?? "—"))" } ?? "aucun",
            "teachers": teachers.map { ["login": $0.login, "name": $0.name,
                                        "selected": $0.login == tutoring.teacher?.login] as [String: Any] },
        ]
    }

    struct FollowUpForm: Decodable {
        var action: String
        var date: String?
        var note: String?
    }

    @Sendable func recordFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let student = try await services.student(id, for: account)
        let form = try await request.decode(as: FollowUpForm.self, context: context)
        let day = try FormDay.read(form.date, today: services.today, naming: "Date du suivi")
        try await services.app.vigilance.recordFollowUp(student.reference, action: form.action, decidedOn: day, note: form.note,
                                                        by: .account(account))
        return .seeOther("/eleves/\(id)#vigilance")
    }

    struct TutoringForm: Decodable {
        var tuteur: String?
        var parrain: String?
    }

    @Sendable func assignTutoring(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let student = try await services.student(id, for: account)
        let form = try await request.decode(as: TutoringForm.self, context: context)
        try await services.app.vigilance.assignTutoring(student.reference, tutorLogin: form.tuteur.nonEmpty,
                                                        sponsor: form.parrain.nonEmpty.map { .ine(Student.normalizedINE($0)) },
                                                        by: .account(account))
        return .seeOther("/eleves/\(id)#vigilance")
    }

    // MARK: - Need groups

    @Sendable func groups(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let query = request.uri.queryParameters
        let chosen = query.getAll("competences").map { String($0) }
        let referential = query["referentiel"].map(String.init)
        let year = services.year
        let period = Period.named(query["periode"].map(String.init) ?? "", in: year) ?? .trimester(containing: services.today)
        let page = try await services.app.vigilance.needGroups(code, referential: referential, competencies: chosen, period: period,
                                                               by: .account(account))
        let (choices, target, suggestion, saved) = (page.choices, page.target, page.suggestion, page.saved)
        let referentials: [[String: Any]] = choices.map {
            ["code": $0.code, "title": $0.title, "selected": $0.code == target.referential.code]
        }
        return Page("groupes", title: "Groupes de besoin – \(code)", [
            "division": code,
            "referentials": referentials,
            "referential": target.referential.code,
            "competencies": target.referential.evaluableNodes.map { node in
                ["code": node.code, "title": node.title, "checked": chosen.contains(node.code)] as [String: Any]
            },
            "periods": Period.names.compactMap { Period.named($0, in: year) }.map { option in
                ["code": option.code, "title": option.title, "selected": option.code == period.code] as [String: Any]
            },
            "suggestion": suggestion.map { VigilanceView.suggestion($0) } as Any?,
            "saved": saved.map { VigilanceView.savedSet($0.set, outcomes: $0.outcomes) }, "hasSaved": !saved.isEmpty,
            "justSaved": query["enregistre"] != nil,
        ]).response(services.templates, context: context)
    }

    struct GroupsForm: Decodable {
        var referentiel: String
        var competences: String
        var periode: String
    }

    /// Saves the groups of a period as the teacher edited them, beside what was suggested.
    @Sendable func saveGroups(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let form = try await request.decode(as: GroupsForm.self, context: context)
        let fields = try await request.decode(as: [String: String].self, context: context)
        guard let period = Period.named(form.periode, in: services.year) else {
            throw HTTPError(.unprocessableContent, message: "Période inconnue : \(Period.names.joined(separator: ", ")).")
        }
        var groups: [Int64: String] = [:]
        for (key, value) in fields where key.hasPrefix("g-") {
            if let id = Int64(key.dropFirst(2)) { groups[id] = value }
        }
        try await services.app.vigilance.saveNeedGroups(code, referential: form.referentiel,
                                                        competencies: form.competences.split(separator: " ").map(String.init),
                                                        period: period, groups: groups, by: .account(account))
        return .seeOther("/classes/\(code.urlPathEncoded)/groupes?referentiel=\(form.referentiel.urlQueryEncoded)&enregistre=1")
    }

    @Sendable func exportGroups(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id", as: Int64.self)
        let (set, titles) = try await services.app.vigilance.needGroupSet(id, of: code, by: .account(account))
        let sheet = set.sheet(titles: titles, status: "enregistré par \(set.savedBy ?? "—")")
        let name = "groupes-\(code)-\(set.period.code)"
        switch try context.parameters.require("format") {
        case "csv": return .file(Array(CSVExport.needGroups(sheet).utf8), type: "text/csv; charset=utf-8", name: name + ".csv")
        case "pdf": return .file(PDFExport.needGroups(sheet).bytes, type: "application/pdf", name: name + ".pdf")
        default: throw HTTPError(.notFound, message: "Format inconnu : csv ou pdf.")
        }
    }

    // MARK: - Thresholds

    @Sendable func thresholds(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let (thresholds, zone) = try await services.app.vigilance.thresholds(by: .account(account))
        return Page("seuils", title: "Seuils des signaux", [
            "settings": thresholds.settings.map { ["key": $0.key, "label": $0.label, "unit": $0.unit, "value": $0.value] },
            "zones": [["value": "", "label": "Non choisie (vacances communes seulement)", "selected": zone == nil]]
                + HolidayCalendar.Zone.allCases.map { ["value": $0.rawValue, "label": "Zone \($0.rawValue)", "selected": $0 == zone] },
            "saved": request.uri.queryParameters["enregistre"] != nil,
        ]).response(services.templates, context: context)
    }

    @Sendable func saveThresholds(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let fields = try await request.decode(as: [String: String].self, context: context)
        do {
            let settings = fields.filter { field in VigilanceThresholds.default.settings.contains { $0.key == field.key } }
            try await services.app.vigilance.saveThresholds(settings, zone: fields["zone"], by: .account(account))
        } catch let refused as ThresholdError {
            throw HTTPError(.unprocessableContent, message: French.sentence(refused.description))
        }
        return .seeOther("/direction/seuils?enregistre=1")
    }
}

extension VigilanceError: UserFacing {}
extension FollowUpError: UserFacing {}
extension TutoringError: UserFacing {}
extension NeedGroupError: UserFacing {}

/// Template values of vigilance pages.
enum VigilanceView {
    static func signal(_ signal: Signal) -> [String: Any] {
        ["title": signal.kind.title, "kind": signal.kind.rawValue, "reason": signal.reason, "evidence": signal.evidence,
         "hasEvidence": !signal.evidence.isEmpty]
    }

    static func entry(_ entry: VigilanceEntry) -> [String: Any] {
        var values: [String: Any] = [
            "id": entry.student.id, "name": entry.student.student.displayName,
            "division": entry.student.student.division ?? "",
            "signals": entry.signals.map(signal), "hasSignals": !entry.signals.isEmpty,
            "titles": entry.signals.map(\.kind.title).joined(separator: " · "),
        ]
        if let followUp = entry.lastFollowUp {
            values["followUp"] = "\(followUp.action) le \(followUp.decidedOn.french) (\(followUp.authorName))"
        }
        return values
    }

    static func suggestion(_ set: NeedGroupSet) -> [String: Any] {
        [
            "competencies": set.competencies.joined(separator: " "),
            "period": set.period.code, "periodTitle": set.period.title,
            "members": set.members.map { member in [
                "id": member.student.id, "name": member.student.student.displayName, "reason": member.reason,
                "suggested": NeedGroupSheet.groupTitle(member.suggested),
                "options": ([nil] + NeedGroup.allCases.map(Optional.some)).map { group in
                    ["value": group?.rawValue ?? "", "label": NeedGroupSheet.groupTitle(group),
                     "selected": group == member.group] as [String: Any]
                },
            ] as [String: Any] },
        ]
    }

    static func savedSet(_ set: NeedGroupSet, outcomes: [NeedGroup: Outcome]) -> [String: Any] {
        [
            "id": set.id ?? 0, "period": set.period.title, "referential": set.referentialCode,
            "competencies": set.competencies.joined(separator: ", "), "savedBy": set.savedBy ?? "",
            "groups": NeedGroup.allCases.compactMap { group -> [String: Any]? in
                let members = set.members(of: group)
                guard !members.isEmpty else { return nil }
                return ["title": group.title, "names": members.map(\.student.student.displayName).joined(separator: ", "),
                        "outcome": outcomes[group]?.summary ?? ""]
            },
        ]
    }
}
