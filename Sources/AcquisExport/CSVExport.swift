import AcquisGrading
import AcquisCSV
import AcquisReports

/// Progress files, class reports and LSL Pro positions as CSV that French spreadsheets open
/// directly (UTF-8 with byte order mark, `;`).
public enum CSVExport {
    /// One line per competency of each referential, then one per badge; the first lines say
    /// whose file it is, when it was written and against which referential versions.
    public static func progressFile(_ file: ProgressFile) -> String {
        var csv = CSVWriter()
        csv.appendRow(["Élève", file.student.displayName, "Classe", file.student.division ?? "", "Période", file.period.title])
        csv.appendRow(["Généré le", FrenchText.timestamp(file.generatedAt), "Niveaux au", file.asOf.french,
                       "Référentiels", file.referentialVersions])
        csv.appendRow(["Référentiel", "Version", "Regroupement", "Code", "Compétence", "Niveau", "Libellé", "Acquis",
                       "Sur la période", "Niveau précédent", "Auto-évaluation", "Explication"])
        for section in file.sections {
            var group = ""
            for row in section.rows {
                switch row.content {
                case .group:
                    group = row.code
                case let .competency(entry):
                    csv.appendRow([
                        section.code, section.version, group, row.code, row.title, entry.level?.code ?? "",
                        entry.level?.studentLabel ?? "Pas encore observé", entry.level?.isAcquired == true ? "oui" : "non",
                        changeWord(entry.change), entry.previousLevel?.code ?? "",
                        entry.selfEvaluation.map { "\($0.code) le \($0.date.french)" } ?? "", entry.explanation,
                    ])
                }
            }
        }
        for badge in file.badges {
            csv.appendRow(["Badge", badge.code, "", "", badge.name, badge.achievedLevel ?? "", "", "oui", "",
                           "", "", "Obtenu le \(badge.awardedOn.french)"])
        }
        return csv.text
    }

    /// The matrix, one line per student, with each cell's level code; rolled-up cells end with « * ».
    public static func classReport(_ report: ClassReport) -> String {
        var csv = CSVWriter()
        csv.appendRow(["Classe", report.division, "Période", report.period.title, "Niveaux au", report.asOf.french])
        csv.appendRow(["Généré le", FrenchText.timestamp(report.generatedAt), "Référentiel",
                       "\(report.referential.code) version \(report.referential.version)"])
        csv.appendRow(["Élève"] + report.columns.map(\.code) + ["Acquises", "Progrès sur la période"])
        for row in report.students {
            csv.appendRow([row.name] + row.cells.map { cell in (cell.level?.code ?? "") + (cell.isRolledUp ? "*" : "") }
                          + ["\(row.acquiredCount)", row.progressed.joined(separator: " ")])
        }
        for index in report.columns.indices {
            let spread = report.distribution(ofColumn: index)
            let counts = zip(report.scale.levels, spread.counts).map { "\($0.code) \($1)" }
            csv.appendRow(["Répartition \(report.columns[index].code)"] + counts + ["non observé \(spread.notEvaluated)"])
        }
        return csv.text
    }

    /// LSL Pro degrees, one line per student and competency, as a feeder file for the livret.
    public static func lsl(_ positions: [LSLPosition]) -> String {
        var csv = CSVWriter()
        csv.appendRow(["INE", "Nom", "Prénom", "Classe", "Référentiel", "Version", "Bloc RNCP", "Code compétence",
                       "Compétence", "Degré LSL (1-4)", "Niveau Acquis", "Appréciation PFMP"])
        for position in positions {
            csv.appendRow([position.ine ?? "", position.lastName, position.firstName, position.division,
                           position.referential.code, position.referential.version, position.rncpCode ?? LSLPosition.unknownBlockCode,
                           position.competencyCode, position.competencyTitle, "\(position.degree)", position.levelCode,
                           position.pfmpAppreciation ?? ""])
        }
        return csv.text
    }

    private static func changeWord(_ change: CompetencyProgress.Change?) -> String {
        switch change {
        case .firstLevel?: "premier niveau"
        case .progressed?: "a progressé"
        case .regressed?: "à consolider"
        case .confirmed?: "confirmé"
        case nil: ""
        }
    }
}
