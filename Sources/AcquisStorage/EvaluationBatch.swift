import AcquisCore

/// Many observations recorded in the caller's transaction, the masteries they affect
/// recomputed once at the end (badge rules included). Students and referentials are looked up
/// once each: a million evaluations import in seconds.
///
/// A row that cannot be recorded throws ``EvaluationImportProblems`` naming each field at
/// fault; the caller collects them with their line numbers and rolls the transaction back.
public protocol EvaluationBatch: AnyObject {
    /// Records one observation, or throws what is wrong with it.
    func add(_ entry: EvaluationEntry) throws
    /// Recomputes the masteries the batch touched and checks their badge rules.
    func finish() throws -> EvaluationImportSummary
    /// What was recorded so far.
    var summary: EvaluationImportSummary { get }
}

/// Why one field of a row cannot be recorded.
public struct EvaluationImportProblem: Error, Equatable {
    public enum Field: Sendable {
        case student, referential, competency, level, date
    }

    public var field: Field
    public var message: String

    public init(field: Field, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every problem of one row.
public struct EvaluationImportProblems: Error, Equatable {
    public var all: [EvaluationImportProblem]

    public init(all: [EvaluationImportProblem]) {
        self.all = all
    }
}

/// What a batch of observations recorded.
public struct EvaluationImportSummary: Equatable, Sendable {
    public var recorded = 0
    /// Rows identical to an evaluation already stored (same student, competency, day,
    /// level, context and evaluator): a file imported twice records nothing twice.
    public var duplicates = 0
    public var masteries = 0
    /// Badges the new masteries earned.
    public var badges = 0

    public init() {}
}

