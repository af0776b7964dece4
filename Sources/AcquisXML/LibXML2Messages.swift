import Foundation

/// libxml2 speaks English. Each message a person may meet is said first in French, with what
/// to do; libxml2's own words follow in parentheses, for whoever needs them to search.
enum LibXML2Messages {
    /// A message that is noise, not an error: libxml2 adds it after a value it already
    /// refused (« No precomputed value available… »).
    static func isNoise(_ message: String) -> Bool {
        message.contains("No precomputed value available")
    }

    /// The French sentence for a libxml2 message, or nil when libxml2's message is better
    /// left out entirely (its XML_PARSE_HUGE hint, say, is advice to programmers).
    static func french(_ text: String) -> String {
        for rule in rules {
            if let sentence = rule(text) { return sentence }
        }
        return "document XML incorrect (libxml2 : \(text))"
    }

    private static let rules: [@Sendable (String) -> String?] = [
        { text in
            guard text.hasPrefix("Excessive depth in document") else { return nil }
            return "le document imbrique plus de 256 niveaux d’éléments les uns dans les autres : aucun référentiel n’en a "
                + "autant, le fichier est malformé"
        },
        { text in
            guard let expected = captured(text, #"^This element is not expected\. Expected is \( ?(.*?) ?\)\.?$"#) else { return nil }
            return "élément inattendu à cet endroit ; attendu : \(expected) (libxml2 : \(text))"
        },
        { text in
            guard text.hasPrefix("This element is not expected") else { return nil }
            return "élément inattendu à cet endroit : vérifiez son nom et sa place dans le modèle (libxml2 : \(text))"
        },
        { text in
            guard let expected = captured(text, #"^Missing child element\(s\)\. Expected is \( ?(.*?) ?\)\.?$"#) else { return nil }
            return "il manque un élément à l’intérieur ; attendu : \(expected) (libxml2 : \(text))"
        },
        { text in
            guard let name = captured(text, #"^The attribute '([^']*)' is required but missing\.?$"#) else { return nil }
            return "l’attribut « \(name) » est obligatoire (libxml2 : \(text))"
        },
        { text in
            guard let name = captured(text, #"^The attribute '([^']*)' is not allowed\.?$"#) else { return nil }
            return "l’attribut « \(name) » n’est pas permis ici (libxml2 : \(text))"
        },
        { text in
            guard let value = captured(text, #"^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern"#) else { return nil }
            return "la valeur « \(value) » n’a pas la forme attendue (libxml2 : \(text))"
        },
        { text in
            guard let value = captured(text, #"^\[facet 'enumeration'\] The value '(.*)' is not an element of the set"#) else { return nil }
            return "la valeur « \(value) » ne fait pas partie des valeurs permises (libxml2 : \(text))"
        },
        { text in
            guard let value = captured(text, #"^'(.*)' is not a valid value of"#) else { return nil }
            return "la valeur « \(value) » n’est pas valide ici (libxml2 : \(text))"
        },
        { text in
            guard let value = captured(text, #"^Duplicate key-sequence \[(.*)\] in"#) else { return nil }
            return "le code \(value.replacingOccurrences(of: "'", with: "« ", options: .anchored).replacingOccurrences(of: "'", with: " »")) "
                + "est déjà employé plus haut : chaque code doit être unique (libxml2 : \(text))"
        },
        { text in
            guard text.hasPrefix("Premature end of data") || text.hasPrefix("EndTag") || text.contains("Extra content at the end")
                    || text.hasPrefix("Couldn't find end of Start Tag") else { return nil }
            return "le fichier s’arrête au milieu d’un élément ou continue après la fin du document : il est sans doute tronqué ou "
                + "mal copié (libxml2 : \(text))"
        },
        { text in
            guard text.hasPrefix("Opening and ending tag mismatch") else { return nil }
            return "balise fermante qui ne correspond pas à la balise ouverte (libxml2 : \(text))"
        },
        { text in
            guard text.hasPrefix("Start tag expected") || text.hasPrefix("Document is empty") else { return nil }
            return "aucun élément XML trouvé : le fichier n’est pas un document XML (libxml2 : \(text))"
        },
    ]

    private static func captured(_ text: String, _ pattern: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}

/// What the first bytes of a file tell before any parsing: whether it is XML at all, and
/// where its DOCTYPE is, so that a refusal of the DOCTYPE names its own line.
struct XMLProlog {
    /// Set when the bytes cannot be an XML document.
    var notXML: String?
    /// The line of `<!DOCTYPE`, if the prolog has one.
    var doctypeLine: Int?
    /// Whether the DOCTYPE names an external DTD (`SYSTEM` or `PUBLIC`).
    var externalDTD = false

    init(head: some Collection<UInt8>) {
        let bytes = Array(head.prefix(65_536))
        // UTF-16 and UTF-32 files hold NUL bytes and begin with a byte-order mark: libxml2 reads them.
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.isEmpty { return }
        if bytes.contains(0) {
            notXML = "ce fichier n’est pas un document XML : son contenu est binaire (une image, un PDF, un tableur ?) ; "
                + "déposez le fichier .xml du référentiel"
            return
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return }
        guard first == UInt8(ascii: "<") else {
            notXML = "ce fichier n’est pas un document XML : il ne commence pas par une balise « < » ; "
                + "enregistrez-le au format XML ou déposez le bon fichier"
            return
        }
        let marker = Array("<!DOCTYPE".utf8)
        guard let start = Self.find(marker, in: body) else { return }
        doctypeLine = 1 + body[..<start].count { $0 == 0x0A }
        let rest = body[(start + marker.count)...].prefix { $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: ">") }
        let words = String(decoding: rest, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        externalDTD = words.contains("SYSTEM") || words.contains("PUBLIC")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}
