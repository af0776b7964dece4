import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Mustache

/// The grid as its template reads it.
struct GridView {
    var grid: ClassGrid
    var offer: ReferentialOffer
    /// What the teacher searched for among referentials the class is not offered.
    var search: String?
    var group: String?
    var today: CalendarDate
    var saved: Int?
    var refused: Refusal?
    /// Whether the reader may move the class to another version (the school's team).
    var mayAdopt = false

    /// A save the store refused: what was typed, and the cell at fault if one is.
    struct Refusal: Error {
        var typed: [String: String]
        var field: String?
        var message: String
    }

    /// Versions published after the one the class works with, newest first.
    private var newerVersions: [String] {
        Array(grid.versions.drop { $0 != grid.target.referential.version }.dropFirst().reversed())
    }

    var values: [String: Any] {
        let referential = grid.target.referential
        let scale = grid.target.scale
        let groups = referential.children.map { ["code": $0.code, "title": $0.title, "selected": $0.code == group] }
        return [
            "division": grid.division,
            "referential": ["code": referential.code, "version": referential.version, "title": referential.title],
            "choices": offer.choices.map { ["code": $0.code, "title": $0.title, "selected": $0.code == referential.code] },
            "searchable": offer.searchable, "search": search ?? "", "nothingFound": offer.found?.isEmpty == true,
            "newerVersions": newerVersions.map { ["version": $0] },
            "hasNewerVersions": !newerVersions.isEmpty,
            "newerList": newerVersions.joined(separator: ", "),
            "mayAdopt": mayAdopt,
            "groups": groups,
            "columns": grid.columns.map { ["code": $0.code, "title": $0.title] },
            "leavers": grid.leavers.map { "\($0.fullName), le \($0.student.leftOn?.french ?? "—")" },
            "hasLeavers": !grid.leavers.isEmpty,
            "refusal": refused?.message as Any,
            "observation": [
                "date": refused?.typed["date"] ?? today.iso, "entreprise": refused?.typed["entreprise"] ?? "",
                "tuteur": refused?.typed["tuteur"] ?? "", "commentaire": refused?.typed["commentaire"] ?? "",
                "contexts": [("classe", "En classe"), ("atelier", "En atelier"), ("pfmp", "En PFMP"), ("projet", "En projet")].map {
                    ["value": $0.0, "label": $0.1, "selected": refused?.typed["contexte"] == $0.0] as [String: Any]
                },
            ] as [String: Any],
            "levels": scale.levels.enumerated().map { ["code": $1.code, "label": $1.teacherLabel, "key": $0 + 1] },
            "specials": scale.specialCodes.map { ["code": $0.code, "label": $0.label] },
            "today": today.iso,
            "saved": saved.map { FrenchText.count($0, "évaluation enregistrée", "évaluations enregistrées") } as Any,
            "reportLink": "/classes/\(grid.division.urlPathEncoded)/bilan?referentiel=\(referential.code.urlQueryEncoded)",
        ]
    }
}

/// The body of the grid, written directly as escaped bytes: 1,200 cells per page are most of
/// its weight, and a template would resolve each of their values at run time. A cell shows
/// the current level (a link to its explanation and evidence) above the field to type a new one.
struct GridBody {
    var grid: ClassGrid
    /// What the teacher typed before a refused save, by field name, and the field at fault.
    var typed: [String: String] = [:]
    var invalid: String?

    var bytes: [UInt8] {
        // What repeats in every row is escaped once: each column's link and label, each level's badge.
        let query = "?referentiel=" + grid.target.referential.code.urlQueryEncoded
        let columns = grid.columns.map { column in
            (link: Array(Markup.escaped("/competences/" + column.code.urlPathEncoded + query).utf8),
             label: Array(Markup.escaped(", " + column.code).utf8), field: Array(Markup.escaped("-" + column.code).utf8))
        }
        let badges = grid.target.scale.levels.enumerated().map { rank, level in
            (head: Array("<a class=\"level lv\(rank)\" tabindex=\"-1\" href=\"/eleves/".utf8),
             text: Array(("\">" + Markup.escaped(level.marker + " " + level.code) + "</a>").utf8))
        }
        let levels = grid.target.scale.levels
        var out: [UInt8] = []
        out.reserveCapacity(grid.rows.count * grid.columns.count * 240)
        for row in grid.rows {
            let id = Array(String(row.student.id).utf8), name = Array(Markup.escaped(row.student.fullName).utf8)
            write("<tr><th scope=\"row\"><a href=\"/eleves/", to: &out)
            out += id
            write("\">", to: &out)
            out += name
            write("</a></th>", to: &out)
            for (index, cell) in row.cells.enumerated() {
                let column = columns[index]
                write("<td>", to: &out)
                if let level = cell.level, let rank = levels.firstIndex(of: level) {
                    out += badges[rank].head
                    out += id
                    out += column.link
                    out += badges[rank].text
                }
                write("<input name=\"c-", to: &out)
                out += id
                out += column.field
                write("\" aria-label=\"", to: &out)
                out += name
                out += column.label
                write("\" size=\"2\" maxlength=\"3\" autocomplete=\"off\" value=\"", to: &out)
                let field = typed.isEmpty ? nil : "c-\(row.student.id)-\(cell.code)"
                if let field, let value = typed[field] { Markup.append(value, to: &out) }
                write(field != nil && field == invalid ? "\" aria-invalid=\"true\" aria-describedby=\"refus\" class=\"cell invalid\"></td>"
                                                       : "\" class=\"cell\"></td>", to: &out)
            }
            write("</tr>\n", to: &out)
        }
        return out
    }

    /// Appends markup that needs no escaping: the writer's own tags.
    private func write(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

/// One piece of a student's evidence as the history table shows it.
struct EvidenceRow {
    var referential: String
    var evaluation: StoredEvaluation

    var values: [String: Any] {
        let observation = evaluation.observation
        var values: [String: Any] = [
            "day": observation.date.french, "referential": referential, "competency": evaluation.competencyCode,
            "code": observation.code, "context": observation.context.inSentence,
            "evaluator": observation.evaluator ?? "", "comment": evaluation.comment ?? "",
        ]
        // An observation made from a production cites it, with a link to its file.
        if let production = evaluation.productionID {
            values["production"] = ["href": "/productions/\(production)/fichier", "title": evaluation.evidence ?? "Production"]
        }
        return values
    }
}

/// An earned badge as a list shows it.
struct BadgeRow {
    var award: StoredAward

    var values: [String: Any] {
        var values: [String: Any] = [
            "uuid": award.uuid, "name": award.badge.badgeClass.name, "description": award.badge.badgeClass.description,
            "day": award.awardedOn.french, "verification": "/verifier/\(award.uuid)",
        ]
        if let revocation = award.revocation {
            values["revoked"] = ["day": FrenchText.day(revocation.at), "reason": revocation.reason]
        }
        if let level = award.achievedLevel { values["level"] = level }
        return values
    }
}

extension ProgressFileReader {
    /// The voice for whoever is signed in: a student's own, their family's, or the team's.
    init(_ role: Role) {
        switch role {
        case .student: self = .student
        case .family: self = .family
        case .teacher, .admin, .inspector, .academy: self = .team
        }
    }
}
