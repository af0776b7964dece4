import AcquisCSV
import AcquisVigilance

extension CSVExport {
    /// One line per student: group, name, why; the first lines say which class, competencies and period.
    public static func needGroups(_ sheet: NeedGroupSheet) -> String {
        var csv = CSVWriter()
        csv.appendRow(["Classe", sheet.division, "Référentiel", sheet.referential, "Période", sheet.period])
        csv.appendRow(["Compétences"] + sheet.competencies)
        csv.appendRow(["Groupe", "Élève", "Pourquoi", "Groupe suggéré"])
        for section in sheet.sections {
            for member in section.members {
                csv.appendRow([NeedGroupSheet.groupTitle(section.group), member.name, member.reason,
                               member.suggested.map { NeedGroupSheet.groupTitle($0) } ?? ""])
            }
        }
        return csv.text
    }
}

extension PDFExport {
    /// One section per group, each student with the levels that placed them.
    public static func needGroups(_ sheet: NeedGroupSheet) -> (bytes: [UInt8], pages: Int) {
        let pdf = PDFWriter(title: sheet.title, footer: "\(sheet.title) · \(sheet.period) · \(sheet.status)")
        pdf.heading(sheet.title, level: 1)
        pdf.paragraph("\(sheet.referential) · \(sheet.period) · \(sheet.status)", size: 8.5, color: .grey, after: 4)
        pdf.paragraph("Compétences : " + sheet.competencies.joined(separator: " ; "), size: 8.5, after: 6)
        for section in sheet.sections {
            pdf.heading("\(NeedGroupSheet.groupTitle(section.group)) (\(FrenchText.count(section.members.count, "élève")))", level: 2)
            guard !section.members.isEmpty else {
                pdf.paragraph("Aucun élève dans ce groupe pour cette période.")
                continue
            }
            pdf.table(header: [PDFWriter.Cell(text: "Élève", alignLeft: true), PDFWriter.Cell(text: "Pourquoi", alignLeft: true)],
                      widths: [150, pdf.contentWidth - 150],
                      rows: section.members.map { member in
                          let moved = member.suggested.map { " (suggéré : \(NeedGroupSheet.groupTitle($0)))" } ?? ""
                          return [PDFWriter.Cell(text: member.name, alignLeft: true),
                                  PDFWriter.Cell(text: member.reason + moved, alignLeft: true)]
                      })
        }
        let pages = pdf.pageCount
        return (pdf.finish(), pages)
    }
}
