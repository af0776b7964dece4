import AcquisCore

/// The file formats referentials are imported from.
public enum ReferentialFormat: String, CaseIterable, Sendable {
    /// Acquis' own XML format, validated against its XSD.
    case acquis
    /// The France Compétences RNCP export (`FICHES/FICHE`).
    case rncp
    /// SACoche's referential exchange XML (`arbre/domaine/theme/item`).
    case sacoche

    /// Recognises the format from the root element, reading no further than it.
    public static func detect(path: String) throws(InvalidInput) -> ReferentialFormat {
        try detect(try XMLStreamReader(path: path), named: path)
    }

    /// Recognises the format of a file held in memory; `name` labels its diagnostics.
    public static func detect(bytes: [UInt8], name: String) throws(InvalidInput) -> ReferentialFormat {
        try detect(try XMLStreamReader(bytes: bytes, name: name), named: name)
    }

    private static func detect(_ reader: XMLStreamReader, named path: String) throws(InvalidInput) -> ReferentialFormat {
        while reader.read() {
            guard reader.isElementStart else { continue }
            switch reader.localName {
            case "referential": return .acquis
            case "FICHES": return .rncp
            case "arbre": return .sacoche
            case let other:
                throw InvalidInput(Diagnostic(
                    file: path, line: reader.line, field: other,
                    message: "élément racine inconnu ; attendu : referential (Acquis), FICHES (export RNCP) ou arbre (SACoche)"))
            }
        }
        _ = reader.finish()
        throw InvalidInput(reader.sink.isEmpty
            ? [Diagnostic(file: path, message: "aucun élément racine : le fichier ne contient pas de document XML")]
            : reader.sink.report)
    }
}
