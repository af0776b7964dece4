import AcquisCore
import AcquisReports

/// Progress files as plain text, for a terminal: the same file the web app shows and the
/// exports print, in the same words for the same reader.
public enum TextExport {
    /// The progress file as its reader reads it, one line per block and competency.
    public static func progressFile(_ file: ProgressFile, for reader: ProgressFileReader) -> String {
        let view = ProgressFileView(file, for: reader)
        var lines = [view.title, "\(view.period) · \(view.asOf)"]
        for (section, source) in zip(view.sections, file.sections) {
            lines += ["", section.title, section.subtitle + (reader == .team ? " · calcul \(source.method)" : ""), counts(source)]
            for row in section.rows {
                let indent = String(repeating: "  ", count: row.depth)
                if row.isGroup {
                    lines.append("\(indent)\(row.title) : \(row.level)" + (row.explanation.isEmpty ? "" : " — \(row.explanation)"))
                    continue
                }
                lines.append("\(indent)\(row.marker) \(row.code) — \(row.title)")
                let detail = indent + "    "
                lines.append(detail + (row.explanation.isEmpty ? row.level : row.explanation))
                for extra in [row.change, row.views, row.selfEvaluation, row.comment].compactMap({ $0 }) {
                    lines.append(detail + extra)
                }
            }
        }
        if let words = view.studentWords {
            lines += ["", words.title, "\(words.proudLabel) : \(words.proud)", "\(words.toWorkLabel) : \(words.toWork)"]
        }
        if let synthesis = view.synthesis {
            lines += ["", "Synthèse de l’équipe", synthesis.text, synthesis.signature]
        }
        if let seen = view.seenByFamily { lines += ["", seen] }
        return lines.joined(separator: "\n")
    }

    /// « 1 compétence acquise, 2 évaluées sur 14 · 1 compétence a progressé sur la période ».
    private static func counts(_ section: ProgressFile.Section) -> String {
        "\(French.counted(section.acquiredCount, "compétence", "acquise")), "
            + "\(French.counted(section.evaluatedCount, "évaluée")) sur \(section.competencies.count)"
            + (section.progressedCount > 0
                ? " · " + FrenchText.count(section.progressedCount, "compétence a progressé", "compétences ont progressé") + " sur la période"
                : "")
    }
}
