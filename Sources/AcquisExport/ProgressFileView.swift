import AcquisCore
import AcquisReports
import Foundation

/// Who reads a progress file, and so in which voice it speaks: the student reads « je / tu »,
/// the family « votre enfant » or the first name, the team « l’élève ».
public enum ProgressFileReader: String, Sendable, CaseIterable {
    case student = "eleve", family = "famille", team = "equipe"
}

/// A progress file worded for reading, in French: what the HTML template and the PDF print.
/// Both read the same sentences, so the two formats never say different things.
public struct ProgressFileView: Sendable {
    public var title: String
    public var studentName: String
    public var school: String
    public var division: String?
    public var period: String
    public var asOf: String
    public var generated: String
    public var versions: String
    public var sections: [Section]
    public var badges: [Badge]
    public var hasBadges: Bool
    public var synthesis: Synthesis?
    /// The student's own words on the period, headed in the reader's voice.
    public var studentWords: StudentWords?
    /// « Vu par la famille : Mme GARCÍA, le 04/12/2026. »
    public var seenByFamily: String?
    public var goals: [String]
    public var goalsNote: String?
    /// « Mes badges », « Ses badges », « Badges de l’élève »: the reader's voice.
    public var badgesTitle: String
    public var goalsTitle: String

    public struct Section: Sendable {
        public var title: String
        public var subtitle: String
        public var summary: String
        /// « Légende : ○ Pas encore · ◐ En bonne voie · … »: each marker with its words.
        public var legend: String
        public var rows: [Row]
    }

    public struct Row: Sendable {
        public var isGroup: Bool
        public var code: String
        public var title: String
        public var depth: Int
        /// The student label of the level (« Je suis en bonne voie »), or « Pas encore observé ».
        public var level: String
        public var marker: String
        /// `#RRGGBB`, or nil without a level.
        public var color: String?
        public var explanation: String
        public var change: String?
        public var selfEvaluation: String?
        public var views: String?
        /// « Commentaire de M. Martin le 12/03/2026 : « … » ».
        public var comment: String?
    }

    public struct Badge: Sendable {
        public var name: String
        public var detail: String
        public var url: String?
    }

    public struct Synthesis: Sendable {
        public var text: String
        public var signature: String
    }

    public struct StudentWords: Sendable {
        public var title: String
        public var proudLabel: String
        public var proud: String
        public var toWorkLabel: String
        public var toWork: String
    }

    public init(_ file: ProgressFile, for reader: ProgressFileReader = .student) {
        studentName = "\(file.student.firstName) \(file.student.lastName.uppercased())"
        title = switch reader {
        case .student: "Mes progrès — \(studentName)"
        case .family: "Les progrès de \(file.student.firstName) — \(studentName)"
        case .team: "Progrès de l’élève — \(studentName)"
        }
        school = file.school.label
        division = file.student.division.map { "Classe \($0)" }
        // A period between two days already names them: said once.
        let bounds = "du \(file.period.start.french) au \(file.period.end.french)"
        period = file.period.title.lowercased() == bounds ? file.period.title : "\(file.period.title), \(bounds)"
        asOf = "Niveaux au \(file.asOf.french)"
        generated = FrenchText.generated(file.generatedAt)
        versions = file.sections.isEmpty ? "Aucun référentiel évalué sur la période"
            : "Référentiels : " + file.sections.map { "\($0.code) version \($0.version)" }.joined(separator: ", ")
        sections = file.sections.map { Self.section($0, for: reader) }
        (badgesTitle, goalsTitle) = switch reader {
        case .student: ("Mes badges", "Mes prochains objectifs")
        case .family: ("Ses badges", "Ses prochains objectifs")
        case .team: ("Badges de l’élève", "Prochains objectifs de l’élève")
        }
        badges = file.badges.map { badge in
            Badge(name: badge.name,
                  detail: "Obtenu le \(badge.awardedOn.french)" + (badge.achievedLevel.map { " — « \($0) »" } ?? ""),
                  url: badge.verificationURL)
        }
        hasBadges = !badges.isEmpty
        synthesis = file.synthesis.map { Synthesis(text: $0.text, signature: "\($0.author), le \($0.writtenOn.french)") }
        let first = file.student.firstName
        studentWords = file.studentWords.map { words in
            reader == .student
                ? StudentWords(title: "Mon bilan", proudLabel: "Ce dont je suis fier·e", proud: words.proud,
                               toWorkLabel: "Ce que je veux travailler", toWork: words.toWork)
                : StudentWords(title: "Ce que \(first) en dit", proudLabel: "Ce dont \(first) est fier·e", proud: words.proud,
                               toWorkLabel: "Ce que \(first) veut travailler", toWork: words.toWork)
        }
        seenByFamily = file.seenByFamily.isEmpty ? nil
            : "Vu par la famille : " + file.seenByFamily.map { "\($0.name), le \($0.on.french)" }.joined(separator: " ; ") + "."
        goals = file.goals.map(\.text)
        goalsNote = file.goals.contains(where: \.isSuggested)
            ? "Proposés par Acquis d’après les compétences en bonne voie ; à discuter avec l’équipe." : nil
    }

