import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStore
import AcquisVigilance
import Foundation
import GRDB
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
        let (year, today) = (services.year, services.today)
        let lists = try await services.read { db in
            guard let schoolID = account.schoolID else { return ([(code: String, entries: [VigilanceEntry])](), [VigilanceEntry]()) }
            let classes = try AccountStore().divisions(of: account, year: year, in: db).map { taught in
                let division = try SchoolStore().division(code: taught.code, schoolID: schoolID, year: year, in: db)
                return (code: taught.code, entries: try VigilanceStore().list(for: division, asOf: today, in: db))
            }
            let tutees = try account.teacherID.map {
                try VigilanceStore().list(forTutor: $0, schoolID: schoolID, year: year, asOf: today, in: db)
            } ?? []
            return (classes, tutees)
        }
        // What the pages show: the flagged students of each class, every tutee.
        let shown = lists.0.flatMap(\.entries).filter(\.isFlagged).map(\.student.id) + lists.1.map(\.student.id)
        try await services.logView(account, .signals, studentIDs: Array(Set(shown)))
        return lists
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
    func homeSummary(for account: Account) async throws -> [[String: Any]] {
        let (classes, tutees) = try await lists(for: account)
        var seen = Set<Int64>()
        return (classes.flatMap(\.entries) + tutees).filter { $0.isFlagged && seen.insert($0.student.id).inserted }
            .map(VigilanceView.entry)
    }

    // MARK: - One student

    /// The vigilance part of a student's page: signals, tutoring, follow-ups and what happened since.
    func studentSection(_ studentID: Int64, for account: Account) async throws -> [String: Any] {
        let (year, today) = (services.year, services.today)
        let (signals, tutoring, history, teachers) = try await services.read { db in
            guard try AccountStore().maySeeVigilance(studentID: studentID, account: account, year: year, in: db) else {
                throw Refusal.student
            }
            let followUps = try FollowUpStore().followUps(studentID: studentID, in: db)
            let outcomes = try FollowUpStore().outcomes(studentID: studentID, since: followUps.map(\.decidedOn), asOf: today, in: db)
            let teachers = try AccountStore().teachers(schoolID: account.schoolID ?? 0, in: db)
            let history = Array(zip(followUps, outcomes))
            return (try VigilanceStore().signals(studentID: studentID, year: year, asOf: today, in: db),
                    try TutoringStore().tutoring(of: studentID, year: year, in: db), history, teachers)
        }
        try await services.logView(account, .signals, studentIDs: [studentID])
        try await services.logView(account, .followUps, studentIDs: [studentID])
        return [
            "signals": signals.map(VigilanceView.signal), "hasSignals": !signals.isEmpty,
            "followUps": history.map { followUp, outcome in [
                "day": followUp.decidedOn.french, "action": followUp.action, "note": followUp.note ?? "",
                "author": followUp.authorName, "outcome": outcome.summary,
            ] },
            "hasFollowUps": !history.isEmpty,
            "usualActions": FollowUpStore.usualActions,
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
        _ = try await services.student(id, for: account)
        let form = try await request.decode(as: FollowUpForm.self, context: context)
        let today = services.today
        let day = try FormDay.read(form.date, today: today, naming: "Date du suivi")
        try await services.write { db in
            try FollowUpStore().record(studentID: id, action: form.action, decidedOn: day, note: form.note,
                                       author: account.login, today: today, in: db)
        }
        return .seeOther("/eleves/\(id)#vigilance")
    }

    struct TutoringForm: Decodable {
        var tuteur: String?
        var parrain: String?
    }

    @Sendable func assignTutoring(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await services.student(id, for: account)
        let form = try await request.decode(as: TutoringForm.self, context: context)
        let (year, today) = (services.year, services.today)
        try await services.write { db in
            if let login = form.tuteur.nonEmpty {
                try TutoringStore().assignTutor(studentID: id, teacherLogin: login, year: year, since: today, in: db)
            }
            if let ine = form.parrain.nonEmpty {
                let sponsor = try SchoolStore().student(.ine(Student.normalizedINE(ine)), in: db)
                try TutoringStore().assignSponsor(studentID: id, sponsorID: sponsor.id, year: year, since: today, in: db)
            }
        }
        return .seeOther("/eleves/\(id)#vigilance")
    }

    // MARK: - Need groups

    @Sendable func groups(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let division = try await services.divisionRef(code, for: account)
        let query = request.uri.queryParameters
        let chosen = query.getAll("competences").map { String($0) }
        let referential = query["referentiel"].map(String.init)
        let period = Period.named(query["periode"].map(String.init) ?? "", in: services.year) ?? .trimester(containing: services.today)
        let (year, today) = (services.year, services.today)
        let page = try await services.read { db in
            let choices = try ClassGrid.referentials(of: SchoolStore().studentIDs(divisionID: division.id, in: db), in: db)
            let target = try ReferentialStore().target(code: referential ?? choices.first?.code ?? "", version: nil,
                                                       divisionID: division.id, in: db)
            let suggestion = chosen.isEmpty ? nil
                : try NeedGroupStore().suggest(division: division, target: target, competencies: chosen, period: period,
                                               asOf: today, in: db)
            let saved = try NeedGroupStore().sets(division: division, in: db).map { set in
                (set, try NeedGroupStore().outcomes(of: set, asOf: today, in: db))
            }
            return (choices, target, suggestion, saved)
        }
        let (choices, target, suggestion, saved) = page
        let shown: [NeedGroupMember] = (suggestion?.members ?? []) + saved.flatMap { $0.0.members }
        try await services.logView(account, .needGroups, studentIDs: Array(Set(shown.map(\.student.id))), division: code)
        return Page("groupes", title: "Groupes de besoin – \(code)", [
            "division": code,
            "referentials": choices.map { ["code": $0.code, "title": $0.title, "selected": $0.code == target.referential.code] as [String: Any] },
            "referential": target.referential.code,
            "competencies": target.referential.evaluableNodes.map { node in
                ["code": node.code, "title": node.title, "checked": chosen.contains(node.code)] as [String: Any]
            },
            "periods": Period.names.compactMap { Period.named($0, in: year) }.map { option in
                ["code": option.code, "title": option.title, "selected": option.code == period.code] as [String: Any]
            },
            "suggestion": suggestion.map { VigilanceView.suggestion($0) } as Any?,
            "saved": saved.map { VigilanceView.savedSet($0.0, outcomes: $0.1) }, "hasSaved": !saved.isEmpty,
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
        let division = try await services.divisionRef(code, for: account)
        let form = try await request.decode(as: GroupsForm.self, context: context)
        let fields = try await request.decode(as: [String: String].self, context: context)
        let (year, today) = (services.year, services.today)
        guard let period = Period.named(form.periode, in: year) else {
            throw HTTPError(.unprocessableContent, message: "Période inconnue : \(Period.names.joined(separator: ", ")).")
        }
        let competencies = form.competences.split(separator: " ").map(String.init)
        try await services.write { db in
            let target = try ReferentialStore().target(code: form.referentiel, version: nil, divisionID: division.id, in: db)
            var set = try NeedGroupStore().suggest(division: division, target: target, competencies: competencies,
                                                   period: period, asOf: today, in: db)
            for index in set.members.indices {
                guard let choice = fields["g-\(set.members[index].student.id)"] else { continue }
                set.members[index].group = NeedGroup(name: choice)
            }
            try NeedGroupStore().save(set, division: division, by: account.login, in: db)
        }
        return .seeOther("/classes/\(code.urlPathEncoded)/groupes?referentiel=\(form.referentiel.urlQueryEncoded)&enregistre=1")
    }

    @Sendable func exportGroups(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        _ = try await services.division(code, for: account)
        let id = try context.parameters.require("id", as: Int64.self)
        let year = services.year
        let (set, titles) = try await services.read { db in
            let set = try NeedGroupStore().set(id: id, year: year, in: db)
            guard set.division == code else { throw Refusal.division }
            return (set, try ReferentialStore().target(id: set.referentialID, in: db).competencyTitles)
        }
        try await services.logView(account, .needGroups, studentIDs: set.members.map(\.student.id), division: code)
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
        let (thresholds, zone) = try await services.read { db in
            (try VigilanceStore().thresholds(schoolID: account.schoolID ?? 0, in: db),
             try VigilanceStore().holidayZone(schoolID: account.schoolID ?? 0, in: db))
        }
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
        try await services.write { db in
            for setting in VigilanceThresholds.default.settings {
                guard let text = fields[setting.key] else { continue }
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw HTTPError(.unprocessableContent, message: "\(setting.label) : « \(text) » n’est pas un nombre entier.")
                }
                try VigilanceStore().setThreshold(setting.key, to: value, schoolID: account.schoolID ?? 0, in: db)
            }
            if let zone = fields["zone"] {
                guard zone.isEmpty || HolidayCalendar.Zone(rawValue: zone) != nil else {
                    throw HTTPError(.unprocessableContent, message: "Zone de vacances inconnue : « \(zone) » (A, B ou C).")
                }
                try VigilanceStore().setHolidayZone(HolidayCalendar.Zone(rawValue: zone), schoolID: account.schoolID ?? 0, in: db)
            }
        }
        return .seeOther("/direction/seuils?enregistre=1")
    }
}

extension WebServices {
    /// Keeps who looked at sensitive records: the account's login and the students' ids.
    func logView(_ account: Account, _ subject: SensitiveViewLog.Subject, studentIDs: [Int64], division: String? = nil) async throws {
        guard !studentIDs.isEmpty else { return }
        try await write { db in
            try SensitiveViewLog().record(viewer: account.login, subject: subject, studentIDs: studentIDs, division: division, in: db)
        }
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
