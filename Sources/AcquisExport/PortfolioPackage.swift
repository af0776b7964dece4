import AcquisCore
import AcquisReports
import Crypto
import Foundation

/// A student's portfolio as files to put in a ZIP: what follows the student to another school
/// or to an employer. `portfolio.json` lists every file with its SHA-256, so that a reader can
/// check that nothing was changed; the badges are in a CLR 2.0 signed by the school.
///
/// ```
/// LISEZMOI.txt            what the package holds, in French
/// portfolio.json          the manifest: student, school, productions, files and their SHA-256
/// portfolio.jws           the school's signature of the manifest's SHA-256 (a JWT)
/// livret.html, livret.json  the progress file of the school year
/// badges.clr.jwt          the badges in force, signed (when the student has some)
/// productions/…           each production's file, numbered, named from its title
/// ```
public enum PortfolioPackage {
    public static let format = "acquis-portfolio/1"

    /// The package's files; `sign` turns the manifest's SHA-256 into the school's signature
    /// (`portfolio.jws`), which the importing school verifies.
    public static func entries(_ contents: PortfolioContents, sign: (String) async throws -> String) async rethrows
        -> [(path: String, bytes: [UInt8])] {
        let file = contents.progressFile
        var entries: [(path: String, bytes: [UInt8])] = [
            ("livret.html", Array(HTMLExport.progressFile(file, for: .student).utf8)),
            ("livret.json", Array(ProgressFileJSON.encoded(file))),
        ]
        if let record = contents.learnerRecord { entries.append(("badges.clr.jwt", Array((record + "\n").utf8))) }
        var productions: [[String: Any]] = []
        for (index, production) in contents.productions.enumerated() {
            let path = "productions/\(String(format: "%03d", index + 1))-\(slug(production.title)).\(fileExtension(production.mediaType))"
            entries.append((path, production.bytes))
            var values: [String: Any] = ["titre": production.title, "date": production.day.iso, "contexte": production.context,
                                         "competences": production.competencies, "fichier": path, "type": production.mediaType]
            if let reflection = production.reflection { values["reflexion"] = reflection }
            productions.append(values)
        }
        let manifest: [String: Any] = [
            "format": format,
            "exporteLe": ISO8601DateFormatter().string(from: contents.exportedAt),
            "etablissement": ["nom": file.school.name, "uai": file.school.uai],
            "eleve": ["nom": file.student.lastName, "prenom": file.student.firstName, "ine": file.student.ine ?? ""],
            "productions": productions,
            "fichiers": entries.map { ["chemin": $0.path, "sha256": sha256($0.bytes), "octets": $0.bytes.count] as [String: Any] },
        ]
        let json = (try? JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        let listing = Array(json) + [0x0A]
        entries.append(("portfolio.json", listing))
        entries.append(("portfolio.jws", Array((try await sign(sha256(listing)) + "\n").utf8)))
        entries.insert(("LISEZMOI.txt", Array(readMe(contents).utf8)), at: 0)
        return entries
    }

    static func readMe(_ contents: PortfolioContents) -> String {
        let file = contents.progressFile
        return """
            Portfolio de \(file.student.firstName) \(file.student.lastName) — \(file.school.name)
            Exporté par Acquis le \(FrenchText.day(contents.exportedAt)).

            livret.html : le livret de progrès de l’année, à ouvrir dans un navigateur.
            livret.json : le même livret, lisible par un logiciel.
            \(contents.learnerRecord == nil ? "" : "badges.clr.jwt : les badges obtenus, signés par l’établissement (CLR 2.0, Open Badges) : tout vérificateur Open Badges peut les contrôler.\n")\
            productions/ : \(FrenchText.count(contents.productions.count, "réalisation gardée", "réalisations gardées", none: "aucune réalisation gardée pour l’instant")) dans le portfolio (les photos sans leurs métadonnées).
            portfolio.json : la liste de ces fichiers, avec l’empreinte SHA-256 de chacun.
            portfolio.jws : la signature de l’établissement sur cette liste.

            """
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A file name from a title: lower-case ASCII letters, digits and dashes, at most 40.
    static func slug(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR")).lowercased()
        var slug = ""
        for character in folded.unicodeScalars {
            if character.isASCII, CharacterSet.alphanumerics.contains(character) {
                slug.unicodeScalars.append(character)
            } else if !slug.hasSuffix("-"), !slug.isEmpty {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "production" : String(slug.prefix(40))
    }

    static func fileExtension(_ mediaType: String) -> String {
        switch mediaType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "application/pdf": "pdf"
        case "video/mp4": "mp4"
        case "video/webm": "webm"
        case "audio/mpeg": "mp3"
        case "audio/mp4": "m4a"
        case "audio/ogg": "ogg"
        case "audio/wav": "wav"
        default: "txt"
        }
    }
}
