// Colours come from the Okabe–Ito palette, chosen to stay distinguishable for the
// common forms of colour blindness; each level also has its own marker.
private enum Palette {
    static let orange = "#E69F00"
    static let yellow = "#F0E442"
    static let skyBlue = "#56B4E9"
    static let green = "#009E73"
    static let blue = "#0072B2"
}

extension Scale.SpecialCode {
    public static let absent = Scale.SpecialCode(code: "ABS", label: "Absent", meaning: .absent)
    public static let dispensed = Scale.SpecialCode(code: "DI", label: "Dispensé", meaning: .dispensed)
    public static let notEvaluated = Scale.SpecialCode(code: "NE", label: "Non évalué", meaning: .notEvaluated)
    public static let notSubmitted = Scale.SpecialCode(code: "NR", label: "Non rendu", meaning: .notSubmitted)

    static let common: [Scale.SpecialCode] = [.absent, .dispensed, .notEvaluated, .notSubmitted]
}

extension Scale {
    /// Every scale Acquis ships, which any referential may name.
    public static let builtIn: [Scale] = [.socle2015, .lslPro, .benevolent, .lpc]

    public static func builtIn(code: String) -> Scale? {
        builtIn.first { $0.code == code }
    }

    /// Socle commun 2015, as positioned in the LSU « bilan de cycle »: 1 to 4, 0 for dispensé.
    public static let socle2015 = Scale(
        code: "socle-2015",
        title: "Maîtrise des composantes du socle commun",
        levels: [
            Level(code: "MI", teacherLabel: "Maîtrise insuffisante", studentLabel: "Je commence à apprendre",
                  color: Palette.orange, marker: "○", isAcquired: false, officialValue: "1"),
            Level(code: "MF", teacherLabel: "Maîtrise fragile", studentLabel: "Je progresse",
                  color: Palette.yellow, marker: "◐", isAcquired: false, officialValue: "2"),
            Level(code: "MS", teacherLabel: "Maîtrise satisfaisante", studentLabel: "Je maîtrise",
                  color: Palette.skyBlue, marker: "●", isAcquired: true, officialValue: "3"),
            Level(code: "TBM", teacherLabel: "Très bonne maîtrise", studentLabel: "Je maîtrise très bien",
                  color: Palette.green, marker: "★", isAcquired: true, officialValue: "4"),
        ],
        specialCodes: [
            .absent,
            SpecialCode(code: "DI", label: "Dispensé", meaning: .dispensed, officialValue: "0"),
            .notEvaluated, .notSubmitted,
        ]
    )

    /// Livret scolaire du lycée professionnel: four degrees of mastery per competency.
    public static let lslPro = Scale(
        code: "lsl-pro",
        title: "Degrés de maîtrise du livret scolaire (LSL Pro)",
        levels: [
            Level(code: "1", teacherLabel: "Compétences non maîtrisées", studentLabel: "Je m’entraîne",
                  color: Palette.orange, marker: "○", isAcquired: false, officialValue: "1"),
            Level(code: "2", teacherLabel: "Compétences insuffisamment maîtrisées", studentLabel: "Je progresse",
                  color: Palette.yellow, marker: "◐", isAcquired: false, officialValue: "2"),
            Level(code: "3", teacherLabel: "Compétences maîtrisées", studentLabel: "Je maîtrise",
                  color: Palette.skyBlue, marker: "●", isAcquired: true, officialValue: "3"),
            Level(code: "4", teacherLabel: "Compétences bien maîtrisées", studentLabel: "Je maîtrise bien",
                  color: Palette.green, marker: "★", isAcquired: true, officialValue: "4"),
        ],
        specialCodes: SpecialCode.common
    )

    /// Acquis' own four steps: every step names what the student can already do, and the
    /// first one says « pas encore », never « échec ».
    public static let benevolent = Scale(
        code: "acquis-4",
        title: "Échelle bienveillante Acquis",
        levels: [
            Level(code: "PE", teacherLabel: "Pas encore acquis", studentLabel: "Pas encore — je m’entraîne",
                  color: Palette.orange, marker: "○", isAcquired: false),
            Level(code: "EC", teacherLabel: "En cours d’acquisition", studentLabel: "Je suis en bonne voie",
                  color: Palette.yellow, marker: "◐", isAcquired: false),
            Level(code: "A", teacherLabel: "Acquis", studentLabel: "Je sais faire",
                  color: Palette.skyBlue, marker: "●", isAcquired: true),
            Level(code: "M", teacherLabel: "Maîtrisé", studentLabel: "Je sais faire et je peux l’expliquer",
                  color: Palette.green, marker: "★", isAcquired: true),
        ],
        specialCodes: SpecialCode.common
    )

    /// Livret personnel de compétences (socle 2006): an item is validated, or not yet.
    public static let lpc = Scale(
        code: "lpc",
        title: "Validation du livret personnel de compétences",
        levels: [
            Level(code: "NV", teacherLabel: "Non validé", studentLabel: "Pas encore validé",
                  color: Palette.yellow, marker: "○", isAcquired: false, officialValue: "0"),
            Level(code: "V", teacherLabel: "Validé", studentLabel: "Validé",
                  color: Palette.blue, marker: "✓", isAcquired: true, officialValue: "1"),
        ],
        specialCodes: SpecialCode.common
    )
}
