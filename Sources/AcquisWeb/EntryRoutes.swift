import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Hummingbird

/// The grid for a thumb, on a phone in a workshop or a company during PFMP: one student at a
/// time (every competency, its title in full) or one competency at a time (every student),
/// each level a large button with its marker, colour and word. The observation's context is
/// set once and follows the teacher from one student to the next. Saving goes through the
/// same step as the grid, in one transaction.
struct EntryRoutes {
    let services: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/classes/{code}/saisie", use: page)
        router.post("/classes/{code}/saisie", use: record)
    }

    /// Where the teacher is in the round and what is set once for it, read from the query
    /// string or the posted form alike.
    struct Round {
        var byCompetency: Bool
        /// The student's id, or the competency's code, being entered; the first when absent.
        var current: String?
        var referential: String?
        var block: String?
        /// Date, context, company and tutor, as typed.
        var observation: [String: String]

        static let observationFields = ["date", "contexte", "entreprise", "tuteur"]

        init(_ values: [String: String]) {
            byCompetency = values["par"] == "competence"
            current = values["position"].nonEmpty
            referential = values["referentiel"].nonEmpty
            block = values["bloc"].nonEmpty
            observation = values.filter { Self.observationFields.contains($0.key) && !$0.value.isEmpty }
        }

        /// The page of this round at another position (or in the other mode).
        func link(division: String, at position: String?, byCompetency: Bool? = nil, extra: [(String, String)] = []) -> String {
            var pairs: [(String, String)] = [("par", (byCompetency ?? self.byCompetency) ? "competence" : "eleve")]
            if let referential { pairs.append(("referentiel", referential)) }
            if let block { pairs.append(("bloc", block)) }
            if let position { pairs.append(("position", position)) }
            pairs += observation.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + extra
            return "/classes/\(division.urlPathEncoded)/saisie?" + pairs.map { "\($0)=\($1.urlQueryEncoded)" }.joined(separator: "&")
        }
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
        return try await entryPage(code: try context.parameters.require("code"), round: Round(query), for: account,
                                   saved: query["enregistre"].flatMap { Int($0) }, done: query["fin"] != nil, context: context)
    }

    @Sendable func record(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let fields = try await request.decode(as: [String: String].self, context: context)
        let round = Round(fields)
        let (_, outcome) = try await GridSave(services: services).save(request, context: context, division: code, by: account)
        switch outcome {
        case let .failure(refusal):
            return try await entryPage(code: code, round: round, for: account, refused: refusal, context: context)
        case let .success(count):
            // On to the next student or competency; the last one stays, saying the round is done.
            let next = fields["suivant"].nonEmpty
            return .seeOther(round.link(division: code, at: next ?? round.current,
                                        extra: [("enregistre", String(count))] + (next == nil ? [("fin", "1")] : [])))
        }
    }

    private func entryPage(code: String, round: Round, for account: Account, saved: Int? = nil, done: Bool = false,
                           refused: GridView.Refusal? = nil, context: WebContext) async throws -> Response {
        let grid = try await services.app.classes.grid(code, referential: round.referential, group: round.block, by: .account(account)).grid
        let entry = EntryView(grid: grid, round: round, typed: refused?.typed ?? [:], invalid: refused?.field)
        var values = entry.values
        values["saved"] = saved.map { FrenchText.count($0, "évaluation enregistrée", "évaluations enregistrées") } as Any
        values["done"] = done
        values["refusal"] = refused?.message as Any
        values["today"] = services.today.iso
        values["date"] = refused?.typed["date"] ?? round.observation["date"] ?? services.today.iso
        return Page("saisie", title: "Saisie \(grid.division) – \(entry.heading)", values,
                    status: refused == nil ? .ok : .unprocessableContent)
            .response(services.templates, context: context)
    }
}

/// One page of the entry mode: the items (competencies of a student, or students for a
/// competency), each with the scale's levels as choices.
struct EntryView {
    var grid: ClassGrid
    var round: EntryRoutes.Round
    var typed: [String: String]
    var invalid: String?

