import AcquisCore

/// Reads STS-web's timetable export `sts_emp_UAI_YYYY.xml` (root `STS_EDT`): the teachers
/// (`DONNEES/INDIVIDUS/INDIVIDU` whose `FONCTION` is ENS, or who have none as `local` staff),
/// and for each class (`DIVISION`) and group (`GROUPE`) the subjects taught and by whom
/// (`SERVICES/SERVICE/ENSEIGNANTS/ENSEIGNANT`), subjects named from `NOMENCLATURES/MATIERES`.
/// Unlike SIECLE's files, the school and the year are attributes (`UAJ@CODE`,
/// `ANNEE_SCOLAIRE@ANNEE`). Birth dates, grades and qualifications are skipped unread.
public enum STSWebReader {
    public static func read(path: String, asOf today: CalendarDate) throws(InvalidInput) -> TeacherRoster {
        try read(try XMLStreamReader(path: path), today: today)
    }

    /// A file held in memory (an upload); `name` labels its diagnostics. Its encoding (UTF-8
    /// or ISO-8859-15) is read from the XML declaration. Main teachers are those whose
    /// appointment (`PROF_PRINC/DATE_FIN`) has not ended by `today`.
    public static func read(bytes: [UInt8], name: String, asOf today: CalendarDate) throws(InvalidInput) -> TeacherRoster {
        try read(try XMLStreamReader(bytes: bytes, name: name), today: today)
    }

    /// A staff member as the file lists them, before deciding whether they are a teacher.
    private struct Individual {
        var teacher: RosterTeacher
        var type: String
        var function: String?
        var leads: [String] = []
    }

    /// A teacher named in a service, before the people are known.
    private struct Assignment {
        var teacherID: String, division: String, subjectCode: String, line: Int
    }

    private static func read(_ reader: XMLStreamReader, today: CalendarDate) throws(InvalidInput) -> TeacherRoster {
        var roster = TeacherRoster()
        var subjects: [String: String] = [:]
        var people: [String: Individual] = [:]
        var order: [String] = []
        var assignments: [Assignment] = []
        try SIECLEFile.openRoot(reader, "STS_EDT", expected: "un export STS-web « emploi du temps » est attendu (sts_emp_UAI_AAAA.xml)")
        reader.forEachChild {
            if reader.hasLocalName("PARAMETRES") {
                readParameters(reader, into: &roster)
            } else if reader.hasLocalName("NOMENCLATURES") {
                reader.forEachChild {
                    guard reader.hasLocalName("MATIERES") else { return }
                    reader.forEachChild {
                        guard reader.hasLocalName("MATIERE"), let code = reader.attribute("CODE") else { return }
                        subjects[code] = readSubjectName(reader) ?? code
                    }
                }
            } else if reader.hasLocalName("DONNEES") {
                reader.forEachChild {
                    if reader.hasLocalName("INDIVIDUS") {
                        reader.forEachChild {
                            guard reader.hasLocalName("INDIVIDU") else { return }
                            let line = reader.line
                            guard let id = reader.attribute("ID"), !id.isEmpty else {
                                reader.sink.add(line: line, field: "INDIVIDU@ID", "identifiant de la personne manquant")
                                return
                            }
                            let type = reader.attribute("TYPE") ?? ""
                            let individual = readIndividual(reader, id: id, type: type, line: line, today: today)
                            if let first = people[id] {
                                reader.sink.add(line: line, field: "INDIVIDU@ID", "personne \(id) déjà présente ligne \(first.teacher.line)")
                            } else {
                                people[id] = individual
                                order.append(id)
                            }
                        }
                    } else if reader.hasLocalName("STRUCTURE") {
                        reader.forEachChild {
                            if reader.hasLocalName("DIVISIONS") {
                                reader.forEachChild {
                                    guard reader.hasLocalName("DIVISION") else { return }
                                    assignments += readServices(reader, field: "DIVISION@CODE")
                                }
                            } else if reader.hasLocalName("GROUPES") {
                                reader.forEachChild {
                                    guard reader.hasLocalName("GROUPE") else { return }
                                    assignments += readServices(reader, field: "GROUPE@CODE")
                                }
                            }
                        }
                    }
                }
            }
        }
        if roster.uai == nil { reader.sink.add(line: 1, field: "PARAMETRES/UAJ@CODE", "code UAI de l’établissement manquant") }
        var serving = Set<String>()
        for assignment in assignments {
            guard let person = people[assignment.teacherID] else {
                reader.sink.add(line: assignment.line, field: "ENSEIGNANT@ID",
                                "enseignant \(assignment.teacherID) absent de la liste des personnes du fichier (INDIVIDUS)")
                continue
            }
            // Staff on long leave keep their services in STS but have no FONCTION: not teaching now.
            guard isTeacher(person) else { continue }
            serving.insert(assignment.teacherID)
            roster.services.append(TeachingService(teacherID: assignment.teacherID, division: assignment.division,
                                                   subject: subjects[assignment.subjectCode] ?? assignment.subjectCode, line: assignment.line))
        }
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        for id in order {
            guard let person = people[id] else { continue }
            let name = person.teacher.displayName
            if isTeacher(person) {
                roster.teachers.append(person.teacher)
                if !person.leads.isEmpty { roster.mainTeachers[id] = person.leads }
            } else if person.function == nil {
                roster.skipped.append(SkippedStaff(name: name, line: person.teacher.line,
                                                   reason: "sans fonction dans STS-web (absence de longue durée) : ni compte ni service"))
            } else {
                roster.skipped.append(SkippedStaff(name: name, line: person.teacher.line,
                                                   reason: "\(functionName(person.function!)), pas enseignant·e : créez son compte à la main si besoin"))
            }
        }
        return roster
    }

