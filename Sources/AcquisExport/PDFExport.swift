import AcquisReports

/// Progress files and class reports as printable A4 PDF.
public enum PDFExport {
    public static func progressFile(_ file: ProgressFile, for reader: ProgressFileReader = .student) -> (bytes: [UInt8], pages: Int) {
        let view = ProgressFileView(file, for: reader)
        let pdf = PDFWriter(title: view.title, footer: "\(view.generated) · \(view.versions)")
        pdf.paragraph("\(view.school)\(view.division.map { " · \($0)" } ?? "")", size: 8.5, color: .grey, after: 1)
        pdf.paragraph("\(view.period) · \(view.asOf)", size: 8.5, color: .grey, after: 10)
        pdf.heading(view.title, level: 1)
        for section in view.sections {
            pdf.heading(section.title, level: 2)
            pdf.paragraph(section.subtitle, size: 8.5, color: .grey, after: 2)
            pdf.paragraph(section.summary, bold: true, after: 2)
            pdf.paragraph(section.legend, size: 8.5, color: .grey, after: 6)
            for row in section.rows {
                if row.isGroup {
                    pdf.space(3)
                    pdf.paragraph(row.title, size: 10.5, bold: true, after: 1)
                    pdf.paragraph(([row.level, row.explanation].filter { !$0.isEmpty }).joined(separator: " — "),
                                  size: 8.5, color: .grey, after: 4)
                    continue
                }
                // Without a level, « Pas encore observé » says it all: no second line repeating it.
                let explanation = row.explanation.isEmpty ? nil : row.explanation
                let details = [row.change, row.selfEvaluation, row.views, row.comment].compactMap { $0 }
                pdf.keepTogether(pdf.measure("\(row.marker) \(row.code) — \(row.title)", bold: true, indent: 8, after: 1, swatch: true)
                    + pdf.measure(row.level, bold: true, indent: 20, after: 1)
                    + (explanation.map { pdf.measure($0, size: 8.5, indent: 20, after: 1) } ?? 0)
                    + details.map { pdf.measure($0, size: 8.5, indent: 20, after: 1) }.reduce(0, +))
                pdf.paragraph("\(row.marker) \(row.code) — \(row.title)", bold: true, indent: 8, after: 1,
                              swatch: row.color.map(PDFWriter.Color.init(hex:)) ?? .white)
                pdf.paragraph(row.level, bold: true, color: .accent, indent: 20, after: 1)
                if let explanation { pdf.paragraph(explanation, size: 8.5, indent: 20, after: 1) }
                for detail in details {
                    pdf.paragraph(detail, size: 8.5, color: .grey, indent: 20, after: 1)
                }
                pdf.space(4)
            }
        }
        pdf.heading(view.badgesTitle, level: 2)
        if view.badges.isEmpty {
            pdf.paragraph("Pas encore de badge sur la période : chaque compétence acquise en rapproche.")
        }
        for badge in view.badges {
            pdf.paragraph("\(badge.name) — \(badge.detail)", bold: true, after: 1)
            if let url = badge.url { pdf.paragraph("Vérifier : \(url)", size: 8, color: .grey, indent: 10) }
        }
        if let words = view.studentWords {
            pdf.heading(words.title, level: 2)
            pdf.paragraph("\(words.proudLabel) : \(words.proud)", after: 2)
            pdf.paragraph("\(words.toWorkLabel) : \(words.toWork)", after: 2)
        }
        if let synthesis = view.synthesis {
            pdf.heading("Synthèse de l’équipe", level: 2)
            pdf.paragraph(synthesis.text, after: 2)
            pdf.paragraph(synthesis.signature, size: 8.5, italic: true, color: .grey)
        }
        pdf.heading(view.goalsTitle, level: 2)
        for goal in view.goals { pdf.paragraph("• \(goal)", indent: 6) }
        if let note = view.goalsNote { pdf.paragraph(note, size: 8.5, italic: true, color: .grey) }
        if let seen = view.seenByFamily { pdf.paragraph(seen, size: 8.5, color: .grey) }
        let pages = pdf.pageCount
        return (pdf.finish(), pages)
    }

    public static func classReport(_ report: ClassReport) -> (bytes: [UInt8], pages: Int) {
        let view = ClassReportView(report)
        let pdf = PDFWriter(title: view.title, footer: "\(view.generated) · \(view.versions)")
        pdf.paragraph(view.school, size: 8.5, color: .grey, after: 1)
        pdf.paragraph("\(view.period) · \(view.asOf)", size: 8.5, color: .grey, after: 10)
        pdf.heading(view.title, level: 1)
        pdf.paragraph(view.referential, size: 8.5, color: .grey, after: 6)
        let legend = view.legend.map { "\($0.marker) \($0.label)" } + ["· pas encore observé"]
            + (view.hasRolledUp ? ["* déduit des objectifs"] : [])
        pdf.paragraph("Légende : " + legend.joined(separator: "   "), size: 8.5, after: 6)

        let nameWidth = 120.0
        let columnWidth = (pdf.contentWidth - nameWidth - 42) / Double(max(view.columns.count, 1))
        let widths = [nameWidth] + Array(repeating: columnWidth, count: view.columns.count) + [42]
        let header = [PDFWriter.Cell(text: "Élève", alignLeft: true)] + view.columns.map { PDFWriter.Cell(text: $0.code) }
            + [PDFWriter.Cell(text: "Acquises")]
        let rows = view.students.map { student in
            [PDFWriter.Cell(text: student.name, alignLeft: true)]
                + student.cells.map { PDFWriter.Cell(text: $0.text, fill: PDFWriter.Color(hex: $0.background)) }
                + [PDFWriter.Cell(text: student.acquired)]
        }
        pdf.table(header: header, widths: widths, rows: rows, size: columnWidth < 30 ? 6.5 : 8)

        pdf.heading("Répartition par compétence", level: 2)
        let spreadWidth = (pdf.contentWidth - 200) / Double(view.legend.count + 1)
        pdf.table(header: [PDFWriter.Cell(text: "Compétence", alignLeft: true)]
                    + view.legend.map { PDFWriter.Cell(text: "\($0.marker) \($0.label)", fill: PDFWriter.Color(hex: $0.color)) }
                    + [PDFWriter.Cell(text: "· pas encore observé")],
                  widths: [200] + Array(repeating: spreadWidth, count: view.legend.count + 1),
                  rows: view.distribution.map { row in
                      [PDFWriter.Cell(text: "\(row.code) — \(row.title)", alignLeft: true)]
                          + row.counts.map { PDFWriter.Cell(text: "\($0)") } + [PDFWriter.Cell(text: "\(row.none)")]
                  })

        pdf.heading("Élèves qui ont progressé sur la période", level: 2)
        if view.progressed.isEmpty { pdf.paragraph("Pas encore de progrès enregistré sur la période.") }
        for line in view.progressed { pdf.paragraph("• \(line)", indent: 6) }
        pdf.heading(view.quietTitle, level: 2)
        if view.quiet.isEmpty { pdf.paragraph("Chaque élève a au moins une observation récente.") }
        for line in view.quiet { pdf.paragraph("• \(line)", indent: 6) }
        if view.hasLeavers {
            pdf.heading("Ont quitté la classe", level: 2)
            pdf.paragraph("Leur parcours et leurs badges restent enregistrés.")
            for line in view.leavers { pdf.paragraph("• \(line)", indent: 6) }
        }
        let pages = pdf.pageCount
        return (pdf.finish(), pages)
    }
}