    private static func section(_ section: ProgressFile.Section, for reader: ProgressFileReader) -> Section {
        let total = section.competencies.count
        let subtitle = "\(section.code) version \(section.version) · \(section.scale.title)"
        var summary = "\(FrenchText.count(section.acquiredCount, "compétence acquise", "compétences acquises", none: "Pas encore de compétence acquise")) "
            + "sur \(total)"
        if section.progressedCount > 0 {
            summary += " · \(FrenchText.count(section.progressedCount, "compétence a progressé", "compétences ont progressé")) sur la période"
        }
        let rows = section.rows.map { row -> Row in
            switch row.content {
            case let .group(group):
                // A block's reason already counts its competencies: said once. A socle component
                // says its count, then its position.
                let count = FrenchText.count(group.acquired, "compétence acquise", "compétences acquises",
                                             none: "Aucune compétence acquise") + " sur \(group.total)"
                return Row(isGroup: true, code: row.code, title: "\(row.term) \(row.code) — \(row.title)", depth: row.depth,
                           level: group.position == nil ? group.explanation : count, marker: "", color: nil,
                           explanation: group.position == nil ? "" : group.explanation,
                           change: nil, selfEvaluation: nil, views: nil, comment: nil)
            case let .competency(entry):
                let views = entry.teacherViews.map {
                    "\($0.author) : « \($0.label) » le \($0.date.french) \($0.context.inSentence)"
                        + ($0.earlierVersion.map { " (version \($0) du référentiel)" } ?? "")
                }
                return Row(isGroup: false, code: row.code, title: row.title, depth: row.depth,
                           level: entry.level?.studentLabel ?? "Pas encore observé",
                           marker: entry.level?.marker ?? "·", color: entry.level?.color,
                           // Without a level, « Pas encore observé » says it all. The method's reason is
                           // for the team; a student or a family reads when it was last seen.
                           explanation: entry.level == nil ? "" : reader == .team ? entry.explanation
                               : entry.teacherViews.max { $0.date < $1.date }.map {
                                   "Dernière observation le \($0.date.french) \($0.context.inSentence)."
                               } ?? "",
                           change: FrenchText.change(entry.change, previous: entry.previousLevel),
                           selfEvaluation: entry.selfEvaluation.map { "\(selfEvaluationLabel(reader)) : « \($0.label) » le \($0.date.french)" },
                           views: views.isEmpty ? nil : "Observé par " + views.joined(separator: " ; "),
                           comment: entry.comment.map { "Commentaire de \($0.author) le \($0.date.french) : « \($0.text) »" })
            }
        }
        let legend = "Légende : " + (section.scale.levels.map { "\($0.marker) \($0.studentLabel)" } + ["· Pas encore observé"])
            .joined(separator: " · ")
        return Section(title: section.title, subtitle: subtitle, summary: summary, legend: legend, rows: rows)
    }

    static func selfEvaluationLabel(_ reader: ProgressFileReader) -> String {
        switch reader {
        case .student: "Mon auto-évaluation"
        case .family: "Son auto-évaluation"
        case .team: "Auto-évaluation de l’élève"
        }
    }
}
