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
            let code = sacocheCode ?? Self.defaultCode(for: path)
            let reader = SACocheReferentialReader(code: code, title: sacocheTitle ?? code, version: sacocheVersion,
                                                  scaleCode: scaleCode)
            try body(try reader.read(path: path))
            return nil
        }
    }

    /// `maths-6e.xml` → `MATHS-6E`.
    static func defaultCode(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let base = name.hasSuffix(".xml") ? String(name.dropLast(4)) : name
        let code = base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(code)
    }
}
