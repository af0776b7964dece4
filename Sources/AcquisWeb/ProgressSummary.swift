import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisReports
import AcquisStorage

/// The top of a student's space, in pictures and plain words: the badges as images, what
/// each block holds as acquired, what changed this week, the next steps. Addressed to the
/// student (« tu ») or to the family (by the child's first name). Nothing in it compares the
/// student with anyone else.
struct ProgressSummary {
    /// The file of the current period, and the same over the last seven days (for what changed).
    var file: ProgressFile
    var week: ProgressFile
    var awards: [StoredAward]
    /// nil for the student; the child's first name for the family.
    var childName: String?

    var values: [String: Any] {
        let badges = awards.filter { !$0.isRevoked }.sorted { $0.awardedOn > $1.awardedOn }
        let steps = file.goals.prefix(3).map(\.text)
        let changes = weekChanges
        return [
            "badges": badges.prefix(3).map(badge), "hasBadges": !badges.isEmpty, "moreBadges": badges.count > 3,
            "badgesTitle": childName.map { "Les badges de \($0)" } ?? "Mes badges",
            "noBadge": childName.map { "Pas encore de badge : chaque compétence acquise en rapproche \($0)." }
                ?? "Pas encore de badge : chaque compétence acquise t’en rapproche.",
            "sections": file.sections.map(section),
            "week": changes, "hasWeek": !changes.isEmpty,
            "weekTitle": "Cette semaine",
            "quietWeek": childName.map { "Pas de nouvelle observation pour \($0) cette semaine." }
                ?? "Pas de nouvelle observation cette semaine : tes enseignants te verront bientôt à l’œuvre.",
            "steps": Array(steps), "hasSteps": !steps.isEmpty,
            "stepsTitle": childName == nil ? "Mes prochaines étapes" : "Ses prochaines étapes",
        ]
    }

    private func badge(_ award: StoredAward) -> [String: Any] {
        let badge = award.badge.badgeClass
        return [
            "name": badge.name, "sentence": badge.description, "day": award.awardedOn.french,
            "art": BadgeArt.svg(badge, subtitle: badge.alignments.first?.referential?.code ?? ""),
            "verification": "/verifier/\(award.uuid)",
        ]
    }

    /// Competencies that moved up during the last seven days, in the reader's words.
    private var weekChanges: [String] {
        week.sections.flatMap { section in
            section.rows.compactMap { row -> String? in
                guard case let .competency(entry) = row.content, let level = entry.level,
                      entry.change == .progressed || entry.change == .firstLevel else { return nil }
                let word = level.studentLabel.lowercased()
                if let childName { return "\(childName) est passé·e à « \(word) » en « \(row.title) »." }
                return "Tu es passé·e à « \(word) » en « \(row.title) »."
            }
        }
    }

    private func section(_ section: ProgressFile.Section) -> [String: Any] {
        ["title": section.title, "blocks": Self.blocks(of: section).map { block in
            let acquired = block.levels.filter { $0?.isAcquired ?? false }.count
            let started = block.levels.filter { $0 != nil }.count - acquired
            var words = FrenchText.count(acquired, "compétence acquise", "compétences acquises") + " sur \(block.levels.count)"
            if started > 0 { words += ", " + FrenchText.count(started, "autre en cours", "autres en cours") }
            return ["title": block.title, "words": words,
                    "chart": BlockChart(levels: block.levels, scale: section.scale, label: "\(block.title) : \(words)").svg]
        }]
    }

    /// The blocks (or domains) of a referential, each with the level of its competencies;
    /// a referential without blocks is one block.
    static func blocks(of section: ProgressFile.Section) -> [(title: String, levels: [Scale.Level?])] {
        let top = section.rows.compactMap { row -> Int? in if case .group = row.content { row.depth } else { nil } }.min()
        var blocks: [(title: String, levels: [Scale.Level?])] = []
        for row in section.rows {
            switch row.content {
            case .group where row.depth == top:
                blocks.append(("\(row.code) – \(row.title)", []))
            case let .competency(entry):
                if blocks.isEmpty { blocks.append((section.title, [])) }
                blocks[blocks.count - 1].levels.append(entry.level)
            case .group:
                continue
            }
        }
        return blocks.filter { !$0.levels.isEmpty }
    }
}

/// A block's competencies as a row of squares, drawn on the server (no script): filled and
/// ticked when acquired, tinted when started, outlined when not yet observed. The words
/// beside it say the same, so colour never carries the meaning alone.
struct BlockChart {
    var levels: [Scale.Level?]
    var scale: Scale
    var label: String

    private static let side = 22, gap = 6, perLine = 15

    var svg: String {
        let lines = max(1, (levels.count + Self.perLine - 1) / Self.perLine)
        let width = min(levels.count, Self.perLine) * (Self.side + Self.gap), height = lines * (Self.side + Self.gap)
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(Markup.escaped(label))\">"
        for (index, level) in levels.enumerated() {
            let x = (index % Self.perLine) * (Self.side + Self.gap), y = (index / Self.perLine) * (Self.side + Self.gap)
            let rank = level.flatMap { scale.levels.firstIndex(of: $0) }
            let state = switch level {
            case nil: "todo"
            case let level?: level.isAcquired ? "acquired" : "started"
            }
            out += "<rect class=\"seg \(state)\(rank.map { " lv\($0)" } ?? "")\" x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"\(Self.side - 2)\" height=\"\(Self.side - 2)\" rx=\"4\"/>"
            if state == "acquired" {
                out += "<path class=\"tick\" d=\"M\(x + 6) \(y + 11) l4 4 l7 -8\"/>"
            }
        }
        return out + "</svg>"
    }
}
