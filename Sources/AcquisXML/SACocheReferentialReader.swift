import AcquisCore

/// Reads SACoche's referential exchange XML (`arbre > domaine > theme > item > socle`).
///
/// The file carries the tree only: the referential's code, title and version come from
/// the caller. Domains and themes become domains; items, which SACoche evaluates, become
/// competencies shown with the word « Item »; links to the socle become external codes.
public struct SACocheReferentialReader: Sendable {
    public var code: String
    public var title: String
    public var version: String
    public var scaleCode: String

    public init(code: String, title: String, version: String = "1", scaleCode: String = Scale.benevolent.code) {
        self.code = code
        self.title = title
        self.version = version
        self.scaleCode = scaleCode
    }

    public func read(path: String) throws(InvalidInput) -> Referential {
        try read(try XMLStreamReader(path: path), named: path)
    }

    /// An export held in memory (an upload); `name` labels its diagnostics.
    public func read(bytes: [UInt8], name: String) throws(InvalidInput) -> Referential {
        try read(try XMLStreamReader(bytes: bytes, name: name), named: name)
    }

    private func read(_ reader: XMLStreamReader, named path: String) throws(InvalidInput) -> Referential {
        var referential = Referential(code: code, version: version, title: title, kind: .diplome,
                                      source: "Export SACoche", scaleCode: scaleCode)
        var domains: [ReferentialNode] = []
        var lines: [String: Int] = [:]

        func optional(_ name: String) -> String? {
            guard let value = reader.attribute(name)?.collapsingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        func required(_ name: String) -> String {
            guard let value = optional(name) else {
                reader.sink.add(line: reader.line, field: "\(reader.localName)@\(name)", "attribut obligatoire manquant")
                return ""
            }
            return value
        }
        /// Applies `change` to the theme being read, if any.
        func updateCurrentTheme(_ change: (inout ReferentialNode) -> Void) {
            guard let domain = domains.indices.last, let theme = domains[domain].children.indices.last else { return }
            change(&domains[domain].children[theme])
        }

        var more = reader.read()
        while more {
            defer { more = reader.read() }
            guard reader.isElementStart else { continue }
            let line = reader.line
            switch (reader.depth, reader.localName) {
            case (0, "arbre"):
                break
            case (0, let other):
                reader.sink.add(line: line, field: other, "un référentiel SACoche est attendu, dont l’élément racine est arbre")
                more = false
            case (1, "domaine"):
                let domainCode = required("code")
                let nodeCode = optional("ref") ?? domainCode
                lines[nodeCode] = line
                domains.append(ReferentialNode(kind: .domain, code: nodeCode, title: required("nom")))
            case (2, "theme"):
                guard !domains.isEmpty else { continue }
                let parent = domains[domains.count - 1]
                let code = optional("ref") ?? "\(parent.code)\(parent.children.count + 1)"
                lines[code] = line
                domains[domains.count - 1].children.append(
                    ReferentialNode(kind: .domain, code: code, title: required("nom"), term: "Thème"))
            case (3, "item"):
                updateCurrentTheme { theme in
                    let code = optional("ref") ?? "\(theme.code).\(theme.children.count + 1)"
                    lines[code] = line
                    theme.children.append(ReferentialNode(kind: .competency, code: code, title: required("nom"), term: "Item"))
                }
            case (4, "socle"):
                guard let cycle = reader.attribute("cycle"), let component = reader.attribute("composante") else { continue }
                updateCurrentTheme { theme in
                    guard let item = theme.children.indices.last else { return }
                    theme.children[item].externalCodes.append(
                        ExternalCode(system: "socle-sacoche", value: "cycle\(cycle):\(component)"))
                }
            default:
                break
            }
        }
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        referential.children = domains
        let problems = referential.problems()
        guard problems.isEmpty else {
            throw InvalidInput(problems.map {
                Diagnostic(file: path, line: $0.nodeCode.flatMap { lines[$0] }, field: $0.nodeCode, message: $0.message)
            })
        }
        return referential
    }
}
