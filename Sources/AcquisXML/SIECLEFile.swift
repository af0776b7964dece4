import AcquisCore

/// What SIECLE's exports share: a root element naming the export, and `PARAMETRES` giving
/// the school (`UAJ`) and the school year (`ANNEE_SCOLAIRE`), as text.
enum SIECLEFile {
    /// Moves to the root element; refuses a file whose root is not `root`, saying which
    /// export was expected.
    static func openRoot(_ reader: XMLStreamReader, _ root: StaticString, expected: String) throws(InvalidInput) {
        var more = reader.read()
        while more && !reader.isElementStart { more = reader.read() }
        guard more else {
            _ = reader.finish()
            throw InvalidInput(reader.sink.report)
        }
        guard reader.hasLocalName(root) else {
            reader.sink.add(line: reader.line, field: reader.localName, "\(expected), dont l’élément racine est \(root)")
            throw InvalidInput(reader.sink.report)
        }
    }

    /// Reads `PARAMETRES`, the reader on it; an unreadable year is reported with its line.
    static func readParameters(_ reader: XMLStreamReader) -> (uai: String?, year: SchoolYear?) {
        var uai: String?, year: SchoolYear?
        reader.forEachChild {
            if reader.hasLocalName("UAJ") {
                uai = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("ANNEE_SCOLAIRE") {
                let line = reader.line, text = reader.readString().collapsingWhitespace()
                year = SchoolYear(text)
                if year == nil {
                    reader.sink.add(line: line, field: "ANNEE_SCOLAIRE", "année « \(text) » illisible ; attendu par exemple 2026")
                }
            }
        }
        return (uai, year)
    }

    /// Reports a file without the school's code: every SIECLE export names it.
    static func requireSchool(_ uai: String?, _ reader: XMLStreamReader) {
        if uai == nil { reader.sink.add(line: 1, field: "PARAMETRES/UAJ", "code UAI de l’établissement manquant") }
    }
}
