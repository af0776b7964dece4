import AcquisCore
import AcquisExport
import AcquisStore
import Foundation
import GRDB

/// The grid as its template reads it.
struct GridView {
    var grid: ClassGrid
    var choices: [ReferentialSummary]
    var group: String?
    var today: CalendarDate
    var saved: Int?

    var values: [String: Any] {
        let referential = grid.target.referential
        let scale = grid.target.scale
        let groups = referential.children.map { ["code": $0.code, "title": $0.title, "selected": $0.code == group] }
        return [
            "division": grid.division,
            "referential": ["code": referential.code, "version": referential.version, "title": referential.title],
            "choices": choices.map { ["code": $0.code, "title": "\($0.title) (\($0.version))", "selected": $0.code == referential.code] },
            "groups": groups,
            "columns": grid.columns.map { ["code": $0.code, "title": $0.title] },
            "rows": grid.rows.map { row in [
                "id": row.student.id, "name": row.student.fullName,
                "cells": row.cells.map { cell -> [String: Any] in
                    var values: [String: Any] = [
                        "field": "c-\(row.student.id)-\(cell.code)",
                        "label": "\(row.student.fullName), \(cell.code)",
                    ]
                    if let level = cell.level, let rank = scale.levels.firstIndex(of: level) {
                        values["level"] = ["code": level.code, "marker": level.marker, "label": level.teacherLabel,
                                           "rank": rank, "explanation": cell.explanation ?? ""]
                    }
                    return values
                },
            ] },
            "levels": scale.levels.enumerated().map { ["code": $1.code, "label": $1.teacherLabel, "key": $0 + 1] },
            "specials": scale.specialCodes.map { ["code": $0.code, "label": $0.label] },
            "today": today.iso,
            "saved": saved.map { FrenchText.count($0, "évaluation enregistrée", "évaluations enregistrées") } as Any,
            "reportLink": "/classes/\(grid.division.urlPathEncoded)/bilan?referentiel=\(referential.code.urlQueryEncoded)",
        ]
    }
}

/// A student's evidence, most recent first, as a teacher reads it.
struct StudentEvidence {
    var id: Int64
    var day: CalendarDate
    var referential: String
    var competency: String
    var code: String
    var context: EvaluationContext
    var evaluator: String?
    var comment: String?

    static func load(studentID: Int64, limit: Int = 200, in db: Database) throws -> [StudentEvidence] {
        try Row.fetchAll(db, sql: """
            SELECT e.id, e.observedOn, r.code AS referential, e.code AS level, n.code AS competency, e.context,
                   e.company, e.tutor, e.evaluator, e.comment
            FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId JOIN referential r ON r.id = n.referentialId
            WHERE e.studentId = ? AND e.withdrawnAt IS NULL ORDER BY e.observedOn DESC, e.id DESC LIMIT ?
            """, arguments: [studentID, limit]).map { row in
            StudentEvidence(id: row["id"], day: CalendarDate(iso: row["observedOn"]) ?? .today, referential: row["referential"],
                            competency: row["competency"], code: row["level"],
                            context: EvaluationContext(kindName: row["context"], company: row["company"], tutor: row["tutor"]) ?? .classe,
                            evaluator: row["evaluator"], comment: row["comment"])
        }
    }

    var values: [String: Any] {
        ["day": day.french, "referential": referential, "competency": competency, "code": code,
         "context": context.inSentence, "evaluator": evaluator ?? "", "comment": comment ?? ""]
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
