import AcquisCore
import AcquisReports
import Foundation

/// A class report worded for reading: what the HTML template and the PDF print.
public struct ClassReportView: Sendable {
    public var title: String
    public var school: String
    public var period: String
    public var asOf: String
    public var referential: String
    public var generated: String
    public var versions: String
    public var legend: [LegendEntry]
    public var hasRolledUp: Bool
    public var columns: [Column]
    public var students: [StudentRow]
    public var distribution: [DistributionRow]
    public var progressed: [String]
    public var hasProgressed: Bool
    public var quietTitle: String
    public var quiet: [String]
    /// « MOREL Ilan — a quitté la classe le 15/10/2026 ».
    public var leavers: [String]
    public var hasLeavers: Bool
    public var hasQuiet: Bool

    public struct LegendEntry: Sendable {
        public var marker: String
        public var label: String
        public var color: String
    }

    public struct Column: Sendable {
        public var code: String
        public var title: String
    }

    public struct StudentRow: Sendable {
        public var name: String
        public var cells: [Cell]
        public var acquired: String
    }

    public struct Cell: Sendable {
        /// The marker, with « * » when rolled up: readable without colour.
        public var text: String
        public var label: String
        public var background: String
    }

    public struct DistributionRow: Sendable {
        public var code: String
        public var title: String
        public var counts: [Int]
        public var none: Int
    }

    public init(_ report: ClassReport) {
        title = "Bilan de la classe \(report.division)"
        school = report.school.label
        period = "\(report.period.title), du \(report.period.start.french) au \(report.period.end.french)"
        asOf = "Niveaux au \(report.asOf.french)"
        referential = "\(report.referential.title) — \(report.referential.code) version \(report.referential.version) · "
            + "\(report.students.count) élèves · \(report.columns.count) compétences"
        generated = FrenchText.generated(report.generatedAt)
        versions = "Référentiel : \(report.referential.code) version \(report.referential.version)"
        legend = report.scale.levels.map { LegendEntry(marker: $0.marker, label: $0.teacherLabel, color: $0.color) }
        hasRolledUp = report.students.contains { $0.cells.contains(where: \.isRolledUp) }
        columns = report.columns.map { Column(code: $0.code, title: $0.title) }
        students = report.students.map { row in
            StudentRow(name: row.name, cells: row.cells.map { cell in
                guard let level = cell.level else { return Cell(text: "·", label: "Pas encore observé", background: "#ffffff") }
                return Cell(text: level.marker + (cell.isRolledUp ? "*" : ""),
                            label: level.teacherLabel + (cell.isRolledUp ? " (déduit des objectifs)" : ""),
                            background: level.color)
            }, acquired: "\(row.acquiredCount)/\(row.cells.count)")
        }
        distribution = report.columns.indices.map { index in
            let spread = report.distribution(ofColumn: index)
            return DistributionRow(code: report.columns[index].code, title: report.columns[index].title,
                                   counts: spread.counts, none: spread.notEvaluated)
        }
        progressed = report.progressedStudents.map { row in
            "\(row.name) — \(FrenchText.count(row.progressed.count, "compétence")) : \(row.progressed.joined(separator: ", "))"
        }
        hasProgressed = !progressed.isEmpty
        quietTitle = "Élèves sans observation depuis \(report.quietDays) jours"
        quiet = report.quiet.map { entry in
            "\(entry.name) — " + (entry.lastObservedOn.map { "dernière observation le \($0.french)" } ?? "jamais observé(e)")
        }
        hasQuiet = !quiet.isEmpty
        leavers = report.leavers.map { "\($0.name) — a quitté la classe le \($0.leftOn.french)" }
        hasLeavers = !leavers.isEmpty
    }
}
