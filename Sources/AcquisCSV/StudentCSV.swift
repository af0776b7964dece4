import Foundation
import AcquisCore

/// Reads a list of students from CSV: one row per student, with the columns `INE`, `Nom`,
/// `Prénom`, and optionally `Identifiant` (the school's id), `Date de naissance`
/// (`jj/mm/aaaa` or `aaaa-mm-jj`), `Classe` and `Groupes` (separated by `,` or `|`).
/// Other columns are ignored, so that an export of the school's software can be used as is.
public struct StudentCSV {
    public init() {}

    public func read(path: String) throws(InvalidInput) -> StudentRoster {
        try read(CSVReader(path: path))
    }

    /// A list held in memory (an upload); `name` labels its diagnostics.
    public func read(bytes: [UInt8], name: String) throws(InvalidInput) -> StudentRoster {
        try read(CSVReader(data: Data(bytes), file: name))
    }

    func read(_ csv: CSVReader) throws(InvalidInput) -> StudentRoster {
        var problems = CSVProblems(file: csv.file)
        var students: [Student] = []
        var header: CSVHeader?
        var columns = Columns()
        var seen: [String: Int] = [:]
        do {
            try csv.forEachRow { row in
                guard header != nil else {
                    header = CSVHeader(row)
                    columns = Columns(header!)
                    if columns.lastName == nil || columns.firstName == nil || (columns.ine == nil && columns.localID == nil) {
                        problems.add(line: row.line, field: nil, "en-tête attendu : INE (ou Identifiant), Nom, Prénom ; "
                            + "optionnels : Date de naissance, Classe, Groupes — trouvé : \(row.values.joined(separator: ", "))")
                        throw StopReading()
                    }
                    return
                }
                if let student = student(from: row, columns, &problems) {
                    // One INE or one school id for two students would merge them into one.
                    var duplicate = false
                    for (field, key) in [("INE", student.ine.map { "ine:" + $0 }), ("Identifiant", student.localID.map { "id:" + $0 })] {
                        guard let key else { continue }
                        if let first = seen[key] {
                            problems.add(line: row.line, field: field,
                                         "\(field == "INE" ? "INE" : "identifiant") « \(key.split(separator: ":", maxSplits: 1)[1]) » "
                                         + "déjà donné ligne \(first) : deux élèves ne peuvent pas le partager")
                            duplicate = true
                        } else {
                            seen[key] = row.line
                        }
                    }
                    if !duplicate { students.append(student) }
                }
            }
        } catch is StopReading {
        } catch {
            problems.add(line: 1, field: nil, "\(error)")
        }
        try problems.check()
        return StudentRoster(students: students, givesClasses: columns.division != nil, givesGroups: columns.groups != nil)
    }

    private func student(from row: CSVRow, _ columns: Columns, _ problems: inout CSVProblems) -> Student? {
        let before = problems.diagnostics.count
        let ine = row.optional(columns.ine).map(Student.normalizedINE)
        if let ine, !Student.isPlausibleINE(ine) {
            problems.add(line: row.line, field: "INE", "« \(ine) » n’est pas un INE (11 chiffres ou lettres)")
        }
        let localID = row.optional(columns.localID)
        if ine == nil && localID == nil {
            problems.add(line: row.line, field: columns.ine == nil ? "Identifiant" : "INE", "identifiant de l’élève manquant")
        }
        let lastName = row.optional(columns.lastName), firstName = row.optional(columns.firstName)
        if lastName == nil { problems.add(line: row.line, field: "Nom", "nom manquant") }
        if firstName == nil { problems.add(line: row.line, field: "Prénom", "prénom manquant") }
        var birthDate: CalendarDate?
        if let text = row.optional(columns.birthDate) {
            birthDate = CalendarDate(french: text) ?? CalendarDate(iso: text)
            if birthDate == nil {
                problems.add(line: row.line, field: "Date de naissance", "date « \(text) » illisible ; attendu jj/mm/aaaa")
            }
        }
        let groups = row.optional(columns.groups).map {
            $0.split(whereSeparator: { $0 == "," || $0 == "|" }).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        } ?? []
        guard problems.diagnostics.count == before, let lastName, let firstName else { return nil }
        return Student(ine: ine, localID: localID, lastName: lastName, firstName: firstName, birthDate: birthDate,
                       division: row.optional(columns.division), groups: groups)
    }

    private struct Columns {
        var ine, localID, lastName, firstName, birthDate, division, groups: Int?

        init() {}

        init(_ header: CSVHeader) {
            ine = header.index(of: "INE", "ID_NATIONAL", "Identifiant national")
            localID = header.index(of: "Identifiant", "ELEVE_ID", "Numéro", "ID")
            lastName = header.index(of: "Nom", "Nom de famille", "NOM_DE_FAMILLE")
            firstName = header.index(of: "Prénom", "Prenom 1", "Prénom 1")
            birthDate = header.index(of: "Date de naissance", "Né(e) le", "Naissance", "DATE_NAISS")
            division = header.index(of: "Classe", "Division")
            groups = header.index(of: "Groupes", "Groupe")
        }
    }
}

/// Ends reading early once the file is known to be of the wrong shape.
struct StopReading: Error {}
