import AcquisCore

/// One piece of evidence about one student on one competency: a level (or a special
/// code) seen on a given day, in a given context.
public struct Observation: Hashable, Sendable {
    /// The day the student was observed, not the day it was typed.
    public var date: CalendarDate
    /// A level or special code of the referential's scale, as recorded.
    public var code: String
    public var context: Context
    public var evaluator: String?
    /// A teacher's decision that sets the level directly, whatever the evidence says.
    public var isOverride: Bool

    public init(date: CalendarDate, code: String, context: Context = .classe, evaluator: String? = nil,
                isOverride: Bool = false) {
        self.date = date
        self.code = code
        self.context = context
        self.evaluator = evaluator
        self.isOverride = isOverride
    }

    public typealias Context = EvaluationContext
}
