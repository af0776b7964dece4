import AcquisCore
import CLibXML2
import Foundation

/// Process-wide libxml2 settings, applied once before the first document is read.
enum LibXML2 {
    static let configured: Void = {
        xmlInitParser()
        acquis_forbidExternalEntities()
        acquis_silenceGenericErrors()
    }()

    /// Never substitute entities, never touch the network, never load a DTD; keep line
    /// numbers exact beyond 65,535.
    static let safeOptions: Int32 = Int32(bitPattern:
        XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOCDATA.rawValue)
}

/// Collects the errors libxml2 reports for one document, as diagnostics.
final class DiagnosticSink {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var dropped = 0
    private let limit: Int

    init(file: String, limit: Int = 500) {
        self.file = file
        self.limit = limit
    }

    var isEmpty: Bool { diagnostics.isEmpty }

    func add(_ diagnostic: Diagnostic) {
        if diagnostics.count < limit {
            diagnostics.append(diagnostic)
        } else {
            dropped += 1
        }
    }

    /// Keeps only this diagnostic: what the parser said after a refused DOCTYPE follows from it.
    func replaceAll(line: Int?, field: String?, _ message: String) {
        diagnostics = []
        dropped = 0
        add(line: line, field: field, message)
    }

    func add(line: Int?, column: Int? = nil, field: String? = nil, _ message: String) {
        add(Diagnostic(file: file, line: line, column: column, field: field, message: message))
    }

    /// All diagnostics, with a last line counting those left out.
    var report: [Diagnostic] {
        guard dropped > 0 else { return diagnostics }
        return diagnostics + [Diagnostic(file: file, message: "\(dropped) autres erreurs non affichées")]
    }

    fileprivate func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var message = error.message.map { String(cString: $0) } ?? "erreur XML inconnue"
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !LibXML2Messages.isNoise(message) else { return }
        let (field, text) = Self.splitSchemaMessage(message)
        let column = UInt32(bitPattern: error.domain) == XML_FROM_SCHEMASV.rawValue ? nil : Int(error.int2)
        add(line: Int(error.line), column: column, field: field, Self.explain(code: error.code, text))
    }

    /// Schema errors read "Element '{ns}block', attribute 'code': [facet 'pattern'] …":
    /// the element and attribute become the field, without the namespace noise.
    static func splitSchemaMessage(_ message: String) -> (field: String?, text: String) {
        let cleaned = message.replacingOccurrences(
            of: #"\{[^}]*\}"#, with: "", options: .regularExpression)
        guard cleaned.hasPrefix("Element '"),
              let range = cleaned.range(of: "': ")
        else { return (nil, cleaned) }
        var field = String(cleaned[cleaned.index(cleaned.startIndex, offsetBy: 9)..<range.lowerBound])
        field = field.replacingOccurrences(of: "', attribute '", with: "@")
        return (field, String(cleaned[range.upperBound...]))
    }

    /// Adds what to do to the libxml2 messages users meet most.
    static func explain(code: Int32, _ text: String) -> String {
        switch UInt32(bitPattern: code) {
        case XML_ERR_DOCUMENT_EMPTY.rawValue:
            return "le fichier est vide ; un document XML est attendu"
        case XML_ERR_INVALID_CHAR.rawValue, XML_ERR_INVALID_ENCODING.rawValue:
            return "\(text) — enregistrez le fichier en UTF-8 ou déclarez son encodage réel dans la déclaration XML"
        case XML_ERR_ENTITY_LOOP.rawValue:
            return "expansion d’entités refusée (libxml2 : \(text))"
        default:
            return LibXML2Messages.french(text)
        }
    }
}

private func recordStructuredError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    Unmanaged<DiagnosticSink>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}

/// A forward-only cursor over an XML file, on libxml2's streaming reader: memory stays
/// flat whatever the file size. Optionally validates against an XSD while it reads.
final class XMLStreamReader {
    enum NodeType: Int32 {
        case element = 1, text = 3, cdata = 4, documentType = 10, significantWhitespace = 14, endElement = 15
    }

    let sink: DiagnosticSink
    private let reader: xmlTextReaderPtr
    private let descriptor: Int32
    /// The document when read from memory: libxml2 reads it in place, so it lives as long as the reader.
    private let buffer: UnsafeMutableBufferPointer<CChar>?
    private var checkedEntities = false
    private let hasSchema: Bool
    private let prolog: XMLProlog

