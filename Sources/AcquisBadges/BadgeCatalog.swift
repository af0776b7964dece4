import AcquisCore

/// The badge classes every referential offers without anyone writing them: one per block
/// (every competency of the block acquired) and one per competency for a diploma; one per
/// socle component positioned at « maîtrise satisfaisante » or above; one per item of a livret.
public enum BadgeCatalog {
    /// The level a socle component must reach for its badge.
    public static let socleLevel = "MS"

    public static func standard(for referential: Referential, scale: Scale) -> [BadgeClass] {
        let key = ReferentialKey(code: referential.code, version: referential.version)
        var classes: [BadgeClass] = []
        for entry in referential.entries {
            let node = entry.node
            switch referential.kind {
            case .diplome:
                if node.kind == .block, !node.evaluableSubtree.isEmpty {
                    classes.append(blockBadge(node, referential, key, scale))
                } else if node.isEvaluable {
                    classes.append(competencyBadge(node, referential, key, scale))
                }
            case .socle:
                if node.isEvaluable, node.externalCodes.contains(where: { $0.system == .lsu }),
                   scale.levels.contains(where: { $0.code == socleLevel }) {
                    classes.append(socleBadge(node, referential, key, scale))
                }
            case .livret:
                if node.isEvaluable {
                    classes.append(competencyBadge(node, referential, key, scale))
                }
            }
        }
        return classes
    }

    private static func code(_ key: ReferentialKey, _ node: ReferentialNode) -> String {
        "\(key.code)-\(key.version)-\(node.code)"
    }

    private static func blockBadge(_ node: ReferentialNode, _ referential: Referential, _ key: ReferentialKey,
                                   _ scale: Scale) -> BadgeClass {
        let competencies = node.evaluableSubtree
        let list = competencies.map { "- \($0.code) \($0.title)" }.joined(separator: "\n")
        return BadgeClass(
            code: code(key, node),
            name: "\(blockLabel(node.code)) – \(node.title)",
            description: "Toutes les compétences du bloc « \(node.title) » du \(referential.title) sont acquises.",
            criteria: "Chacune des \(competencies.count) compétences du bloc est acquise, d’après les évaluations "
                + "des enseignants et des tuteurs :\n\(list)",
            rule: .allAcquired(key, node: node.code),
            alignments: [alignment(node, referential, key)],
            color: acquiredColor(scale))
    }

    private static func competencyBadge(_ node: ReferentialNode, _ referential: Referential, _ key: ReferentialKey,
                                        _ scale: Scale) -> BadgeClass {
        BadgeClass(
            code: code(key, node),
            name: "\(node.code) – \(node.title)",
            description: "Compétence « \(node.title) » du \(referential.title), acquise.",
            criteria: "La compétence est acquise (« \(acquiredLabel(scale)) » ou mieux), d’après les évaluations "
                + "des enseignants et des tuteurs.",
            rule: .allAcquired(key, node: node.code),
            alignments: [alignment(node, referential, key)],
            color: acquiredColor(scale))
    }

    private static func socleBadge(_ node: ReferentialNode, _ referential: Referential, _ key: ReferentialKey,
                                   _ scale: Scale) -> BadgeClass {
        let level = scale.levels.first { $0.code == socleLevel }!
        let higher = scale.levels.drop { $0.code != socleLevel }.map { "« \($0.studentLabel) »" }
        return BadgeClass(
            code: code(key, node),
            name: node.title,
            description: "Composante du socle commun « \(node.title) », maîtrisée de façon satisfaisante.",
            criteria: "Positionnement \(higher.joined(separator: " ou ")) sur cette composante du socle commun.",
            rule: .minimumLevel(key, node: node.code, level: socleLevel),
            alignments: [alignment(node, referential, key)],
            color: level.color)
    }

    /// « Bloc 1 » for `B1` or `BC01`; the code itself otherwise.
    static func blockLabel(_ code: String) -> String {
        let digits = code.drop { !$0.isNumber }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let number = Int(digits) else { return "Bloc \(code)" }
        return "Bloc \(number)"
    }

    private static func alignment(_ node: ReferentialNode, _ referential: Referential,
                                  _ key: ReferentialKey) -> BadgeAlignment {
        let official = node.externalCodes.first { $0.system == .rncp || $0.system == .lsu }
        let fiche = referential.externalCodes.first { $0.system == .rncp }
        let framework = fiche.map { "\(referential.title) (\($0.value))" } ?? referential.title
        return BadgeAlignment(
            targetName: node.title,
            targetURL: fiche.flatMap { rncpURL($0.value) },
            targetFramework: framework,
            targetCode: official?.value ?? node.code,
            targetDescription: official.map { $0.reliability == .verified ? nil : "Code officiel non vérifié." } ?? nil,
            referential: key,
            nodeCode: node.code)
    }

    /// The public page of an RNCP fiche on France compétences.
    static func rncpURL(_ fiche: String) -> String? {
        let number = fiche.drop { !$0.isNumber }
        guard !number.isEmpty, number.allSatisfy(\.isNumber) else { return nil }
        return "https://www.francecompetences.fr/recherche/rncp/\(number)/"
    }

    private static func acquiredLevel(_ scale: Scale) -> Scale.Level? {
        scale.levels.first(where: \.isAcquired)
    }

    private static func acquiredLabel(_ scale: Scale) -> String {
        acquiredLevel(scale)?.studentLabel ?? "acquis"
    }

    private static func acquiredColor(_ scale: Scale) -> String {
        acquiredLevel(scale)?.color ?? "#2E7D32"
    }
}
