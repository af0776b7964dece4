import AcquisCore
import AcquisXML

/// A referential file on disk, in any supported format, read as a sequence of referentials
/// (an RNCP export holds many).
struct ReferentialFile {
    let path: String
    let format: ReferentialFormat
    var fiches: [String] = []
    var scaleCode = Scale.benevolent.code
    var sacocheCode: String?
    var sacocheTitle: String?
    var sacocheVersion = "1"

    init(path: String, format: ReferentialFormat?) throws(InvalidInput) {
        self.path = path
        if let format {
            self.format = format
        } else {
            self.format = try ReferentialFormat.detect(path: path)
        }
    }

    /// Streams the referentials; returns the RNCP summary when the file is an RNCP export.
    @discardableResult
    func forEach(_ body: (Referential) throws -> Void) throws -> RNCPExportReader.Summary? {
        switch format {
        case .acquis:
            try body(try AcquisReferentialReader.read(path: path))
            return nil
        case .rncp:
            return try RNCPExportReader(path: path, fiches: fiches, scaleCode: scaleCode).forEach(body)
        case .sacoche:
            // A SACoche export holds the tree only: its code and title are asked for, never
            // guessed from the file name.
            guard let code = sacocheCode, let title = sacocheTitle else {
                throw InvalidInput(Diagnostic(file: path, line: 1, field: "arbre",
                    message: "un export SACoche ne dit pas de quel référentiel il s’agit : indiquez son code et son intitulé "
                        + "avec --code et --titre (par exemple --code \(Self.defaultCode(for: path)) --titre \"Vente, seconde\")"))
            }
            let reader = SACocheReferentialReader(code: code, title: title, version: sacocheVersion, scaleCode: scaleCode)
            try body(try reader.read(path: path))
            return nil
        }
    }

    /// `maths-6e.xml` → `MATHS-6E`: a suggestion in the message, never a code taken silently.
    static func defaultCode(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let base = name.hasSuffix(".xml") ? String(name.dropLast(4)) : name
        let code = base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(code)
    }
}
