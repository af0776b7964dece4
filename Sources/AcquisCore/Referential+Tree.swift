extension Referential {
    /// A node together with where it stands in the tree.
    public struct Entry: Sendable {
        public var node: ReferentialNode
        /// Codes of the ancestors, from the top of the tree down to the parent.
        public var ancestorCodes: [String]
        public var depth: Int { ancestorCodes.count }
    }

    /// Every node, depth first, parents before their children, in document order.
    public var entries: [Entry] {
        var result: [Entry] = []
        func visit(_ nodes: [ReferentialNode], ancestors: [String]) {
            for node in nodes {
                result.append(Entry(node: node, ancestorCodes: ancestors))
                visit(node.children, ancestors: ancestors + [node.code])
            }
        }
        visit(children, ancestors: [])
        return result
    }

    public func node(code: String) -> ReferentialNode? {
        entries.first { $0.node.code == code }?.node
    }

    /// Every node that can be evaluated, in document order.
    public var evaluableNodes: [ReferentialNode] {
        var found: [ReferentialNode] = []
        func visit(_ nodes: [ReferentialNode]) {
            for node in nodes {
                if node.isEvaluable { found.append(node) }
                visit(node.children)
            }
        }
        visit(children)
        return found
    }

    /// How many nodes the tree has, counted without copying them (a national export has
    /// three quarters of a million).
    public var nodeCount: Int {
        func count(_ nodes: [ReferentialNode]) -> Int { nodes.reduce(nodes.count) { $0 + count($1.children) } }
        return count(children)
    }
}

extension ReferentialNode {
    /// This node and every node under it that can be evaluated, in document order.
    public var evaluableSubtree: [ReferentialNode] {
        (isEvaluable ? [self] : []) + children.flatMap(\.evaluableSubtree)
    }
}

/// Something wrong with a referential's content, whatever file format it came from.
public struct ReferentialProblem: Hashable, Sendable, CustomStringConvertible {
    public var nodeCode: String?
    public var message: String

    public init(nodeCode: String? = nil, message: String) {
        self.nodeCode = nodeCode
        self.message = message
    }

    public var description: String {
        if let nodeCode { return "\(nodeCode): \(message)" }
        return message
    }
}

extension Referential {
    /// Checks the rules no file format can express alone: codes are unique, every node
    /// has a title, something is evaluable, and the scale is known.
    ///
    /// - Parameter knownScales: the scales the referential may name, besides its embedded one.
    public func problems(knownScales: [Scale] = Scale.builtIn) -> [ReferentialProblem] {
        var problems: [ReferentialProblem] = []
        if code.isBlank { problems.append(.init(message: "le référentiel n’a pas de code")) }
        if version.isBlank { problems.append(.init(message: "le référentiel n’a pas de version")) }
        if title.isBlank { problems.append(.init(message: "le référentiel n’a pas de titre")) }
        if let from = validity.from, let until = validity.until, until < from {
            problems.append(.init(message: "la validité se termine (\(until)) avant de commencer (\(from))"))
        }

        // One walk of the tree in document order, without copying its nodes: every fiche of a
        // national export is checked.
        var seen = Set<String>(), hasEvaluable = false
        func check(_ nodes: [ReferentialNode], under parent: String) {
            for node in nodes {
                if node.code.isBlank {
                    problems.append(.init(message: "un nœud (\(node.kind.frenchName.lowercased())) sous \(parent) n’a pas de code"))
                } else if !seen.insert(node.code).inserted {
                    problems.append(.init(nodeCode: node.code, message: "ce code est utilisé par plusieurs nœuds ; chaque code doit être unique dans un référentiel"))
                }
                if node.title.isBlank {
                    problems.append(.init(nodeCode: node.code, message: "ce nœud (\(node.kind.frenchName.lowercased())) n’a pas de titre"))
                }
                hasEvaluable = hasEvaluable || node.isEvaluable
                check(node.children, under: node.code)
            }
        }
        check(children, under: code)
        if children.isEmpty {
            problems.append(.init(message: "le référentiel ne contient ni bloc, ni domaine, ni compétence"))
        } else if !hasEvaluable {
            problems.append(.init(message: "aucun nœud n’est évaluable : marquez des compétences ou des items comme évaluables"))
        }
        if let embeddedScale {
            if embeddedScale.code != scaleCode {
                problems.append(.init(message: "l’échelle incluse s’appelle \(embeddedScale.code) mais le référentiel désigne \(scaleCode)"))
            }
            problems += embeddedScale.problems().map { ReferentialProblem(message: "échelle \(embeddedScale.code) : \($0)") }
        } else if !knownScales.contains(where: { $0.code == scaleCode }) {
            let names = knownScales.map(\.code).joined(separator: ", ")
            problems.append(.init(message: "échelle inconnue \(scaleCode) ; utilisez \(names) ou incluez l’échelle dans le fichier"))
        }
        return problems
    }
}

extension String {
    var isBlank: Bool {
        allSatisfy(\.isWhitespace)
    }
}

extension Referential {
    /// The scale evaluations of this referential are recorded with: the embedded one, or
    /// the built-in scale it names.
    public var scale: Scale? {
        embeddedScale ?? Scale.builtIn(code: scaleCode)
    }
}

/// Orders version labels the way people read them: `2` before `10`, `2019` before
/// `2023-12-19`, `1.2` before `1.10`.
public enum VersionOrder {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let left = components(lhs), right = components(rhs)
        for (l, r) in zip(left, right) where l != r {
            switch (l, r) {
            case let (.number(a), .number(b)): return a < b
            case let (.text(a), .text(b)): return a < b
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
        return left.count < right.count
    }

    private enum Component: Equatable {
        case number(Int)
        case text(String)
    }

    private static func components(_ version: String) -> [Component] {
        var result: [Component] = []
        var current = ""
        var inNumber = false
        func flush() {
            guard !current.isEmpty else { return }
            result.append(inNumber ? Int(current).map(Component.number) ?? .text(current) : .text(current))
            current = ""
        }
        for character in version {
            if character.isNumber != inNumber { flush(); inNumber = character.isNumber }
            if character.isLetter || character.isNumber { current.append(character) } else { flush() }
        }
        flush()
        return result
    }
}
