import AcquisCore

/// The names under which methods and rules are chosen on the command line and stored with a
/// referential: `geometrique:5`, `bienveillante:3`, `proportion:0.75`. French, because
/// teachers and inspectors type them.
extension MasteryMethod: LosslessStringConvertible {
    public init?(_ name: String) {
        let (word, argument) = Self.split(name)
        func integer(_ fallback: Int) -> Int? {
            guard let argument else { return fallback }
            guard let value = Int(argument), value > 0 else { return nil }
            return value
        }
        func rate(_ fallback: Double) -> Double? {
            guard let argument else { return fallback }
            guard let value = Double(argument.replacingComma), value > 0, value <= 1 else { return nil }
            return value
        }
        switch word {
        case "bienveillante": guard let n = integer(3) else { return nil }; self = .benevolent(window: n)
        case "plus-recente": guard argument == nil else { return nil }; self = .mostRecent
        case "meilleure": guard argument == nil else { return nil }; self = .highest
        case "meilleures": guard let n = integer(2) else { return nil }; self = .bestOf(n)
        case "moyenne":
            if argument == nil { self = .averageOfLast(nil) } else if let n = integer(1) { self = .averageOfLast(n) } else { return nil }
        case "geometrique": guard let n = integer(5), n <= 5 else { return nil }; self = .geometric(limit: n)
        case "ponderee": guard let w = rate(0.65) else { return nil }; self = .weightedAverage(latestWeight: w)
        case "degressive": guard let r = rate(0.65) else { return nil }; self = .decayingAverage(rate: r)
        case "n-fois": guard let n = integer(3) else { return nil }; self = .nTimes(n)
        case "plus-frequente":
            switch argument {
            case nil, "basse": self = .mostFrequent(ties: .lowest)
            case "haute": self = .mostFrequent(ties: .highest)
            default: return nil
            }
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case let .benevolent(window): "bienveillante:\(window)"
        case .mostRecent: "plus-recente"
        case .highest: "meilleure"
        case let .bestOf(k): "meilleures:\(k)"
        case let .averageOfLast(n?): "moyenne:\(n)"
        case .averageOfLast(nil): "moyenne"
        case let .geometric(limit): "geometrique:\(limit)"
        case let .weightedAverage(weight): "ponderee:\(weight)"
        case let .decayingAverage(rate): "degressive:\(rate)"
        case let .nTimes(n): "n-fois:\(n)"
        case .mostFrequent(.lowest): "plus-frequente:basse"
        case .mostFrequent(.highest): "plus-frequente:haute"
        }
    }

    /// Every name with what it does, for help texts.
    public static let catalogue = """
        bienveillante:N (meilleur niveau des N dernières, 3 par défaut), plus-recente, meilleure, \
        meilleures:K, moyenne[:N], geometrique:N (poids 1, 2, 4, 8, 16), ponderee:P, degressive:R, \
        n-fois:N, plus-frequente[:basse|haute]
        """

    static func split(_ name: String) -> (String, String?) {
        guard let colon = name.firstIndex(of: ":") else { return (name, nil) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
}

extension RollUpRule: LosslessStringConvertible {
    public init?(_ name: String) {
        let (word, argument) = MasteryMethod.split(name)
        switch word {
        case "toutes" where argument == nil:
            self = .allAcquired
        case "proportion":
            guard let share = Double((argument ?? "0.5").replacingComma), share > 0, share <= 1 else { return nil }
            self = .proportionAcquired(share)
        case "socle":
            guard let argument else { self = .socleNearest; return }
            if argument == "sacoche" { self = .sacocheThresholds; return }
            let thresholds = argument.split(separator: "/").compactMap { Double(String($0).replacingComma) }
            guard thresholds.count == 3, thresholds == thresholds.sorted() else { return nil }
            self = .soclePosition(thresholds: thresholds)
        default:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .allAcquired: "toutes"
        case let .proportionAcquired(share): "proportion:\(share)"
        case .socleNearest: "socle"
        case let .soclePosition(thresholds):
            "socle:" + thresholds.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: "/")
        }
    }

    public static let catalogue = "toutes, proportion:P (0,5 par défaut), socle (position la plus proche), "
        + "socle:sacoche (seuils 35/60/81 de SACoche) ou socle:S2/S3/S4"

    /// The rule a referential of this kind rolls up with unless told otherwise.
    public static func `default`(for kind: ReferentialKind) -> RollUpRule {
        switch kind {
        case .diplome: .allAcquired
        case .socle: .socleDefault
        case .livret: .proportionAcquired(0.5)
        }
    }
}

private extension String {
    /// `0,75` as typed by a French user, read as `0.75`.
    var replacingComma: String { String(map { $0 == "," ? "." : $0 }) }
}
