import AcquisCore

/// The method, scale and level values a referential computes mastery with.
public struct MasteryPolicy: Hashable, Sendable {
    public var scale: Scale
    public var method: MasteryMethod
    /// The value of each level, lowest first, for the methods that average. Evenly spaced
    /// from 0 to 100 unless given (SACoche uses 0, 33, 67, 100).
    public var values: [Double]

    public init(scale: Scale, method: MasteryMethod = .default, values: [Double]? = nil) {
        self.scale = scale
        self.method = method
        let steps = Double(max(scale.levels.count - 1, 1))
        self.values = values ?? scale.levels.indices.map { Double($0) / steps * 100 }
    }

    /// The level whose value is nearest to `score`; exactly halfway between two levels, the
    /// lower one: a level is reached by passing the halfway mark towards it, not by touching
    /// it. With four levels valued 0, 33, 67, 100, a score of 50 (one « En cours », one
    /// « Acquis ») stays « En cours d’acquisition », as SACoche's 40–60 stays « partiellement
    /// acquis »; 55.6 (two « Acquis » after one « En cours ») is « Acquis ».
    func rank(for score: Double) -> Int {
        var best = 0
        for rank in values.indices where abs(values[rank] - score) < abs(values[best] - score) - 1e-9 {
            best = rank
        }
        return best
    }

    /// « 55,6 sur 100 », for explanations: the score brought to 0–100 between the lowest and
    /// highest level values.
    func percent(_ score: Double) -> Double {
        guard let low = values.first, let high = values.last, high > low else { return 0 }
        return (score - low) / (high - low) * 100
    }
}

/// The level a student has reached on one competency, with the evidence behind it and
/// the reason in words.
public struct Mastery: Hashable, Sendable {
    /// Index of the level in the scale, lowest 0; nil while the evidence gives no level.
    public var rank: Int?
    public var level: Scale.Level?
    /// The computed value, on the policy's level values.
    public var score: Double?
    /// The observations the level was computed from.
    public var counted: [Observation]
    /// Observations that do not count: special codes, self-evaluations, unknown codes.
    public var ignored: [Observation]
    public var explanation: String

    public var isAcquired: Bool { level?.isAcquired ?? false }
}

/// Turns observations into a ``Mastery`` according to a ``MasteryPolicy``.
public struct MasteryCalculator: Sendable {
    public var policy: MasteryPolicy

    public init(policy: MasteryPolicy) {
        self.policy = policy
    }

    struct Scored {
        var observation: Observation
        var rank: Int
        var value: Double
    }

    public func mastery(of observations: [Observation]) -> Mastery {
        // Stable sort: observations of the same day keep the order they were recorded in.
        // Stored observations come already in order; only the check is paid for them.
        let isOrdered = zip(observations, observations.dropFirst()).allSatisfy { $0.date <= $1.date }
        let ordered = isOrdered ? observations
            : observations.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var scored: [Scored] = []
        var ignored: [Observation] = []
        for observation in ordered {
            if observation.context != .autoEvaluation,
               case let .level(_, rank)? = policy.scale.mark(for: observation.code) {
                scored.append(Scored(observation: observation, rank: rank, value: policy.values[rank]))
            } else {
                ignored.append(observation)
            }
        }
        let note = Explanation.ignoredNote(ignored, scale: policy.scale)
        if let override = scored.last, override.observation.isOverride {
            return mastery(rank: override.rank, score: override.value, counted: [override.observation], ignored: ignored,
                           reason: Explanation.override(override.observation), note: note)
        }
        let evidence = scored.filter { !$0.observation.isOverride }
        guard !evidence.isEmpty else {
            return Mastery(rank: nil, level: nil, score: nil, counted: [], ignored: ignored,
                           explanation: "Pas encore d’observation" + note)
        }
        let (counted, score, reason) = apply(policy.method, to: evidence)
        guard let score else {
            return Mastery(rank: nil, level: nil, score: nil, counted: counted.map(\.observation), ignored: ignored,
                           explanation: reason + note)
        }
        let rank = policy.rank(for: score)
        let between = abs(policy.values[rank] - score) > 1e-9
            ? " — valeur \(Explanation.decimal(policy.percent(score))) sur 100, niveau le plus proche (à mi-chemin, le niveau inférieur)"
            : ""
        return mastery(rank: rank, score: score, counted: counted.map(\.observation),
                       ignored: ignored, reason: reason + between, note: note)
    }