    private var ids: [String] {
        round.byCompetency ? grid.columns.map(\.code) : grid.rows.map { String($0.student.id) }
    }

    private var index: Int { round.current.flatMap { ids.firstIndex(of: $0) } ?? 0 }

    var heading: String {
        guard !ids.isEmpty else { return "aucun élève" }
        if round.byCompetency { return "\(grid.columns[index].code) – \(grid.columns[index].title)" }
        return grid.rows[index].student.fullName
    }

    struct Item {
        var field: String
        var label: String
        var detail: String?
        var level: Scale.Level?
    }

    private var items: [Item] {
        guard !ids.isEmpty else { return [] }
        if round.byCompetency {
            let column = index
            return grid.rows.map { row in
                Item(field: "c-\(row.student.id)-\(grid.columns[column].code)", label: row.student.fullName,
                     level: row.cells[column].level)
            }
        }
        let row = grid.rows[index]
        return zip(grid.columns, row.cells).map { column, cell in
            Item(field: "c-\(row.student.id)-\(column.code)", label: column.code, detail: column.title, level: cell.level)
        }
    }

    var values: [String: Any] {
        let scale = grid.target.scale
        let choices: [Choice] =
            scale.levels.enumerated().map { ($1.code, $1.marker, $1.teacherLabel, $0) }
            + scale.specialCodes.map { ($0.code, "", $0.label, nil) }
        let noun = round.byCompetency ? "Compétence" : "Élève"
        let division = grid.division
        let referential = grid.target.referential
        let observation = typed.isEmpty ? round.observation : typed
        var values: [String: Any] = [
            "division": division, "byCompetency": round.byCompetency, "heading": heading,
            "referential": ["code": referential.code, "version": referential.version, "title": referential.title],
            "block": round.block ?? "", "contextSet": round.observation["contexte"] != nil,
            "entreprise": observation["entreprise"] ?? "", "tuteur": observation["tuteur"] ?? "",
        ]
        values["contexts"] = [("classe", "En classe"), ("atelier", "En atelier"), ("pfmp", "En PFMP"), ("projet", "En projet")].map {
            ["value": $0.0, "label": $0.1, "selected": observation["contexte"] == $0.0] as [String: Any]
        }
        if !ids.isEmpty {
            values["position"] = "\(noun) \(index + 1) sur \(ids.count)"
            values["current"] = ids[index]
        }
        if index > 0 { values["previousLink"] = round.link(division: division, at: ids[index - 1]) }
        if index + 1 < ids.count {
            values["next"] = ids[index + 1]
            values["nextLink"] = round.link(division: division, at: ids[index + 1])
        }
        values["studentMode"] = round.link(division: division, at: nil, byCompetency: false)
        values["competencyMode"] = round.link(division: division, at: nil, byCompetency: true)
        values["gridLink"] = "/classes/" + division.urlPathEncoded + "?referentiel=" + referential.code.urlQueryEncoded
        values["items"] = items.enumerated().map { number, item in itemValues(item, number: number, choices: choices) }
        return values
    }

    private typealias Choice = (code: String, marker: String, word: String, rank: Int?)

    private func itemValues(_ item: Item, number: Int, choices: [Choice]) -> [String: Any] {
        let chosen = (typed[item.field] ?? "").uppercased()
        var values: [String: Any] = [
            "label": item.label, "invalid": item.field == invalid, "field": item.field,
            "current": item.level.map { "\($0.marker) \($0.teacherLabel)" } ?? "pas encore observé",
            "noneID": "i\(number)-aucun", "noneChecked": chosen.isEmpty,
        ]
        if let detail = item.detail { values["detail"] = detail }
        values["choices"] = choices.map { choice -> [String: Any] in
            let rank: String = choice.rank.map { String($0) } ?? "x"
            return ["id": "i\(number)-\(choice.code)", "code": choice.code, "marker": choice.marker, "word": choice.word,
                    "rank": rank, "checked": chosen == choice.code]
        }
        return values
    }
}
