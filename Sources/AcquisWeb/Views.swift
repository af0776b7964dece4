import AcquisApp
import AcquisCore
import AcquisExport
import AcquisStorage
import Foundation
import Mustache

/// The grid as its template reads it.
struct GridView {
    var grid: ClassGrid
    var choices: [ReferentialSummary]
    var group: String?
    var today: CalendarDate
    var saved: Int?
    var refused: Refusal?
    /// Whether the reader may move the class to another version (the school's team).
    var mayAdopt = false

    /// A save the store refused: what was typed, and the cell at fault if one is.
    struct Refusal {
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
            "choices": choices.map { ["code": $0.code, "title": $0.title, "selected": $0.code == referential.code] },
            "newerVersions": newerVersions.map { ["version": $0] },
            "hasNewerVersions": !newerVersions.isEmpty,
            "newerList": newerVersions.joined(separator: ", "),
            "mayAdopt": mayAdopt,
            "groups": groups,
            "columns": grid.columns.map { ["code": $0.code, "title": $0.title] },
            "leavers": grid.leavers.map { "\($0.fullName), le \($0.student.leftOn?.french ?? "—")" },
            "hasLeavers": !grid.leavers.isEmpty,
            "rows": grid.rows.map { GridRowView(row: $0, scale: scale, typed: refused?.typed ?? [:], invalid: refused?.field) },
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

/// A row of the grid. 1,200 cells per page: named lookups, not swift-mustache's reflection
/// over dictionaries, keep the page fast.
struct GridRowView: MustacheParent {
    var id: Int64
    var name: String
    var cells: [Cell]

    struct Cell: MustacheParent {
        var field: String
        var label: String
        var level: Level?
        /// What the teacher typed before a refused save.
        var value: String
        var isInvalid: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "field": field
            case "label": label
            case "level": level
            case "value": value
            case "invalid": isInvalid
            default: nil
            }
        }
    }

    struct Level: MustacheParent {
        var code: String
        var marker: String
        var label: String
        var rank: Int
        var explanation: String

        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "marker": marker
            case "label": label
            case "rank": rank
            case "explanation": explanation
            default: nil
            }
        }
    }

    init(row: ClassGrid.Row, scale: Scale, typed: [String: String] = [:], invalid: String? = nil) {
        id = row.student.id
        name = row.student.fullName
        let student = row.student.fullName
        cells = row.cells.map { cell in
            let level = cell.level.flatMap { level in
                scale.levels.firstIndex(of: level).map {
                    Level(code: level.code, marker: level.marker, label: level.teacherLabel, rank: $0,
                          explanation: cell.explanation ?? "")
                }
            }
            let field = "c-\(row.student.id)-\(cell.code)"
            return Cell(field: field, label: "\(student), \(cell.code)", level: level, value: typed[field] ?? "",
                        isInvalid: field == invalid)
        }
    }

    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "cells": cells
        default: nil
        }
    }
}

/// One piece of a student's evidence as the history table shows it.
struct EvidenceRow {
    var referential: String
    var evaluation: StoredEvaluation

    var values: [String: Any] {
        let observation = evaluation.observation
        return ["day": observation.date.french, "referential": referential, "competency": evaluation.competencyCode,
                "code": observation.code, "context": observation.context.inSentence,
                "evaluator": observation.evaluator ?? "", "comment": evaluation.comment ?? ""]
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
        case .teacher, .admin, .inspector: self = .team
        }
    }
}
