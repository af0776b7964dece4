// Writes a synthetic France Compétences RNCP export (FICHES/FICHE, schema 4.1 shape) of
// about the requested size, for the import benchmark. Deterministic: the same size gives
// the same file. Long text fields are HTML escaped with HTML entities, as in real exports.
//
//     rncp-synth SIZE_MB OUTPUT.xml
import Foundation

/// SplitMix64: tiny, deterministic, and good enough to vary the text.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let words = [
    "accueillir", "le", "client", "conseiller", "produit", "service", "vente", "omnicanal", "réceptionner",
    "stocker", "préparer", "commandes", "fidéliser", "clientèle", "animer", "espace", "commercial", "gérer",
    "information", "réclamations", "satisfaction", "équipe", "sécurité", "qualité", "hygiène", "démarche",
    "numérique", "outils", "procédures", "entreprise", "marché", "prospection", "offre", "valoriser",
]
let verbs = ["Assurer", "Réaliser", "Mettre en œuvre", "Contribuer à", "Analyser", "Organiser", "Traiter", "Évaluer"]

func phrase(_ random: inout Generator, words count: Int) -> String {
    (0..<count).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
}

/// Escapes text for XML element content, as the export stores its HTML.
func escaped(_ html: String) -> String {
    html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
}

/// HTML-escapes accented letters the way older exports did (`&eacute;`).
func htmlEntities(_ text: String) -> String {
    text.replacingOccurrences(of: "é", with: "&eacute;").replacingOccurrences(of: "è", with: "&egrave;")
        .replacingOccurrences(of: "à", with: "&agrave;").replacingOccurrences(of: "œ", with: "&oelig;")
}

func fiche(number: Int, _ random: inout Generator) -> String {
    var xml = """
      <FICHE>
        <ID_FICHE>\(number)</ID_FICHE>
        <NUMERO_FICHE>RNCP\(number)</NUMERO_FICHE>
        <INTITULE>Certification \(phrase(&random, words: 4)) \(number)</INTITULE>
        <ABREGE><CODE>TP</CODE><LIBELLE>Titre professionnel</LIBELLE></ABREGE>
        <ETAT_FICHE>Publiée</ETAT_FICHE>
        <NOMENCLATURE_EUROPE><NIVEAU>NIV\(3 + number % 4)</NIVEAU><INTITULE>Niveau \(3 + number % 4)</INTITULE></NOMENCLATURE_EUROPE>
        <CODES_NSF><NSF><CODE>312</CODE><INTITULE>Commerce, vente</INTITULE></NSF></CODES_NSF>

    """
    for field in ["ACTIVITES_VISEES", "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE", "TYPE_EMPLOI_ACCESSIBLES", "OBJECTIFS_CONTEXTE"] {
        let paragraphs = (0..<(4 + Int(random.next() % 6))).map { _ in "<p>" + htmlEntities(phrase(&random, words: 25)) + "</p>" }
        xml += "    <\(field)>\(escaped(paragraphs.joined(separator: "\r\n")))</\(field)>\n"
    }
    xml += "    <BLOCS_COMPETENCES>\n"
    for block in 1...(3 + Int(random.next() % 5)) {
        var list = "<ul>"
        for _ in 0..<(3 + Int(random.next() % 6)) {
            list += "<li>" + htmlEntities("\(verbs.randomElement(using: &random)!) \(phrase(&random, words: 8))")
            if random.next() % 3 == 0 {
                list += "<ul>" + (0..<3).map { _ in "<li>" + htmlEntities(phrase(&random, words: 6)) + "</li>" }.joined() + "</ul>"
            }
            list += "</li>"
        }
        list += "</ul>"
        xml += """
              <BLOC_COMPETENCES>
                <CODE>RNCP\(number)BC\(block < 10 ? "0" : "")\(block)</CODE>
                <LIBELLE>\(verbs.randomElement(using: &random)!) \(phrase(&random, words: 5))</LIBELLE>
                <LISTE_COMPETENCES>\(escaped(list))</LISTE_COMPETENCES>
                <MODALITES_EVALUATION>\(escaped("<p>" + htmlEntities(phrase(&random, words: 30)) + "</p>"))</MODALITES_EVALUATION>
              </BLOC_COMPETENCES>

        """
    }
    xml += """
        </BLOCS_COMPETENCES>
        <DATE_DECISION>\(10 + number % 18)/0\(1 + number % 9)/20\(15 + number % 10)</DATE_DECISION>
        <DATE_EFFET>01/09/20\(15 + number % 10)</DATE_EFFET>
        <DATE_FIN_ENREGISTREMENT>31/08/20\(26 + number % 5)</DATE_FIN_ENREGISTREMENT>
        <ACTIF>Oui</ACTIF>
      </FICHE>

    """
    return xml
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let megabytes = Int(arguments[1]), megabytes > 0 else {
    FileHandle.standardError.write(Data("usage: rncp-synth SIZE_MB OUTPUT.xml\n".utf8))
    exit(2)
}
let target = megabytes * 1_000_000
guard FileManager.default.createFile(atPath: arguments[2], contents: nil),
      let output = FileHandle(forWritingAtPath: arguments[2])
else {
    FileHandle.standardError.write(Data("rncp-synth: cannot write \(arguments[2])\n".utf8))
    exit(1)
}
var random = Generator(state: 42)
var written = 0
var buffer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n"
var number = 30000
while written + buffer.utf8.count < target {
    buffer += fiche(number: number, &random)
    number += 1
    if buffer.utf8.count > 1_000_000 {
        output.write(Data(buffer.utf8))
        written += buffer.utf8.count
        buffer = ""
    }
}
buffer += "</FICHES>\n"
output.write(Data(buffer.utf8))
written += buffer.utf8.count
try output.close()
print("\(arguments[2]): \(number - 30000) fiches, \(written) bytes")
