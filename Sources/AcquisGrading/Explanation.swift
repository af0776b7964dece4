import AcquisCore

/// The sentences that say why a level was computed, in French, for teachers, students and
/// families. Each names the observations that counted and when they were made.
enum Explanation {
    static func when(_ observation: Observation) -> String {
        "le \(observation.date.french) \(observation.context.inSentence)"
    }

    static func counted(_ count: Int, _ words: String...) -> String {
        French.counted(count, words)
    }

    static func observations(_ count: Int) -> String {
        counted(count, "observation")
    }

    static func best(of window: Int, total: Int, _ best: Observation) -> String {
        let scope = window == total ? "des \(observations(total))" : "des \(window) dernières observations"
        return window == 1 ? "seule observation, \(when(best))" : "meilleur niveau \(scope), atteint \(when(best))"
    }

    static func mostRecent(_ latest: Observation) -> String {
        "observation la plus récente, \(when(latest))"
    }

    static func highest(_ best: Observation, total: Int) -> String {
        "meilleur niveau observé sur \(observations(total)), atteint \(when(best))"
    }

    static func bestOf(_ count: Int, total: Int) -> String {
        "moyenne des \(count) meilleures observations sur \(total)"
    }

    /// `62,5` — French decimal comma, at most one decimal.
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return String(text.map { $0 == "." ? "," : $0 })
    }

    static func average(_ count: Int, total: Int, _ latest: Observation) -> String {
        let scope = count == total ? "des \(observations(total))" : "des \(count) dernières observations sur \(total)"
        return "moyenne \(scope), la plus récente \(when(latest))"
    }

    static func geometric(_ count: Int, _ latest: Observation) -> String {
        let weights = (0..<count).map { String(1 << $0) }.joined(separator: ", ")
        return "moyenne des \(count) dernières observations pondérées \(weights) (la plus récente compte le plus), "
            + "la plus récente \(when(latest))"
    }

    static func weighted(_ weight: Double, total: Int, _ latest: Observation) -> String {
        let percent = Int((weight * 100).rounded())
        return "la plus récente observation (\(when(latest))) compte pour \(percent) %, "
            + "la moyenne des \(total - 1) précédentes pour \(100 - percent) %"
    }

    static func decaying(total: Int, _ latest: Observation) -> String {
        "moyenne de \(observations(total)) où chaque observation compte davantage que la précédente, "
            + "la plus récente \(when(latest))"
    }

    static func times(_ count: Int, needed: Int, latest: Observation) -> String {
        "niveau attendu atteint \(count) fois (\(needed) nécessaires), la dernière fois \(when(latest))"
    }

    static func notYetTimes(_ count: Int, needed: Int, label: String) -> String {
        "Pas encore de niveau : « \(label) » atteint \(count) fois sur les \(needed) nécessaires"
    }

    static func frequent(_ count: Int, total: Int) -> String {
        "niveau le plus fréquent (\(count) observations sur \(total))"
    }

    static func override(_ decision: Observation) -> String {
        let who = decision.evaluator.map { " par \($0)" } ?? ""
        return "niveau fixé\(who) le \(decision.date.french), décision de l’équipe pédagogique"
    }

    /// « (non comptées : 2 absences, 1 auto-évaluation) », or nothing.
    static func ignoredNote(_ ignored: [Observation], scale: Scale) -> String {
        guard !ignored.isEmpty else { return "" }
        // (singular, plural), in order of first appearance
        var counts: [(noun: (String, String), count: Int)] = []
        func add(_ singular: String, _ plural: String) {
            if let index = counts.firstIndex(where: { $0.noun.0 == singular }) {
                counts[index].count += 1
            } else {
                counts.append(((singular, plural), 1))
            }
        }
        for observation in ignored {
            if observation.context == .autoEvaluation {
                add("auto-évaluation", "auto-évaluations")
            } else if case let .special(special)? = scale.mark(for: observation.code) {
                switch special.meaning {
                case .absent: add("absence", "absences")
                case .dispensed: add("dispense", "dispenses")
                case .notEvaluated: add("non évalué", "non évalués")
                case .notSubmitted: add("non rendu", "non rendus")
                }
            } else {
                add("code inconnu « \(observation.code) »", "codes inconnus « \(observation.code) »")
            }
        }
        let parts = counts.map { "\($0.count) \($0.count == 1 ? $0.noun.0 : $0.noun.1)" }
        return " (non comptées : " + parts.joined(separator: ", ") + ")"
    }
}
