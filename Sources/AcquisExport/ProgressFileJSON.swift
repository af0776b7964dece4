import AcquisCore
import AcquisOpenBadges
import AcquisReports
import Foundation

/// A progress file as JSON, described by `Schema/progress-file.schema.json` (JSON Schema
/// 2020-12). Keys are sorted, dates are ISO 8601, absent values are left out.
public enum ProgressFileJSON {
    public static let schemaID = "urn:acquis:progress-file:1"

    /// The JSON Schema, as shipped beside the files of a batch.
    public static var schema: Data {
        get throws { try Data(contentsOf: Bundle.module.url(forResource: "progress-file.schema", withExtension: "json",
                                                             subdirectory: "Schema")!) }
    }

    public static func encoded(_ file: ProgressFile) -> Data {
        document(file).encoded(pretty: true) + Data([0x0A])
    }

    public static func document(_ file: ProgressFile) -> JSONValue {
        .compact([
            "schema": .string(schemaID),
            "generatedAt": .string(file.generatedAt.openBadgesTimestamp),
            "school": ["uai": .string(file.school.uai), "name": .string(file.school.name)],
            "student": .compact([
                "lastName": .string(file.student.lastName), "firstName": .string(file.student.firstName),
                "ine": file.student.ine.map(JSONValue.string), "division": file.student.division.map(JSONValue.string),
            ]),
            "period": [
                "code": .string(file.period.code), "title": .string(file.period.title),
                "start": .string(file.period.start.iso), "end": .string(file.period.end.iso),
            ],
            "asOf": .string(file.asOf.iso),
            "referentials": .array(file.sections.map(section)),
            "badges": .array(file.badges.map { badge in
                .compact([
                    "code": .string(badge.code), "name": .string(badge.name), "description": .string(badge.description),
                    "awardedOn": .string(badge.awardedOn.iso), "achievedLevel": badge.achievedLevel.map(JSONValue.string),
                    "verificationUrl": badge.verificationURL.map(JSONValue.string),
                ])
            }),
            "synthesis": file.synthesis.map { synthesis in
                ["text": .string(synthesis.text), "author": .string(synthesis.author), "writtenOn": .string(synthesis.writtenOn.iso)]
            },
            "goals": .array(file.goals.map { ["text": .string($0.text), "suggested": .bool($0.isSuggested)] }),
            "studentWords": file.studentWords.map { ["proud": .string($0.proud), "toWork": .string($0.toWork)] },
            "seenByFamily": file.seenByFamily.isEmpty ? nil : .array(file.seenByFamily.map { ["name": .string($0.name), "on": .string($0.on.iso)] }),
        ])
    }

    private static func section(_ section: ProgressFile.Section) -> JSONValue {
        [
            "code": .string(section.code),
            "version": .string(section.version),
            "title": .string(section.title),
            "method": .string(section.method),
            "scale": [
                "code": .string(section.scale.code),
                "title": .string(section.scale.title),
                "levels": .array(section.scale.levels.map(level)),
            ],
            "acquired": .number(Double(section.acquiredCount)),
            "evaluated": .number(Double(section.evaluatedCount)),
            "total": .number(Double(section.competencies.count)),
            "rows": .array(section.rows.map(row)),
        ]
    }

    private static func level(_ level: Scale.Level) -> JSONValue {
        [
            "code": .string(level.code), "label": .string(level.teacherLabel), "studentLabel": .string(level.studentLabel),
            "acquired": .bool(level.isAcquired), "color": .string(level.color), "marker": .string(level.marker),
        ]
    }

    private static func row(_ row: ProgressFile.Row) -> JSONValue {
        var members: [String: JSONValue?] = [
            "code": .string(row.code), "title": .string(row.title), "term": .string(row.term),
            "depth": .number(Double(row.depth)),
        ]
        switch row.content {
        case let .group(group):
            members["type"] = "group"
            members["acquired"] = .number(Double(group.acquired))
            members["evaluated"] = .number(Double(group.evaluated))
            members["total"] = .number(Double(group.total))
            members["position"] = group.position.map { .number(Double($0)) }
            members["explanation"] = .string(group.explanation)
        case let .competency(entry):
            members["type"] = "competency"
            members["level"] = entry.level.map { .string($0.code) }
            members["acquired"] = .bool(entry.level?.isAcquired ?? false)
            members["explanation"] = .string(entry.explanation)
            members["change"] = entry.change.map { .string($0.rawValue) }
            members["previousLevel"] = entry.previousLevel.map { .string($0.code) }
            members["teacherViews"] = .array(entry.teacherViews.map(view))
            members["selfEvaluation"] = entry.selfEvaluation.map(view)
            members["comment"] = entry.comment.map {
                ["author": .string($0.author), "date": .string($0.date.iso), "text": .string($0.text)]
            }
        }
        return .compact(members)
    }

    private static func view(_ view: ProgressFile.View) -> JSONValue {
        .compact([
            "author": .string(view.author), "code": .string(view.code), "label": .string(view.label),
            "date": .string(view.date.iso), "context": .string(view.context.inSentence),
            "earlierVersion": view.earlierVersion.map { .string($0) },
        ])
    }
}
