/// How the evidence on a competency becomes one level, chosen per referential. Observations
/// are taken oldest first, by observation date.
public enum MasteryMethod: Hashable, Sendable {
    /// Acquis' default: the best level among the last `window` observations. Early attempts
    /// leave the window, so they never count against a student who has since succeeded,
    /// and one bad day after a success does not erase it.
    case benevolent(window: Int)
    /// The latest observation (Canvas « Most Recent », Moodle's latest rating).
    case mostRecent
    /// The best observation ever (Canvas « Highest », SACoche bestof1).
    case highest
    /// Mean of the `k` best observations (SACoche bestof2, bestof3).
    case bestOf(Int)
    /// Mean of the last `n` observations, or of all when `n` is nil (SACoche « classique »).
    case averageOfLast(Int?)
    /// SACoche's default: weights 1, 2, 4, 8, 16 from the oldest of the last `limit` (≤ 5)
    /// observations to the newest.
    case geometric(limit: Int)
    /// Canvas « Weighted Average »: the latest counts for `latestWeight` (0.65 by default), the
    /// mean of all older ones for the rest.
    case weightedAverage(latestWeight: Double)
    /// Canvas « Decaying Average »: d₁ = s₁, dₖ = dₖ₋₁·(1 − r) + sₖ·r.
    case decayingAverage(rate: Double)
    /// Canvas « Number of Times »: mastery once `n` observations reach the acquired level;
    /// the level is then the mean of those observations. Fewer: no level yet.
    case nTimes(Int)
    /// The most frequent level (SACoche frequencemin / frequencemax).
    case mostFrequent(ties: TieBreak)

    public enum TieBreak: Hashable, Sendable {
        case lowest, highest
    }

    public static let `default` = MasteryMethod.benevolent(window: 3)
}
