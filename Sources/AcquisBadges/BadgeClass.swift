import AcquisCore

/// A badge a school can award: what it recognises, how it is earned, and how it aligns to
/// an official referential.
///
/// A badge class is identified by its ``code`` inside a school. The code ends up in public
/// URLs (the hosted Open Badges documents), so it never changes once badges were awarded.
public struct BadgeClass: Hashable, Sendable {
    public var code: String
    /// The name a student and an employer read, e.g. « Bloc 1 – Recevoir et suivre les commandes ».
    public var name: String
    public var description: String
    /// What a student did to earn it, in words (Markdown allowed by Open Badges).
    public var criteria: String
    public var rule: BadgeRule
    public var alignments: [BadgeAlignment]
    /// The colour of the badge art, `#RRGGBB`.
    public var color: String
    /// How long an awarded badge stays valid; `nil` for ever.
    public var validityMonths: Int?

    public init(code: String, name: String, description: String, criteria: String, rule: BadgeRule,
                alignments: [BadgeAlignment] = [], color: String = "#2E7D32", validityMonths: Int? = nil) {
        self.code = code
        self.name = name
        self.description = description
        self.criteria = criteria
        self.rule = rule
        self.alignments = alignments
        self.color = color
        self.validityMonths = validityMonths
    }

    /// The code as it appears in URLs and file names: lower case, ASCII letters, digits and dashes.
    public var slug: String { Self.slug(code) }

    public static func slug(_ text: String) -> String {
        var result = ""
        for scalar in text.lowercased().decomposedASCII.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty && !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }
}

/// What a badge class points at in an official framework: an RNCP block, a competency, a
/// socle component.
public struct BadgeAlignment: Hashable, Sendable {
    public var targetName: String
    /// A page describing the target; when `nil`, publishers use the referential's page on the
    /// school's own site.
    public var targetURL: String?
    public var targetFramework: String?
    /// The official code: an RNCP block (`RNCP34947BC01`), an LSU component (`CPD_FRA`).
    public var targetCode: String?
    public var targetDescription: String?
    /// The referential and node the alignment was derived from, to build the fallback URL.
    public var referential: ReferentialKey?
    public var nodeCode: String?

    public init(targetName: String, targetURL: String? = nil, targetFramework: String? = nil, targetCode: String? = nil,
                targetDescription: String? = nil, referential: ReferentialKey? = nil, nodeCode: String? = nil) {
        self.targetName = targetName
        self.targetURL = targetURL
        self.targetFramework = targetFramework
        self.targetCode = targetCode
        self.targetDescription = targetDescription
        self.referential = referential
        self.nodeCode = nodeCode
    }
}

/// A referential version, as badge rules name it.
public struct ReferentialKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var code: String
    public var version: String

    public init(code: String, version: String) {
        self.code = code
        self.version = version
    }

    public var description: String { "\(code)@\(version)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.code, lhs.version) < (rhs.code, rhs.version)
    }
}

extension String {
    /// The text with French accents removed (`é` → `e`, `œ` → `oe`), for slugs. Other
    /// non-ASCII characters become dashes.
    var decomposedASCII: String {
        var result = ""
        for character in self {
            if character.isASCII {
                result.append(character)
            } else if let plain = Self.frenchLetters[character] {
                result += plain
            } else {
                result.append("-")
            }
        }
        return result
    }

    private static let frenchLetters: [Character: String] = {
        var table: [Character: String] = ["œ": "oe", "æ": "ae", "ç": "c", "ÿ": "y"]
        for (plain, accented) in [("a", "àâä"), ("e", "éèêë"), ("i", "îï"), ("o", "ôö"), ("u", "ùûü")] {
            for letter in accented { table[letter] = plain }
        }
        return table
    }()
}
