import AcquisCore

/// Reads correspondences between two versions of a referential
/// (`Referentiels/schema/acquis-correspondence.xsd`): what became of each competency that
/// did not keep its code.
///
/// The file is validated against its XSD while it is streamed; what can only be checked
/// against the two versions is checked by ``VersionLineage``, and reported on the lines
/// this reader remembers (``CorrespondenceFile/diagnostics(for:)``).
public enum CorrespondenceReader {
    public static func read(path: String) throws(InvalidInput) -> CorrespondenceFile {
        try read(try XMLStreamReader(path: path, schema: .correspondence), named: path)
    }

    /// Reads a file held in memory, such as an upload; `name` only labels the diagnostics.
    public static func read(bytes: [UInt8], name: String) throws(InvalidInput) -> CorrespondenceFile {
        try read(try XMLStreamReader(bytes: bytes, name: name, schema: .correspondence), named: name)
    }

    /// Whether the file's root element is a correspondence, reading no further than it.
    public static func isCorrespondence(path: String) -> Bool {
        guard let reader = try? XMLStreamReader(path: path) else { return false }
        while reader.read() {
            if reader.isElementStart { return reader.localName == "correspondence" }
        }
        return false
    }

    private static func read(_ reader: XMLStreamReader, named name: String) throws(InvalidInput) -> CorrespondenceFile {
        var correspondence: Correspondence?
        var lines: [String: Int] = [:]
        var rootLine = 1
        var open: (kind: String, code: String, codes: [String])?

        func remember(_ code: String) { lines[code] = lines[code] ?? reader.line }
        while reader.read() {
            if reader.isElementStart {
                switch reader.localName {
                case "correspondence":
                    rootLine = reader.line
                    correspondence = Correspondence(referentialCode: reader.attribute("referential") ?? "",
                                                    fromVersion: reader.attribute("from") ?? "",
                                                    toVersion: reader.attribute("to") ?? "", changes: [])
                case "renamed":
                    let from = reader.attribute("from") ?? "", to = reader.attribute("to") ?? ""
                    remember(from)
                    remember(to)
                    correspondence?.changes.append(.renamed(from: from, to: to))
                case "removed":
                    let code = reader.attribute("code") ?? ""
                    remember(code)
                    correspondence?.changes.append(.removed(code))
                case "split":
                    open = ("split", reader.attribute("from") ?? "", [])
                    remember(open!.code)
                case "merged":
                    open = ("merged", reader.attribute("into") ?? "", [])
                    remember(open!.code)
                case "into", "from":
                    let code = reader.attribute("code") ?? ""
                    remember(code)
                    open?.codes.append(code)
                default:
                    break
                }
            }
            let closing = reader.isElementEnd || (reader.isElementStart && reader.isEmptyElement)
            if closing, let group = open, reader.localName == group.kind {
                correspondence?.changes.append(group.kind == "split" ? .split(from: group.code, into: group.codes)
                                                                     : .merged(from: group.codes, into: group.code))
                open = nil
            }
        }
        guard reader.finish(), let correspondence else { throw InvalidInput(reader.sink.report) }
        let file = CorrespondenceFile(name: name, correspondence: correspondence, lines: lines, rootLine: rootLine)
        let problems = correspondence.problems
        guard problems.isEmpty else { throw InvalidInput(file.diagnostics(for: problems)) }
        return file
    }
}

/// A correspondence as read from a file, with the line each code was named on.
public struct CorrespondenceFile: Sendable {
    public var name: String
    public var correspondence: Correspondence
    var lines: [String: Int]
    var rootLine: Int

    /// The problems found by comparing the correspondence with the two versions, each on the
    /// line that names its code (the root element's line otherwise).
    public func diagnostics(for problems: [ReferentialProblem]) -> [Diagnostic] {
        problems.map { problem in
            Diagnostic(file: name, line: problem.nodeCode.flatMap { lines[$0] } ?? rootLine,
                       field: problem.nodeCode ?? "correspondence", message: problem.message)
        }
    }
}