    /// Opens `path` for reading. Throws when the file cannot be opened.
    init(path: String, schema: CompiledSchema? = nil) throws(InvalidInput) {
        _ = LibXML2.configured
        let fileName = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InvalidInput(Diagnostic(file: fileName, message: "impossible d’ouvrir le fichier (\(reason))"))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 && status.st_size == 0 {
            close(descriptor)
            throw InvalidInput(Diagnostic(file: fileName, line: 1, message: "le fichier est vide ; un document XML est attendu"))
        }
        var head = [UInt8](repeating: 0, count: 65_536)
        let count = pread(descriptor, &head, head.count, 0)
        prolog = XMLProlog(head: head.prefix(max(0, count)))
        if let problem = prolog.notXML {
            close(descriptor)
            throw InvalidInput(Diagnostic(file: fileName, line: 1, message: problem))
        }
        guard let reader = xmlReaderForFd(descriptor, path, nil, LibXML2.safeOptions) else {
            close(descriptor)
            throw InvalidInput(Diagnostic(file: fileName, message: "libxml2 n’a pas pu commencer la lecture du fichier"))
        }
        self.reader = reader
        self.buffer = nil
        self.sink = DiagnosticSink(file: fileName)
        self.hasSchema = schema != nil
        try attach(schema)
    }

    /// Reads a document held in memory, named `name` in diagnostics.
    init(bytes: some Collection<UInt8>, name: String, schema: CompiledSchema? = nil) throws(InvalidInput) {
        _ = LibXML2.configured
        guard !bytes.isEmpty else {
            throw InvalidInput(Diagnostic(file: name, line: 1, message: "le fichier est vide ; un document XML est attendu"))
        }
        prolog = XMLProlog(head: bytes.prefix(65_536))
        if let problem = prolog.notXML { throw InvalidInput(Diagnostic(file: name, line: 1, message: problem)) }
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes.map { CChar(bitPattern: $0) })
        guard let reader = xmlReaderForMemory(buffer.baseAddress, Int32(bytes.count), name, nil, LibXML2.safeOptions) else {
            buffer.deallocate()
            throw InvalidInput(Diagnostic(file: name, message: "libxml2 n’a pas pu commencer la lecture du document"))
        }
        self.reader = reader
        self.buffer = buffer
        self.descriptor = -1
        self.sink = DiagnosticSink(file: name)
        self.hasSchema = schema != nil
        try attach(schema)
    }

    private func attach(_ schema: CompiledSchema?) throws(InvalidInput) {
        guard let schema else { return }
        guard xmlTextReaderSetSchema(reader, schema.pointer) == 0 else {
            throw InvalidInput(Diagnostic(file: sink.file, message: "le schéma n’a pas pu être associé au lecteur"))
        }
    }

    deinit {
        xmlFreeTextReader(reader)
        if descriptor >= 0 { close(descriptor) }
        buffer?.deallocate()
    }

    /// Sends the errors libxml2 raises during `body` to this reader's sink. Routed around
    /// each parsing step only, so that no thread is ever left pointing at a sink that was
    /// freed, and two readers alive on one thread never mix their errors.
    private func routingErrors<T>(_ body: () -> T) -> T {
        acquis_routeErrors(Unmanaged.passUnretained(sink).toOpaque(), recordStructuredError)
        defer { acquis_routeErrors(nil, nil) }
        return body()
    }

    /// Moves to the next node. Returns false at the end of the document or on a fatal
    /// error (then recorded in ``sink``).
    func read() -> Bool {
        let status = routingErrors { xmlTextReaderRead(reader) }
        return status == 1 && acceptsCurrentNode()
    }

    /// Skips the current node and its whole subtree.
    func skipSubtree() -> Bool {
        let status = routingErrors { xmlTextReaderNext(reader) }
        return status == 1 && acceptsCurrentNode()
    }

    /// Entity declarations are refused on sight: no Acquis format needs them, and they are
    /// the vector of expansion bombs and of external entity disclosure.
    /// An external DTD is refused too: it is never loaded, so a file that relies on one would
    /// be read otherwise than its author meant.
    private func acceptsCurrentNode() -> Bool {
        guard !checkedEntities else { return true }
        if nodeType == .element || nodeType == .documentType {
            checkedEntities = true
            let doctypeLine = prolog.doctypeLine ?? Int(xmlTextReaderGetParserLineNumber(reader))
            if acquis_documentDeclaresEntities(xmlTextReaderCurrentDoc(reader)) != 0 {
                sink.replaceAll(line: doctypeLine, field: "DOCTYPE",
                         "le document déclare des entités ; par sécurité, les déclarations d’entités sont refusées — supprimez le DOCTYPE")
                return false
            }
            if prolog.externalDTD {
                sink.replaceAll(line: doctypeLine, field: "DOCTYPE",
                         "le document renvoie à une DTD externe, qui n’est jamais lue ; par sécurité, il est refusé — supprimez le DOCTYPE")
                return false
            }
        }
        return true
    }

    /// After the last read: records a diagnostic if schema validation failed silently, and
    /// tells whether the document was read without any error.
    func finish() -> Bool {
        if !checkedEntities && sink.isEmpty {
            sink.add(line: nil, "le fichier est vide ou ne contient aucun élément XML")
        }
        if hasSchema && sink.isEmpty && xmlTextReaderIsValid(reader) != 1 {
            sink.add(line: nil, "le document n’est pas conforme à son schéma")
        }
        return sink.isEmpty
    }

    /// Calls `body` on the start tag of each child element of the current element, then
    /// leaves the reader on the current element's end. `body` may read into the child;
    /// whatever it leaves unread is skipped.
    func forEachChild(_ body: () throws -> Void) rethrows {
        guard isElementStart, !isEmptyElement else { return }
        let parentDepth = depth
        var more = read()
        while more {
            if isElementEnd && depth == parentDepth { return }
            if isElementStart && depth == parentDepth + 1 {
                try body()
                more = skipSubtree()
            } else {
                more = read()
            }
        }
    }

    var nodeType: NodeType? {
        NodeType(rawValue: xmlTextReaderNodeType(reader))
    }

    var isElementStart: Bool { nodeType == .element }
    var isElementEnd: Bool { nodeType == .endElement }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    /// Compares the local name without building a Swift string: the hot path of big imports.
    func hasLocalName(_ name: StaticString) -> Bool {
        guard let current = xmlTextReaderConstLocalName(reader) else { return false }
        return name.withUTF8Buffer { buffer in
            strcmp(UnsafeRawPointer(current).assumingMemoryBound(to: CChar.self),
                   UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)) == 0
        }
    }

    /// Line of the current node in the file.
    var line: Int {
        guard let node = xmlTextReaderCurrentNode(reader) else { return 0 }
        return Int(xmlGetLineNo(node))
    }

    func attribute(_ name: String) -> String? {
        guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { acquis_xmlFree(value) }
        return String(cString: value)
    }

    /// The text content of the current element, entities and character references decoded.
    func readString() -> String {
        guard let value = routingErrors({ xmlTextReaderReadString(reader) }) else { return "" }
        defer { acquis_xmlFree(value) }
        return String(cString: value)
    }

    /// The content of the current element as HTML source: its markup when it holds child
    /// elements, its decoded text when the HTML was escaped or wrapped in CDATA.
    func readEmbeddedHTML() -> String {
        guard let node = routingErrors({ xmlTextReaderExpand(reader) }) else { return "" }
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                guard let inner = routingErrors({ xmlTextReaderReadInnerXml(reader) }) else { return "" }
                defer { acquis_xmlFree(inner) }
                return String(cString: inner)
            }
            child = current.pointee.next
        }
        return readString()
    }
}

