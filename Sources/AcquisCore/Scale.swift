/// An ordered, non-numeric scale of levels that evaluations are recorded with.
///
/// Levels go from the lowest to the highest. Each level carries two wordings: the one
/// teachers use and a positive one shown to students and families, so that the lowest
/// level reads as « pas encore », never as a failure.
public struct Scale: Hashable, Sendable, Identifiable {
    public var code: String
    public var title: String
    /// Lowest first.
    public var levels: [Level]
    /// Codes recorded instead of a level, which never count towards mastery.
    public var specialCodes: [SpecialCode]

    public var id: String { code }

    public init(code: String, title: String, levels: [Level], specialCodes: [SpecialCode]) {
        self.code = code
        self.title = title
        self.levels = levels
        self.specialCodes = specialCodes
    }

    public struct Level: Hashable, Sendable {
        /// What teachers type in a grid, e.g. `MS`.
        public var code: String
        public var teacherLabel: String
        public var studentLabel: String
        /// `#RRGGBB`.
        public var color: String
        /// A symbol that tells the level apart without colour, for colour-blind readers
        /// and black-and-white printing.
        public var marker: String
        public var isAcquired: Bool
        /// The value an official export expects, e.g. `3` for « Maîtrise satisfaisante » in LSU.
        public var officialValue: String?

        public init(
            code: String, teacherLabel: String, studentLabel: String, color: String,
            marker: String, isAcquired: Bool, officialValue: String? = nil
        ) {
            self.code = code
            self.teacherLabel = teacherLabel
            self.studentLabel = studentLabel
            self.color = color
            self.marker = marker
            self.isAcquired = isAcquired
            self.officialValue = officialValue
        }
    }

    public struct SpecialCode: Hashable, Sendable {
        public enum Meaning: String, CaseIterable, Sendable, Codable {
            case absent
            case dispensed
            case notEvaluated
            case notSubmitted
        }

        public var code: String
        public var label: String
        public var meaning: Meaning
        public var officialValue: String?

        public init(code: String, label: String, meaning: Meaning, officialValue: String? = nil) {
            self.code = code
            self.label = label
            self.meaning = meaning
            self.officialValue = officialValue
        }
    }

    /// What a code typed by a teacher stands for on this scale.
    public enum Mark: Hashable, Sendable {
        case level(Level, rank: Int)
        case special(SpecialCode)
    }

    /// Looks a code up among levels and special codes, ignoring case.
    public func mark(for code: String) -> Mark? {
        // Stored codes are spelled as the scale spells them: compare exactly before folding case.
        if let index = levels.firstIndex(where: { $0.code == code }) {
            return .level(levels[index], rank: index)
        }
        let wanted = code.uppercased()
        if let index = levels.firstIndex(where: { $0.code.uppercased() == wanted }) {
            return .level(levels[index], rank: index)
        }
        if let special = specialCodes.first(where: { $0.code.uppercased() == wanted }) {
            return .special(special)
        }
        return nil
    }

    /// The rank of the lowest acquired level: every level from there up is acquired.
    public var acquisitionThreshold: Int? {
        levels.firstIndex(where: \.isAcquired)
    }
}

extension Scale {
    /// Checks that the scale can be used: at least two levels, codes unique across levels
    /// and special codes, acquired levels forming the top of the scale, colours in `#RRGGBB`.
    public func problems() -> [String] {
        var problems: [String] = []
        if levels.count < 2 {
            problems.append("une échelle doit avoir au moins deux niveaux")
        }
        var seen = Set<String>()
        for code in levels.map(\.code) + specialCodes.map(\.code) {
            if code.isBlank {
                problems.append("un niveau ou un code spécial n’a pas de code")
            } else if !seen.insert(code.uppercased()).inserted {
                problems.append("le code \(code) est utilisé deux fois")
            }
        }
        if let threshold = acquisitionThreshold {
            if levels[threshold...].contains(where: { !$0.isAcquired }) {
                problems.append("les niveaux acquis doivent être les plus hauts : un niveau au-dessus d’un niveau acquis ne l’est pas")
            }
            if threshold == 0 {
                problems.append("le niveau le plus bas ne peut pas compter comme acquis")
            }
        } else if !levels.isEmpty {
            problems.append("aucun niveau ne compte comme acquis")
        }
        for level in levels where !Scale.isHexColor(level.color) {
            problems.append("niveau \(level.code) : la couleur \(level.color) n’est pas au format #RRGGBB")
        }
        for level in levels where level.marker.isBlank {
            problems.append("le niveau \(level.code) n’a pas de marqueur ; la couleur seule ne suffit pas")
        }
        let markers = levels.map(\.marker)
        if Set(markers).count != markers.count {
            problems.append("deux niveaux ont le même marqueur ; chaque niveau doit avoir le sien")
        }
        return problems
    }

    static func isHexColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}
