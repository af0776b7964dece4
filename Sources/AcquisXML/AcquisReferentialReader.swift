import AcquisCore

/// Reads referentials in the Acquis XML format (`Referentiels/schema/acquis-referential.xsd`).
///
/// The file is validated against the XSD while it is streamed, then checked for the rules
/// the XSD cannot express (see ``Referential/problems(knownScales:)``). Every problem is
/// reported with its line, never just the first one.
public enum AcquisReferentialReader {
    public static func read(path: String) throws(InvalidInput) -> Referential {
        try read(try XMLStreamReader(path: path, schema: .referential), named: path)
    }

    /// Reads a file held in memory, such as an upload: nothing is written to disk, and `name`
    /// only labels the diagnostics.
    public static func read(bytes: [UInt8], name: String) throws(InvalidInput) -> Referential {
        try read(try XMLStreamReader(bytes: bytes, name: name, schema: .referential), named: name)
    }

    private static func read(_ reader: XMLStreamReader, named path: String) throws(InvalidInput) -> Referential {
        var state = State()
        while reader.read() {
            if reader.isElementStart {
                state.open(reader)
                if reader.isEmptyElement { state.close(reader.localName) }
            } else if reader.isElementEnd {
                state.close(reader.localName)
            }
        }
        guard reader.finish(), let referential = state.referential else {
            throw InvalidInput(reader.sink.report)
        }
        let problems = referential.problems()
        guard problems.isEmpty else {
            throw InvalidInput(problems.map { problem in
                Diagnostic(file: path, line: problem.nodeCode.flatMap { state.lines[$0] } ?? state.rootLine,
                           field: problem.nodeCode, message: problem.message)
            })
        }
        return referential
    }
}

private final class NodeBuilder {
    let kind: NodeKind
    let code: String
    let term: String?
    let evaluable: Bool?
    var title = ""
    var reliability = Reliability.verified
    var externalCodes: [ExternalCode] = []
    var children: [ReferentialNode] = []

    init(kind: NodeKind, code: String, term: String?, evaluable: Bool?) {
        self.kind = kind
        self.code = code
        self.term = term
        self.evaluable = evaluable
    }

    var node: ReferentialNode {
        ReferentialNode(kind: kind, code: code, title: title, titleReliability: reliability, term: term,
                        isEvaluable: evaluable, externalCodes: externalCodes, children: children)
    }
}

private struct State {
    var referential: Referential?
    var stack: [NodeBuilder] = []
    var lines: [String: Int] = [:]
    var rootLine = 1

    mutating func open(_ reader: XMLStreamReader) {
        let name = reader.localName
        if let kind = NodeKind(rawValue: name) {
            let code = reader.attribute("code") ?? ""
            lines[code] = lines[code] ?? reader.line
            stack.append(NodeBuilder(kind: kind, code: code, term: reader.attribute("term"),
                                     evaluable: reader.attribute("evaluable").map(parseBoolean)))
            return
        }
        switch name {
        case "referential":
            rootLine = reader.line
            referential = Referential(
                code: reader.attribute("code") ?? "",
                version: reader.attribute("version") ?? "",
                title: "",
                kind: reader.attribute("kind").flatMap(ReferentialKind.init(rawValue:)) ?? .diplome,
                scaleCode: reader.attribute("scale") ?? "")
        case "title":
            let reliability = reader.attribute("reliability").flatMap(Reliability.init(rawValue:)) ?? .verified
            let text = reader.readString().collapsingWhitespace()
            if let node = stack.last {
                node.title = text
                node.reliability = reliability
            } else {
                referential?.title = text
            }
        case "source":
            referential?.source = reader.readString().collapsingWhitespace()
        case "validity":
            referential?.validity = Validity(from: reader.attribute("from").flatMap(CalendarDate.init(iso:)),
                                             until: reader.attribute("until").flatMap(CalendarDate.init(iso:)))
        case "external-code":
            let code = ExternalCode(
                system: .init(rawValue: reader.attribute("system") ?? ""),
                value: reader.attribute("value") ?? "",
                reliability: reader.attribute("reliability").flatMap(Reliability.init(rawValue:)) ?? .verified)
            if let node = stack.last { node.externalCodes.append(code) } else { referential?.externalCodes.append(code) }
        case "scale":
            referential?.embeddedScale = Scale(code: reader.attribute("code") ?? "",
                                               title: reader.attribute("title") ?? "", levels: [], specialCodes: [])
        case "level":
            referential?.embeddedScale?.levels.append(Scale.Level(
                code: reader.attribute("code") ?? "",
                teacherLabel: reader.attribute("teacher-label") ?? "",
                studentLabel: reader.attribute("student-label") ?? "",
                color: reader.attribute("color") ?? "",
                marker: reader.attribute("marker") ?? "",
                isAcquired: reader.attribute("acquired").map(parseBoolean) ?? false,
                officialValue: reader.attribute("official-value")))
        case "special":
            referential?.embeddedScale?.specialCodes.append(Scale.SpecialCode(
                code: reader.attribute("code") ?? "",
                label: reader.attribute("label") ?? "",
                meaning: reader.attribute("meaning").flatMap(Scale.SpecialCode.Meaning.init(rawValue:)) ?? .notEvaluated,
                officialValue: reader.attribute("official-value")))
        default:
            break
        }
    }

    mutating func close(_ name: String) {
        guard NodeKind(rawValue: name) != nil, let builder = stack.popLast() else { return }
        if let parent = stack.last {
            parent.children.append(builder.node)
        } else {
            referential?.children.append(builder.node)
        }
    }
}

private func parseBoolean(_ text: String) -> Bool {
    text == "true" || text == "1"
}
