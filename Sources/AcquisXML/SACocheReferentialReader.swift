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
        let reader = try XMLStreamReader(path: path)
        var referential = Referential(code: code, version: version, title: title, kind: .diplome,
                                      source: "Export SACoche", scaleCode: scaleCode)
        var domains: [ReferentialNode] = []
        var lines: [String: Int] = [:]

        func required(_ name: String) -> String {
            guard let value = reader.attribute(name).map(normalizedText), !value.isEmpty else {
                reader.sink.add(line: reader.line, field: "\(reader.localName)@\(name)", "attribut obligatoire manquant")
                return ""
            }
            return value
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
                let nodeCode = reader.attribute("ref").map(normalizedText).flatMap { $0.isEmpty ? nil : $0 }
                    ?? domainCode
                lines[nodeCode] = line
                domains.append(ReferentialNode(kind: .domain, code: nodeCode, title: required("nom")))
            case (2, "theme"):
                guard !domains.isEmpty else { continue }
                let parent = domains[domains.count - 1]
                let code = reader.attribute("ref").map(normalizedText).flatMap { $0.isEmpty ? nil : $0 }
                    ?? "\(parent.code)\(parent.children.count + 1)"
                lines[code] = line
                domains[domains.count - 1].children.append(
                    ReferentialNode(kind: .domain, code: code, title: required("nom"), term: "Thème"))
            case (3, "item"):
                guard var theme = domains.last?.children.last else { continue }
                let code = reader.attribute("ref").map(normalizedText).flatMap { $0.isEmpty ? nil : $0 }
                    ?? "\(theme.code).\(theme.children.count + 1)"
                lines[code] = line
                theme.children.append(ReferentialNode(kind: .competency, code: code, title: required("nom"), term: "Item"))
                domains[domains.count - 1].children[domains[domains.count - 1].children.count - 1] = theme
            case (4, "socle"):
                guard let cycle = reader.attribute("cycle"), let component = reader.attribute("composante"),
                      var theme = domains.last?.children.last, !theme.children.isEmpty
                else { continue }
                theme.children[theme.children.count - 1].externalCodes.append(
                    ExternalCode(system: "socle-sacoche", value: "cycle\(cycle):\(component)"))
                domains[domains.count - 1].children[domains[domains.count - 1].children.count - 1] = theme
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
