import AcquisCore

/// Reads SIECLE's `ResponsablesAvecAdresses.xml` (root `BEE_RESPONSABLES`): the people
/// (`PERSONNES/PERSONNE`) and their links to students (`RESPONSABLES/RESPONSABLE_ELEVE`).
/// Only legal guardians are kept: `NIVEAU_RESPONSABILITE` 1 in files since 2018, `RESP_LEGAL`
/// 1 or 2 in older ones. Addresses, telephones and e-mails are skipped unread.
public enum SIECLEGuardianReader {
    public static func read(path: String) throws(InvalidInput) -> GuardianRoster {
        try read(try XMLStreamReader(path: path))
    }

    /// A file held in memory (an upload); `name` labels its diagnostics. Its encoding (UTF-8
    /// or ISO-8859-15) is read from the XML declaration.
    public static func read(bytes: [UInt8], name: String) throws(InvalidInput) -> GuardianRoster {
        try read(try XMLStreamReader(bytes: bytes, name: name))
    }

    private struct Link {
        var student = "", person = "", line = 0
        var level: String?, legacy: String?
        /// Legal guardian: level 1 since SIECLE's 2018 change, rank 1 or 2 before it.
        var isLegal: Bool { level == "1" || (level == nil && (legacy == "1" || legacy == "2")) }
    }

    private static func read(_ reader: XMLStreamReader) throws(InvalidInput) -> GuardianRoster {
        var roster = GuardianRoster()
        var people: [String: (guardian: Guardian, line: Int)] = [:]
        var order: [String] = []
        var links: [Link] = []
        try SIECLEFile.openRoot(reader, "BEE_RESPONSABLES",
                                expected: "un export SIECLE des responsables est attendu (ResponsablesAvecAdresses.xml)")
        reader.forEachChild {
            if reader.hasLocalName("PARAMETRES") {
                (roster.uai, roster.schoolYear) = SIECLEFile.readParameters(reader)
            } else if reader.hasLocalName("DONNEES") {
                reader.forEachChild {
                    if reader.hasLocalName("PERSONNES") {
                        reader.forEachChild {
                            guard reader.hasLocalName("PERSONNE") else { return }
                            let line = reader.line
                            guard let id = reader.attribute("PERSONNE_ID"), !id.isEmpty else {
                                reader.sink.add(line: line, field: "PERSONNE@PERSONNE_ID", "identifiant de la personne manquant")
                                return
                            }
                            let guardian = readPerson(reader, id: id, line: line)
                            if let first = people[id] {
                                reader.sink.add(line: line, field: "PERSONNE@PERSONNE_ID", "personne \(id) déjà présente ligne \(first.line)")
                            } else {
                                people[id] = (guardian, line)
                                order.append(id)
                            }
                        }
                    } else if reader.hasLocalName("RESPONSABLES") {
                        reader.forEachChild {
                            guard reader.hasLocalName("RESPONSABLE_ELEVE") else { return }
                            var link = Link(line: reader.line)
                            reader.forEachChild {
                                if reader.hasLocalName("ELEVE_ID") { link.student = reader.readString().collapsingWhitespace() }
                                else if reader.hasLocalName("PERSONNE_ID") { link.person = reader.readString().collapsingWhitespace() }
                                else if reader.hasLocalName("NIVEAU_RESPONSABILITE") { link.level = reader.readString().collapsingWhitespace() }
                                else if reader.hasLocalName("RESP_LEGAL") { link.legacy = reader.readString().collapsingWhitespace() }
                            }
                            if link.student.isEmpty || link.person.isEmpty {
                                reader.sink.add(line: link.line, field: link.student.isEmpty ? "ELEVE_ID" : "PERSONNE_ID",
                                                "lien entre un élève et un responsable incomplet")
                            } else {
                                links.append(link)
                            }
                        }
                    }
                }
            }
        }
        for link in links where people[link.person] == nil {
            reader.sink.add(line: link.line, field: "PERSONNE_ID", "personne \(link.person) absente de la liste des personnes du fichier")
        }
        SIECLEFile.requireSchool(roster.uai, reader)
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        var children: [String: [String]] = [:]
        for link in links where link.isLegal && !(children[link.person]?.contains(link.student) ?? false) {
            children[link.person, default: []].append(link.student)
        }
        roster.guardians = order.compactMap { id in
            guard let kids = children[id], var guardian = people[id]?.guardian else { return nil }
            guardian.children = kids
            return guardian
        }
        roster.notLegal = order.count - roster.guardians.count
        return roster
    }

    private static func readPerson(_ reader: XMLStreamReader, id: String, line: Int) -> Guardian {
        var guardian = Guardian(personID: id, lastName: "", firstName: "", children: [])
        var familyName: String?, usedName: String?, oldName: String?
        reader.forEachChild {
            if reader.hasLocalName("NOM_DE_FAMILLE") { familyName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("NOM_USAGE") { usedName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("NOM") { oldName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("PRENOM") { guardian.firstName = reader.readString().collapsingWhitespace() }
            else if reader.hasLocalName("LC_CIVILITE") {
                switch reader.readString().collapsingWhitespace().uppercased() {
                case "MME": guardian.civility = "Mme"
                case "M.", "M": guardian.civility = "M."
                default: break
                }
            }
        }
        // Before SIECLE 15.5 the name was NOM; since, NOM_DE_FAMILLE and an optional NOM_USAGE.
        guardian.lastName = [oldName, usedName, familyName].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        if guardian.lastName.isEmpty { reader.sink.add(line: line, field: "PERSONNE/NOM_DE_FAMILLE", "nom de la personne \(id) manquant") }
        return guardian
    }
}
