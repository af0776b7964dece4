import AcquisCSV
import AcquisReports

/// The académie's overview as one CSV table (French spreadsheet conventions), a line per
/// figure: rubrique ; intitulé ; établissements ; élèves ; nombre ; précision. A line about
/// fewer than five students keeps its heading and says so, without its figures.
public enum AcademyOverviewCSV {
    public static let header = ["Rubrique", "Intitulé", "Établissements", "Élèves", "Nombre", "Précision"]
    public static let withheld = "moins de \(AcademyOverview.minimumStudents)"

    public static func write(_ overview: AcademyOverview) -> String {
        var csv = CSVWriter()
        csv.appendRow(header)
        csv.appendRow(["Ensemble", "Établissements et élèves de l’année", String(overview.schools), String(overview.students), "", ""])
        for use in overview.referentials {
            csv.appendRow(line("Référentiels utilisés", "\(use.code) — \(use.title)", shown: use.isShown,
                               [String(use.schools), String(use.students), String(use.evaluations), "évaluations"]))
        }
        for month in overview.months {
            csv.appendRow(line("Évaluations par mois", month.label, shown: month.isShown,
                               ["", String(month.students), String(month.evaluations), "évaluations"]))
        }
        for share in overview.signals {
            csv.appendRow(line("Élèves avec un signal", share.signal, shown: share.isShown,
                               ["", String(share.students), String(share.students), "\(share.percent)\u{00A0}% des \(share.outOf) élèves"]))
        }
        for effect in overview.followUps {
            csv.appendRow(line("Suivis et ce qui a suivi", effect.action, shown: effect.isShown,
                               ["", String(effect.students), String(effect.followUps), effect.after]))
        }
        for tally in overview.badges {
            csv.appendRow(line("Badges par diplôme et bloc", "\(tally.diplomaLabel) : \(tally.block)", shown: tally.isShown,
                               [String(tally.schools), String(tally.students), String(tally.awards), "badges"]))
        }
        return csv.text
    }

    private static func line(_ section: String, _ title: String, shown: Bool, _ figures: [String]) -> [String] {
        shown ? [section, title] + figures : [section, title, "", withheld, "", "non montré : moins de \(AcademyOverview.minimumStudents) élèves"]
    }
}

extension FollowUpEffect {
    /// « après : 7 élèves en progrès, 23 évaluations, compétences acquises 34 → 51 ».
    public var after: String {
        "après : \(FrenchText.amount(studentsProgressing, "élève")) en progrès, \(FrenchText.amount(evaluationsSince, "évaluation")), "
            + "compétences acquises \(acquiredBefore) → \(acquiredNow)"
    }
}
