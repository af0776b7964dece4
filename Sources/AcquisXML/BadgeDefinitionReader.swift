import AcquisBadges
import AcquisCore

/// Reads a badge definition file: the badges a school adds to the standard ones of its
/// referentials, transversal badges awarded by hand or badges with their own rule.
///
/// ```xml
/// <badges xmlns="urn:acquis:badges:1">
///   <badge code="PFMP-ENGAGEMENT" rule="manual" color="#6A1B9A" validity-months="36">
///     <name>Engagement en entreprise</name>
///     <description>…</description>
///     <criteria>…</criteria>
///   </badge>
///   <badge code="EPC-ACCUEIL" rule="acquired" referential="CAP-EPC" version="2019" node="B3">…</badge>
///   <badge code="SOCLE-FRA-TBM" rule="level" referential="SOCLE-2015" version="2015" node="CPD_FRA" level="TBM">…</badge>
/// </badges>
/// ```
public enum BadgeDefinitionReader {
    public static func read(path: String) throws(InvalidInput) -> [BadgeClass] {
        let reader = try XMLStreamReader(path: path)
        var badges: [BadgeClass] = []
        var lines: [String: Int] = [:]
        var more = reader.read()
        while more && !reader.isElementStart { more = reader.read() }
        guard more, reader.hasLocalName("badges") else {
            reader.sink.add(line: reader.line, field: reader.localName, "un fichier de définition de badges est attendu, d’élément racine <badges>")
            _ = reader.finish()
            throw InvalidInput(reader.sink.report)
        }
        reader.forEachChild {
            guard reader.hasLocalName("badge") else {
                reader.sink.add(line: reader.line, field: reader.localName, "élément inattendu ; seuls des <badge> sont permis ici")
                return
            }
            let line = reader.line
            guard let badge = readBadge(reader, line: line) else { return }
            if let first = lines[badge.code] {
                reader.sink.add(line: line, field: "badge@code", "badge « \(badge.code) » déjà défini ligne \(first)")
            } else {
                lines[badge.code] = line
                badges.append(badge)
            }
        }
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        return badges
    }

    private static func readBadge(_ reader: XMLStreamReader, line: Int) -> BadgeClass? {
        let code = reader.attribute("code")?.collapsingWhitespace() ?? ""
        let rule = rule(reader, line: line)
        let color = reader.attribute("color") ?? "#6A1B9A"
        var validity: Int?
        if let text = reader.attribute("validity-months") {
            validity = Int(text)
            if validity == nil || validity! <= 0 {
                reader.sink.add(line: line, field: "badge@validity-months", "« \(text) » n’est pas un nombre de mois")
            }
        }
        if !color.isHexColor {
            reader.sink.add(line: line, field: "badge@color", "couleur « \(color) » illisible ; attendu par exemple #2E7D32")
        }
        var name = "", description = "", criteria = ""
        var alignments: [BadgeAlignment] = []
        reader.forEachChild {
            if reader.hasLocalName("name") {
                name = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("description") {
                description = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("criteria") {
                criteria = reader.readString().trimmingWhitespace()
            } else if reader.hasLocalName("alignment") {
                guard let target = reader.attribute("name"), !target.isEmpty else {
                    reader.sink.add(line: reader.line, field: "alignment@name", "nom de la cible de l’alignement manquant")
                    return
                }
                alignments.append(BadgeAlignment(targetName: target, targetURL: reader.attribute("url"),
                                                 targetFramework: reader.attribute("framework"),
                                                 targetCode: reader.attribute("code")))
            }
        }
        for (field, value) in [("badge@code", code), ("badge/name", name), ("badge/description", description),
                               ("badge/criteria", criteria)] where value.isEmpty {
            reader.sink.add(line: line, field: field, "\(field.split(separator: "/").last.map(String.init) ?? field) manquant")
        }
        guard let rule, !code.isEmpty, !name.isEmpty, !description.isEmpty, !criteria.isEmpty else { return nil }
        return BadgeClass(code: code, name: name, description: description, criteria: criteria, rule: rule,
                          alignments: alignments, color: color, validityMonths: validity)
    }

    private static func rule(_ reader: XMLStreamReader, line: Int) -> BadgeRule? {
        let kind = reader.attribute("rule") ?? "manual"
        if kind == "manual" { return .manual }
        guard kind == "acquired" || kind == "level" else {
            reader.sink.add(line: line, field: "badge@rule", "règle « \(kind) » inconnue ; attendu manual, acquired ou level")
            return nil
        }
        var missing: [String] = []
        let referential = reader.attribute("referential") ?? { missing.append("referential"); return "" }()
        let version = reader.attribute("version") ?? { missing.append("version"); return "" }()
        let node = reader.attribute("node") ?? { missing.append("node"); return "" }()
        let level = kind == "level" ? reader.attribute("level") ?? { missing.append("level"); return "" }() : ""
        guard missing.isEmpty else {
            for attribute in missing {
                reader.sink.add(line: line, field: "badge@\(attribute)", "attribut \(attribute) manquant pour la règle « \(kind) »")
            }
            return nil
        }
        let key = ReferentialKey(code: referential, version: version)
        return kind == "level" ? .minimumLevel(key, node: node, level: level) : .allAcquired(key, node: node)
    }
}

extension String {
    var isHexColor: Bool {
        count == 7 && hasPrefix("#") && dropFirst().allSatisfy(\.isHexDigit)
    }
}
