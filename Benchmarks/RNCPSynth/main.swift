// Writes a synthetic France Compétences RNCP export (FICHES/FICHE, schema 4.1 shape) of
// about the requested size, for the import benchmark. Deterministic: the same size gives
// the same file. Long text fields hold HTML that is XML-escaped and uses HTML entities
// (`&amp;eacute;`), as older real exports do, so the importer decodes twice.
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

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

/// HTML entities for accented letters, then XML escaping: the text as stored in the export.
func storedForm(_ text: String) -> [UInt8] {
    let html = text.replacingOccurrences(of: "é", with: "&eacute;").replacingOccurrences(of: "è", with: "&egrave;")
        .replacingOccurrences(of: "à", with: "&agrave;").replacingOccurrences(of: "œ", with: "&oelig;")
    return Array(html.replacingOccurrences(of: "&", with: "&amp;").utf8)
}

let words = [
    "accueillir", "le", "client", "conseiller", "produit", "service", "vente", "omnicanal", "réceptionner",
    "stocker", "préparer", "commandes", "fidéliser", "clientèle", "animer", "espace", "commercial", "gérer",
    "information", "réclamations", "satisfaction", "équipe", "sécurité", "qualité", "hygiène", "démarche",
    "numérique", "outils", "procédures", "entreprise", "marché", "prospection", "offre", "valoriser",
].map(storedForm)
let verbs = ["Assurer", "Réaliser", "Mettre en œuvre", "Contribuer à", "Analyser", "Organiser", "Traiter", "Évaluer"]
    .map(storedForm)

struct Writer {
    var bytes: [UInt8] = []
    var random = Generator(state: 42)

    mutating func text(_ string: String) { bytes.append(contentsOf: string.utf8) }

    mutating func phrase(_ count: Int) {
        for index in 0..<count {
            if index > 0 { bytes.append(0x20) }
            bytes.append(contentsOf: words[random.below(words.count)])
        }
    }

    mutating func verb() { bytes.append(contentsOf: verbs[random.below(verbs.count)]) }

    mutating func longField(_ name: String) {
        text("    <\(name)>")
        for index in 0..<(4 + random.below(6)) {
            if index > 0 { text("&#13;\n") }
            text("&lt;p&gt;")
            phrase(25)
            text("&lt;/p&gt;")
        }
        text("</\(name)>\n")
    }

    mutating func fiche(number: Int) {
        let level = 3 + number % 4
        text("""
              <FICHE>
                <ID_FICHE>\(number)</ID_FICHE>
                <NUMERO_FICHE>RNCP\(number)</NUMERO_FICHE>
                <INTITULE>Certification 
            """)
        phrase(4)
        text("""
             \(number)</INTITULE>
                <ABREGE><CODE>TP</CODE><LIBELLE>Titre professionnel</LIBELLE></ABREGE>
                <ETAT_FICHE>Publiée</ETAT_FICHE>
                <NOMENCLATURE_EUROPE><NIVEAU>NIV\(level)</NIVEAU><INTITULE>Niveau \(level)</INTITULE></NOMENCLATURE_EUROPE>
                <CODES_NSF><NSF><CODE>312</CODE><INTITULE>Commerce, vente</INTITULE></NSF></CODES_NSF>

            """)
        for field in ["ACTIVITES_VISEES", "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE", "TYPE_EMPLOI_ACCESSIBLES",
                      "OBJECTIFS_CONTEXTE"] {
            longField(field)
        }
        text("    <BLOCS_COMPETENCES>\n")
        for block in 1...(3 + random.below(5)) {
            text("      <BLOC_COMPETENCES>\n        <CODE>RNCP\(number)BC\(block < 10 ? "0" : "")\(block)</CODE>\n        <LIBELLE>")
            verb(); text(" "); phrase(5)
            text("</LIBELLE>\n        <LISTE_COMPETENCES>&lt;ul&gt;")
            for _ in 0..<(3 + random.below(6)) {
                text("&lt;li&gt;"); verb(); text(" "); phrase(8)
                if random.below(3) == 0 {
                    text("&lt;ul&gt;")
                    for _ in 0..<3 { text("&lt;li&gt;"); phrase(6); text("&lt;/li&gt;") }
                    text("&lt;/ul&gt;")
                }
                text("&lt;/li&gt;")
            }
            text("&lt;/ul&gt;</LISTE_COMPETENCES>\n        <MODALITES_EVALUATION>&lt;p&gt;")
            phrase(30)
            text("&lt;/p&gt;</MODALITES_EVALUATION>\n      </BLOC_COMPETENCES>\n")
        }
        text("""
                </BLOCS_COMPETENCES>
                <DATE_DECISION>\(10 + number % 18)/0\(1 + number % 9)/20\(15 + number % 10)</DATE_DECISION>
                <DATE_EFFET>01/09/20\(15 + number % 10)</DATE_EFFET>
                <DATE_FIN_ENREGISTREMENT>31/08/20\(26 + number % 5)</DATE_FIN_ENREGISTREMENT>
                <ACTIF>Oui</ACTIF>
              </FICHE>

            """)
    }
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
var writer = Writer()
writer.text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n")
var written = 0
var number = 30000
while written + writer.bytes.count < target {
    writer.fiche(number: number)
    number += 1
    if writer.bytes.count > 1_000_000 {
        output.write(Data(writer.bytes))
        written += writer.bytes.count
        writer.bytes.removeAll(keepingCapacity: true)
    }
}
writer.text("</FICHES>\n")
output.write(Data(writer.bytes))
written += writer.bytes.count
try output.close()
print("\(arguments[2]): \(number - 30000) fiches, \(written) bytes")
