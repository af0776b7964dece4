import AcquisCore

/// A referential file in any supported format, on disk or sent, read as a sequence of
/// referentials (an RNCP export holds many). The command line and the inspector's page read
/// files through it, so both accept the same formats with the same errors.
public struct ReferentialSource: Sendable {
    enum Content: Sendable {
        case path(String)
        case bytes([UInt8], name: String)
    }

    let content: Content
    public let format: ReferentialFormat
    public var settings: ReferentialSettings

    /// The name diagnostics give the file.
    public var name: String {
        switch content {
        case let .path(path): path
        case let .bytes(_, name): name
        }
    }

    /// A file on disk; its format is recognised from its root element when not given.
    public init(path: String, format: ReferentialFormat? = nil, settings: ReferentialSettings = .init()) throws(InvalidInput) {
        content = .path(path)
        if let format { self.format = format } else { self.format = try ReferentialFormat.detect(path: path) }
        self.settings = settings
    }

    /// A file sent (an upload), read from memory: `name` only labels the errors.
    public init(bytes: [UInt8], name: String, format: ReferentialFormat? = nil,
                settings: ReferentialSettings = .init()) throws(InvalidInput) {
        content = .bytes(bytes, name: name)
        if let format { self.format = format } else { self.format = try ReferentialFormat.detect(bytes: bytes, name: name) }
        self.settings = settings
    }

    /// Streams the referentials; returns the RNCP summary when the file is an RNCP export.
    @discardableResult
    public func forEach(_ body: (Referential) throws -> Void) throws -> RNCPExportReader.Summary? {
        switch format {
        case .acquis:
            switch content {
            case let .path(path): try body(try AcquisReferentialReader.read(path: path))
            case let .bytes(bytes, name): try body(try AcquisReferentialReader.read(bytes: bytes, name: name))
            }
            return nil
        case .rncp:
            let reader = switch content {
            case let .path(path): RNCPExportReader(path: path, fiches: settings.fiches, scaleCode: settings.scaleCode)
            case let .bytes(bytes, name): RNCPExportReader(bytes: bytes, name: name, fiches: settings.fiches, scaleCode: settings.scaleCode)
            }
            return try reader.forEach(body)
        case .sacoche:
            // A SACoche export holds the tree only: its code and title are asked for, never
            // guessed from the file name.
            guard let code = settings.code, let title = settings.title else {
                throw InvalidInput(Diagnostic(file: name, line: 1, field: "arbre",
                    message: "un export SACoche ne dit pas de quel référentiel il s’agit : indiquez son code et son intitulé "
                        + "(par exemple \(suggestedCode) et « Vente, seconde »)"))
            }
            let reader = SACocheReferentialReader(code: code, title: title, version: settings.version, scaleCode: settings.scaleCode)
            switch content {
            case let .path(path): try body(try reader.read(path: path))
            case let .bytes(bytes, name): try body(try reader.read(bytes: bytes, name: name))
            }
            return nil
        }
    }

    /// Every referential of the file, for a file small enough to hold (an upload).
    public func all() throws -> (referentials: [Referential], summary: RNCPExportReader.Summary?) {
        var referentials: [Referential] = []
        let summary = try forEach { referentials.append($0) }
        return (referentials, summary)
    }

    /// `maths-6e.xml` → `MATHS-6E`: a suggestion in messages, never a code taken silently.
    public var suggestedCode: String {
        let name = name.split(separator: "/").last.map(String.init) ?? name
        let base = name.hasSuffix(".xml") ? String(name.dropLast(4)) : name
        return String(base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
