import AcquisStorage
import AcquisCore
import AcquisVigilance
import Foundation

/// The school holiday calendar shipped as `Resources/vacances-scolaires.csv`
/// (`annee;zone;vacances;debut;reprise;fiabilite`, `#` for comments): read once, each school
/// then keeps the holidays of its zone.
enum HolidayCalendarFile {
    /// Every zone's holidays from the shipped file; none when it is missing.
    static let shipped: HolidayCalendar = {
        guard let url = Bundle.module.url(forResource: "vacances-scolaires", withExtension: "csv", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return .none }
        return (try? read(text)) ?? .none
    }()

    /// Reads the file's text; every line with bad dates is reported with its number.
    static func read(_ text: String) throws(InvalidInput) -> HolidayCalendar {
        var holidays: [HolidayCalendar.Holiday] = []
        var problems: [Diagnostic] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard !line.hasPrefix("#"), fields.count == 6, fields[0] != "annee" else { continue }
            guard let start = CalendarDate(iso: fields[3]), let resumption = CalendarDate(iso: fields[4]), start < resumption else {
                problems.append(Diagnostic(file: "vacances-scolaires.csv", line: index + 1, field: "debut",
                                           message: "dates « \(fields[3]) » – « \(fields[4]) » illisibles ou dans le désordre"))
                continue
            }
            holidays.append(HolidayCalendar.Holiday(name: fields[2], zone: HolidayCalendar.Zone(rawValue: fields[1]), start: start,
                                                    resumption: resumption, isVerified: fields[5] == "verifie"))
        }
        guard problems.isEmpty else { throw InvalidInput(problems) }
        return HolidayCalendar(holidays: holidays)
    }
}
