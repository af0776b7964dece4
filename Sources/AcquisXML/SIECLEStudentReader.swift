import AcquisCore

/// Reads the SIECLE student export (`ElevesSansAdresses.xml` or `ElevesAvecAdresses.xml`,
/// root `BEE_ELEVES`): the school's UAI and year from `PARAMETRES`, the students from
/// `DONNEES/ELEVES/ELEVE`, their class (`TYPE_STRUCTURE` D) and groups (G) from
/// `DONNEES/STRUCTURES`. Addresses, family and every other field are skipped unread: Acquis
/// keeps the least personal data it needs.
public enum SIECLEStudentReader {
    public static func read(path: String) throws(InvalidInput) -> StudentRoster {
        try read(try XMLStreamReader(path: path))
    }

    /// An export held in memory (an upload); `name` labels its diagnostics. Its encoding
    /// (UTF-8 or ISO-8859-15, as SIECLE writes it) is read from the XML declaration.
    public static func read(bytes: [UInt8], name: String) throws(InvalidInput) -> StudentRoster {
        try read(try XMLStreamReader(bytes: bytes, name: name))
    }

    private static func read(_ reader: XMLStreamReader) throws(InvalidInput) -> StudentRoster {
        var roster = StudentRoster()
        var students: [(id: String, line: Int, student: Student)] = []
        var positions: [String: Int] = [:]
        var ineLines: [String: Int] = [:]

        try SIECLEFile.openRoot(reader, "BEE_ELEVES", expected: "un export SIECLE des élèves est attendu (ElevesSansAdresses.xml)")
        reader.forEachChild {
            if reader.hasLocalName("PARAMETRES") {
                (roster.uai, roster.schoolYear) = SIECLEFile.readParameters(reader)
            } else if reader.hasLocalName("DONNEES") {
                reader.forEachChild {
                    if reader.hasLocalName("ELEVES") {
                        reader.forEachChild {
                            guard reader.hasLocalName("ELEVE") else { return }
                            let line = reader.line
                            guard let id = reader.attribute("ELEVE_ID"), !id.isEmpty else {
                                reader.sink.add(line: line, field: "ELEVE@ELEVE_ID", "identifiant de l’élève manquant")
                                return
                            }
                            let student = readStudent(reader, id: id, line: line)
                            if let first = positions[id] {
                                reader.sink.add(line: line, field: "ELEVE@ELEVE_ID", "élève \(id) déjà présent ligne \(students[first].line)")
                            } else if let ine = student.ine, let first = ineLines[ine] {
                                // Two students with one INE would be merged into one, and swapped at each import.
                                reader.sink.add(line: line, field: "ID_NATIONAL",
                                                "INE \(ine) déjà donné ligne \(first) à un autre élève : corrigez l’un des deux dans SIECLE, "
                                                + "rien n’a été importé")
                            } else {
                                if let ine = student.ine { ineLines[ine] = line }
                                positions[id] = students.count
                                students.append((id, line, student))
                            }
                        }
                    } else if reader.hasLocalName("STRUCTURES") {
                        reader.forEachChild {
                            guard reader.hasLocalName("STRUCTURES_ELEVE"), let id = reader.attribute("ELEVE_ID"),
                                  let index = positions[id] else { return }
                            reader.forEachChild {
                                guard reader.hasLocalName("STRUCTURE") else { return }
                                let line = reader.line
                                let (code, type) = readStructure(reader)
                                guard let code, !code.isEmpty else { return }
                                guard type == "D" else { students[index].student.groups.append(code); return }
                                // One class a year: a second one would silently replace the first.
                                if let first = students[index].student.division, first != code {
                                    let student = students[index].student
                                    reader.sink.add(line: line, field: "STRUCTURE/CODE_STRUCTURE",
                                                    "\(student.lastName) \(student.firstName) (élève \(id)) est dans deux classes, \(first) et \(code) : "
                                                    + "corrigez-le dans SIECLE, rien n’a été importé")
                                }
                                students[index].student.division = code
                            }
                        }
                    }
                }
            }
        }
        SIECLEFile.requireSchool(roster.uai, reader)
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        roster.students = students.map(\.student)
        return roster
    }

    private static func readStudent(_ reader: XMLStreamReader, id: String, line: Int) -> Student {
        var student = Student(localID: id, lastName: "", firstName: "")
        var familyName: String?, oldName: String?
        reader.forEachChild {
            let fieldLine = reader.line
            if reader.hasLocalName("ID_NATIONAL") {
                let ine = reader.readString().collapsingWhitespace().uppercased()
                if !ine.isEmpty { student.ine = ine }
                if !ine.isEmpty && !Student.isPlausibleINE(ine) {
                    reader.sink.add(line: fieldLine, field: "ID_NATIONAL", "« \(ine) » n’est pas un INE (11 chiffres ou lettres)")
                }
            } else if reader.hasLocalName("NOM_DE_FAMILLE") {
                familyName = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("NOM") {
                oldName = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("PRENOM") {
                student.firstName = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("DATE_NAISS") {
                student.birthDate = readDate(reader, field: "DATE_NAISS", line: fieldLine)
            } else if reader.hasLocalName("DATE_SORTIE") {
                student.leftOn = readDate(reader, field: "DATE_SORTIE", line: fieldLine)
            }
        }
        student.lastName = familyName ?? oldName ?? ""
        if student.lastName.isEmpty { reader.sink.add(line: line, field: "ELEVE/NOM_DE_FAMILLE", "nom de l’élève \(id) manquant") }
        if student.firstName.isEmpty { reader.sink.add(line: line, field: "ELEVE/PRENOM", "prénom de l’élève \(id) manquant") }
        return student
    }

    private static func readDate(_ reader: XMLStreamReader, field: String, line: Int) -> CalendarDate? {
        let text = reader.readString().collapsingWhitespace()
        guard !text.isEmpty else { return nil }
        guard let date = CalendarDate(french: text) else {
            reader.sink.add(line: line, field: field, "date « \(text) » illisible ; attendu jj/mm/aaaa")
            return nil
        }
        return date
    }

    private static func readStructure(_ reader: XMLStreamReader) -> (code: String?, type: String?) {
        var code: String?, type: String?
        reader.forEachChild {
            if reader.hasLocalName("CODE_STRUCTURE") {
                code = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("TYPE_STRUCTURE") {
                type = reader.readString().collapsingWhitespace()
            }
        }
        return (code, type)
    }
}
