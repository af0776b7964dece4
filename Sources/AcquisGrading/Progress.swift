/// How one competency moved between two days.
public struct CompetencyProgress: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable {
        /// A first level where there was none.
        case firstLevel
        case progressed
        case regressed
        /// New evidence, same level.
        case confirmed
    }

    public var code: String
    public var change: Change
    public var before: Mastery?
    public var after: Mastery

    public init(code: String, change: Change, before: Mastery?, after: Mastery) {
        self.code = code
        self.change = change
        self.before = before
        self.after = after
    }
}
