import AcquisCore
import AcquisReports

/// The LSU import file (`lsun-bilans`, schema version 2.0) carrying bilans de cycle: the
/// eight socle positions and the synthesis of each student. Nothing else of the livret is
/// written, and no address or family: the file holds what the bilan needs.
public enum LSUExport {
    public static let namespace = "urn:fr:edu:scolarite:lsun:bilans:import"

    public static func bilanCycle(_ assessment: CycleAssessment, application: String = "Acquis",
                                  version: String? = nil) -> String {
        var xml = XMLText()
        xml.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.open("lsun-bilans", [("xmlns", namespace), ("schemaVersion", "2.0")])
        xml.open("entete")
        xml.element("editeur", "Acquis")
        xml.element("application", application)
        if let version { xml.element("appliVersion", version) }
        xml.element("etablissement", assessment.school.uai)
        xml.close("entete")
        xml.open("donnees")
        xml.open("responsables-etab")
        xml.empty("responsable-etab", [("id", "RESP_01"), ("libelle", assessment.headOfSchool)])
        xml.close("responsables-etab")
        xml.open("eleves")
        for student in assessment.students {
            xml.empty("eleve", [("id", "EL_\(student.schoolID)"), ("id-be", student.schoolID), ("nom", student.lastName),
                                ("prenom", student.firstName), ("code-division", student.division)])
        }
        xml.close("eleves")
        xml.open("bilans-cycle")
        let locked = assessment.createdOn.iso
        for student in assessment.students {
            xml.open("bilan-cycle", [("eleve-ref", "EL_\(student.schoolID)"), ("cycle", "\(assessment.cycle)"),
                                     ("millesime", "\(assessment.schoolYear.startYear)"), ("date-creation", locked),
                                     ("date-verrou", "\(locked)T23:59:59"), ("responsable-etab-ref", "RESP_01")])
            xml.open("socle")
            for code in CycleAssessment.components {
                xml.empty("domaine", [("code", code), ("positionnement", "\(student.positions[code] ?? 0)")])
            }
            xml.close("socle")
            xml.element("synthese", String(student.synthesis.prefix(1500)))
            xml.close("bilan-cycle")
        }
        xml.close("bilans-cycle")
        xml.close("donnees")
        xml.close("lsun-bilans")
        return xml.text
    }
}

/// Indented XML with escaped text and attributes.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ content: String) {
        text += String(repeating: "  ", count: depth) + content + "\n"
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        line("<\(name)\(Self.attributes(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        line("<\(name)\(Self.attributes(attributes))/>")
    }

    mutating func element(_ name: String, _ content: String) {
        line("<\(name)>\(Markup.escaped(content, .xmlText))</\(name)>")
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(Markup.escaped($0.1, .xmlAttribute))\"" }.joined()
    }
}