    private func mastery(rank: Int, score: Double, counted: [Observation], ignored: [Observation],
                         reason: String, note: String) -> Mastery {
        let level = policy.scale.levels[rank]
        return Mastery(rank: rank, level: level, score: score, counted: counted, ignored: ignored,
                       explanation: "\(level.teacherLabel) : \(reason)\(note)")
    }

    /// The observations that count, the resulting value (nil: no level yet) and why.
    private func apply(_ method: MasteryMethod, to evidence: [Scored]) -> ([Scored], Double?, String) {
        let latest = evidence[evidence.count - 1]
        switch method {
        case let .benevolent(window):
            let recent = Array(evidence.suffix(max(window, 1)))
            let best = Self.mostRecentBest(recent)
            return (recent, best.value, Explanation.best(of: recent.count, total: evidence.count, best.observation))
        case .mostRecent:
            return ([latest], latest.value, Explanation.mostRecent(latest.observation))
        case .highest:
            let best = Self.mostRecentBest(evidence)
            return ([best], best.value, Explanation.highest(best.observation, total: evidence.count))
        case let .bestOf(k):
            let best = Array(evidence.sorted { $0.value > $1.value }.prefix(max(k, 1)))
            return (best, Self.mean(best.map(\.value)), Explanation.bestOf(best.count, total: evidence.count))
        case let .averageOfLast(n):
            let last = n.map { Array(evidence.suffix(max($0, 1))) } ?? evidence
            return (last, Self.mean(last.map(\.value)), Explanation.average(last.count, total: evidence.count, latest.observation))
        case let .geometric(limit):
            let last = Array(evidence.suffix(min(max(limit, 1), 5)))
            let weights = last.indices.map { Double(1 << $0) }
            let score = zip(last, weights).map { $0.value * $1 }.reduce(0, +) / weights.reduce(0, +)
            return (last, score, Explanation.geometric(last.count, latest.observation))
        case let .weightedAverage(weight):
            guard evidence.count > 1 else {
                return ([latest], latest.value, Explanation.mostRecent(latest.observation))
            }
            let older = Self.mean(evidence.dropLast().map(\.value))
            return (evidence, latest.value * weight + older * (1 - weight),
                    Explanation.weighted(weight, total: evidence.count, latest.observation))
        case let .decayingAverage(rate):
            let score = evidence.dropFirst().reduce(evidence[0].value) { $0 * (1 - rate) + $1.value * rate }
            return (evidence, score, Explanation.decaying(total: evidence.count, latest.observation))
        case let .nTimes(n):
            let threshold = policy.scale.acquisitionThreshold ?? policy.values.count - 1
            let atMastery = evidence.filter { $0.rank >= threshold }
            let needed = max(n, 1)
            guard atMastery.count >= needed else {
                return (atMastery, nil, Explanation.notYetTimes(atMastery.count, needed: needed,
                                                                label: policy.scale.levels[threshold].teacherLabel))
            }
            return (atMastery, Self.mean(atMastery.map(\.value)),
                    Explanation.times(atMastery.count, needed: needed, latest: atMastery[atMastery.count - 1].observation))
        case let .mostFrequent(ties):
            var counts: [Int: Int] = [:]
            for item in evidence { counts[item.rank, default: 0] += 1 }
            let top = counts.values.max() ?? 0
            let candidates = counts.filter { $0.value == top }.map(\.key)
            let rank = (ties == .lowest ? candidates.min() : candidates.max()) ?? latest.rank
            let matching = evidence.filter { $0.rank == rank }
            return (matching, policy.values[rank], Explanation.frequent(top, total: evidence.count))
        }
    }

    /// The best observation, the most recent one among equals: the date worth citing.
    private static func mostRecentBest(_ items: [Scored]) -> Scored {
        items.reduce(items[0]) { $1.rank >= $0.rank ? $1 : $0 }
    }

    private static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
