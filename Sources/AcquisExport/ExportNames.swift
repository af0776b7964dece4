import AcquisReports
import Foundation

/// Names of exported files, the same from the console and the browser.
public enum ExportNames {
    /// A file name from names and codes: letters without accents, digits, « - » and « _ ».
    public static func safe(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        return String(folded.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }

    /// `MARTIN_Lea_9000000001A_T1`: a student's progress file for a period, without extension.
    public static func progressFile(_ file: ProgressFile, studentID: Int64) -> String {
        safe("\(file.student.lastName)_\(file.student.firstName)_\(file.student.ine ?? String(studentID))_\(file.period.code)")
    }
}
