/// When a signal is raised, as a school chooses it. Every threshold is a count, a number of
/// days or a share that a teacher can read in the signal's sentence: there is no score.
public struct VigilanceThresholds: Hashable, Sendable, Codable {
    /// No new evidence for this many days in a referential the class is still evaluated in.
    public var silenceDays: Int
    /// How far back « recently » goes for stagnation, regression and special codes.
    public var windowDays: Int
    /// Stagnation is raised only when half the class progressed on at least this many
    /// competencies in the window.
    public var classProgress: Int
    /// Regression is raised from this many competencies whose level went down in the window.
    public var regressedCompetencies: Int
    /// Absences and work not handed in: from this share (percent) of the window's evaluations…
    public var specialCodePercent: Int
    /// …and at least this many of them.
    public var specialCodeMinimum: Int
    /// An evaluation request unanswered for this many days.
    public var requestDays: Int
    /// A self-evaluation this many levels away from the teachers' level.
    public var selfGapLevels: Int

    public init(silenceDays: Int = 28, windowDays: Int = 42, classProgress: Int = 2, regressedCompetencies: Int = 2,
                specialCodePercent: Int = 25, specialCodeMinimum: Int = 3, requestDays: Int = 14, selfGapLevels: Int = 2) {
        self.silenceDays = silenceDays
        self.windowDays = windowDays
        self.classProgress = classProgress
        self.regressedCompetencies = regressedCompetencies
        self.specialCodePercent = specialCodePercent
        self.specialCodeMinimum = specialCodeMinimum
        self.requestDays = requestDays
        self.selfGapLevels = selfGapLevels
    }

    public static let `default` = VigilanceThresholds()

    /// Each threshold with its French name, its value and its unit, in the order forms show them.
    public var settings: [Setting] {
        [
            Setting(key: "silenceDays", label: "Sans nouvelle preuve depuis", unit: "jours de classe, vacances non comptées", value: silenceDays),
            Setting(key: "windowDays", label: "Période observée (stagnation, régression, absences)", unit: "jours",
                    value: windowDays),
            Setting(key: "classProgress", label: "Progrès de la classe pour parler de stagnation",
                    unit: "compétences", value: classProgress),
            Setting(key: "regressedCompetencies", label: "Régression à partir de", unit: "compétences",
                    value: regressedCompetencies),
            Setting(key: "specialCodePercent", label: "Part d’absences et de travaux non rendus", unit: "%",
                    value: specialCodePercent),
            Setting(key: "specialCodeMinimum", label: "Nombre minimal d’absences et de non-rendus", unit: "évaluations",
                    value: specialCodeMinimum),
            Setting(key: "requestDays", label: "Demande d’évaluation sans réponse depuis", unit: "jours",
                    value: requestDays),
            Setting(key: "selfGapLevels", label: "Écart entre auto-évaluation et enseignants", unit: "niveaux",
                    value: selfGapLevels),
        ]
    }

    public struct Setting: Hashable, Sendable {
        public var key: String
        public var label: String
        public var unit: String
        public var value: Int
    }

    /// Changes one threshold by its key; refuses values that would make a signal meaningless.
    public mutating func set(_ key: String, to value: Int) throws(VigilanceError) {
        let range: ClosedRange<Int>
        switch key {
        case "silenceDays", "windowDays", "requestDays": range = 1...365
        case "specialCodePercent": range = 1...100
        case "classProgress", "regressedCompetencies", "specialCodeMinimum", "selfGapLevels": range = 1...100
        default: throw .unknownThreshold(key, known: settings.map(\.key))
        }
        guard range.contains(value) else { throw .thresholdOutOfRange(key, value, range) }
        switch key {
        case "silenceDays": silenceDays = value
        case "windowDays": windowDays = value
        case "classProgress": classProgress = value
        case "regressedCompetencies": regressedCompetencies = value
        case "specialCodePercent": specialCodePercent = value
        case "specialCodeMinimum": specialCodeMinimum = value
        case "requestDays": requestDays = value
        default: selfGapLevels = value
        }
    }
}

public enum VigilanceError: Error, Equatable, CustomStringConvertible {
    case unknownThreshold(String, known: [String])
    case thresholdOutOfRange(String, Int, ClosedRange<Int>)

    public var description: String {
        switch self {
        case let .unknownThreshold(key, known):
            "seuil « \(key) » inconnu ; seuils possibles : \(known.joined(separator: ", "))"
        case let .thresholdOutOfRange(key, value, range):
            "seuil \(key) : \(value) hors des valeurs admises (de \(range.lowerBound) à \(range.upperBound))"
        }
    }
}