/// An XSD compiled once and shared by every reader that validates against it.
final class CompiledSchema: @unchecked Sendable {
    // Safe to share: libxml2 never mutates a compiled schema during validation.
    let pointer: xmlSchemaPtr

    init(contents: [UInt8], name: String) throws(InvalidInput) {
        _ = LibXML2.configured
        let parsed: xmlSchemaPtr? = contents.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let context = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(context) }
                return xmlSchemaParse(context)
            }
        }
        guard let parsed else {
            throw InvalidInput(Diagnostic(file: name, message: "le schéma XML n’a pas pu être compilé"))
        }
        pointer = parsed
    }

    deinit {
        xmlSchemaFree(pointer)
    }

    /// The XSD of the Acquis referential format, shipped with the module.
    static let referential = shipped("acquis-referential")

    /// The XSD of correspondences between two versions of a referential.
    static let correspondence = shipped("acquis-correspondence")

    /// The official LSU import schema (`import-bilan-complet.xsd`), an unmodified copy.
    static let lsu = shipped("lsu-import-bilan-complet")

    private static func shipped(_ name: String) -> CompiledSchema {
        guard let url = Bundle.module.url(forResource: name, withExtension: "xsd", subdirectory: "Schema"),
              let data = try? Data(contentsOf: url)
        else { fatalError("\(name).xsd is missing from the AcquisXML resources") }
        do {
            return try CompiledSchema(contents: Array(data), name: url.lastPathComponent)
        } catch {
            fatalError("\(name).xsd does not compile: \(error)")
        }
    }
}