    /// Teachers are ENS; `local` staff have no FONCTION and teach (SACoche's reading).
    private static func isTeacher(_ person: Individual) -> Bool {
        person.function == "ENS" || (person.function == nil && person.type == "local")
    }

    private static func functionName(_ code: String) -> String {
        switch code {
        case "DIR": "personnel de direction"
        case "EDU": "personnel d’éducation (CPE)"
        case "DOC": "professeur·e documentaliste"
        case "SUR": "personnel de surveillance"
        default: "fonction « \(code) »"
        }
    }

    private static func readParameters(_ reader: XMLStreamReader, into roster: inout TeacherRoster) {
        reader.forEachChild {
            if reader.hasLocalName("UAJ") {
                roster.uai = reader.attribute("CODE")?.collapsingWhitespace()
            } else if reader.hasLocalName("ANNEE_SCOLAIRE") {
                let text = reader.attribute("ANNEE")?.collapsingWhitespace() ?? ""
                roster.schoolYear = SchoolYear(text)
                if roster.schoolYear == nil {
                    reader.sink.add(line: reader.line, field: "ANNEE_SCOLAIRE@ANNEE", "année « \(text) » illisible ; attendu par exemple 2026")
                }
            } else if reader.hasLocalName("APPLICATION_SOURCE") {
                reader.sink.add(line: reader.line, field: "PARAMETRES/APPLICATION_SOURCE",
                                "ce fichier vient d’un logiciel d’emploi du temps, pas de STS-web : exportez-le depuis STS-web (Exports > Emploi du temps)")
            }
        }
    }

    /// The subject's printed name: `LIBELLE_EDITION`, else `LIBELLE_LONG`, `LIBELLE_COURT`, `CODE_GESTION`.
    private static func readSubjectName(_ reader: XMLStreamReader) -> String? {
        var names: [String: String] = [:]
        reader.forEachChild {
            for field in ["LIBELLE_EDITION", "LIBELLE_LONG", "LIBELLE_COURT", "CODE_GESTION"] where reader.localName == field {
                names[field] = reader.readString().collapsingWhitespace()
            }
        }
        return ["LIBELLE_EDITION", "LIBELLE_LONG", "LIBELLE_COURT", "CODE_GESTION"].lazy.compactMap { names[$0] }.first { !$0.isEmpty }
    }

    private static func readIndividual(_ reader: XMLStreamReader, id: String, type: String, line: Int, today: CalendarDate) -> Individual {
        var teacher = RosterTeacher(stsID: id, lastName: "", firstName: "", line: line)
        var usedName: String?, birthName: String?, function: String?, leads: [String] = []
        reader.forEachChild {
            if reader.hasLocalName("NOM_USAGE") { usedName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("NOM_PATRONYMIQUE") { birthName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("PRENOM") { teacher.firstName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("CIVILITE") {
                switch reader.readString().collapsingWhitespace() {
                case "1": teacher.civility = "M."
                case "2", "3": teacher.civility = "Mme"
                default: break
                }
            } else if reader.hasLocalName("FONCTION") {
                let text = reader.readString().collapsingWhitespace().uppercased()
                function = text.isEmpty ? nil : text
            } else if reader.hasLocalName("PROFS_PRINC") {
                reader.forEachChild {
                    guard reader.hasLocalName("PROF_PRINC") else { return }
                    var code = "", end: String?
                    reader.forEachChild {
                        if reader.hasLocalName("CODE_STRUCTURE") { code = reader.readString().collapsingWhitespace() }
                        else if reader.hasLocalName("DATE_FIN") { end = reader.readString().collapsingWhitespace() }
                    }
                    // An appointment that ended (a class given to someone else mid-year) no longer counts.
                    if !code.isEmpty, end.flatMap(CalendarDate.init(iso:)).map({ $0 >= today }) ?? true { leads.append(code) }
                }
            }
        }
        teacher.lastName = [usedName, birthName].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        if teacher.lastName.isEmpty { reader.sink.add(line: line, field: "INDIVIDU/NOM_USAGE", "nom de la personne \(id) manquant") }
        return Individual(teacher: teacher, type: type, function: function, leads: leads)
    }

    /// The services of a class or group, the reader on its element.
    private static func readServices(_ reader: XMLStreamReader, field: String) -> [Assignment] {
        let line = reader.line
        guard let division = reader.attribute("CODE")?.collapsingWhitespace(), !division.isEmpty else {
            reader.sink.add(line: line, field: field, "code de la classe ou du groupe manquant")
            return []
        }
        var assignments: [Assignment] = []
        reader.forEachChild {
            guard reader.hasLocalName("SERVICES") else { return }
            reader.forEachChild {
                guard reader.hasLocalName("SERVICE") else { return }
                let subject = reader.attribute("CODE_MATIERE") ?? ""
                reader.forEachChild {
                    guard reader.hasLocalName("ENSEIGNANTS") else { return }
                    reader.forEachChild {
                        guard reader.hasLocalName("ENSEIGNANT"), let id = reader.attribute("ID"), !id.isEmpty else { return }
                        assignments.append(Assignment(teacherID: id, division: division, subjectCode: subject, line: reader.line))
                    }
                }
            }
        }
        return assignments
    }
}
