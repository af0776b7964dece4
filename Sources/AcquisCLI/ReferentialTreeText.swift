import AcquisCore

/// A referential as an indented tree for the terminal, with codes, external codes and the
/// reliability of unverified wording.
struct ReferentialTreeText {
    let referential: Referential

    init(_ referential: Referential) {
        self.referential = referential
    }

    var rendered: String {
        var lines = ["\(referential.title)",
                     "\(referential.code) · version \(referential.version) · \(referential.kind.rawValue) · échelle \(referential.scaleCode)"]
        if let source = referential.source { lines.append("Source : \(source)") }
        if !referential.externalCodes.isEmpty { lines.append("Codes : \(describe(referential.externalCodes))") }
        if let scale = referential.scale {
            let levels = scale.levels.map { "\($0.marker) \($0.code) \($0.teacherLabel)\($0.isAcquired ? " (acquis)" : "")" }
            lines.append("Niveaux : " + levels.joined(separator: " · "))
        }
        lines.append("")
        for entry in referential.entries {
            let node = entry.node
            let indent = String(repeating: "  ", count: entry.depth)
            var line = "\(indent)\(node.term ?? node.kind.frenchName) \(node.code) — \(node.title)"
            if node.titleReliability != .verified { line += " [libellé \(reliabilityLabel(node.titleReliability))]" }
            if !node.externalCodes.isEmpty { line += " (\(describe(node.externalCodes)))" }
            if node.isEvaluable { line += " ◆" }
            lines.append(line)
        }
        lines.append("")
        lines.append("◆ évaluable · \(referential.nodeCount) nœuds, \(referential.evaluableNodes.count) évaluables")
        return lines.joined(separator: "\n")
    }

    private func describe(_ codes: [ExternalCode]) -> String {
        codes.map { code in
            let mark = code.reliability == .verified ? "" : " ?"
            return "\(code.system.rawValue) \(code.value)\(mark)"
        }.joined(separator: ", ")
    }

    private func reliabilityLabel(_ reliability: Reliability) -> String {
        switch reliability {
        case .verified: "vérifié"
        case .partial: "partiellement vérifié"
        case .unverified: "non vérifié"
        }
    }
}
