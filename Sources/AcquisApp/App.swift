import AcquisCore
import AcquisStorage

/// The application core: one use case per user operation, the same for the web app, the
/// command line and whatever comes next.
///
/// Each use case owns its transaction and the invariants that go with it: it checks that the
/// acting person may do what they ask (``ActingPerson``), and it changes masteries only through
/// the store that checks the badge rules in the same transaction. Front ends parse what people
/// send, call one use case, and word its result and its errors.
///
/// ```swift
/// let app = App(storage: try AcquisDatabase(path: "acquis.sqlite"))
/// let recorded = try await app.evaluations.record(entry, by: .console(name: "M. Martin"))
/// print(recorded.mastery?.explanation ?? "")
/// ```
public struct App: Sendable {
    /// Where everything is kept; the app reaches it only through ``Storage``.
    public let storage: any Storage
    private let fixedToday: CalendarDate?
    private let fixedYear: SchoolYear?

    /// - Parameters:
    ///   - storage: where everything is kept: SQLite embedded, or another engine.
    ///   - today: the day the app works on; the calendar's day when nil (a fixed day serves
    ///     demonstrations, tests, and lists « as of » a past day).
    ///   - year: the school year classes are read in; the year of `today` when nil.
    public init(storage: any Storage, today: CalendarDate? = nil, year: SchoolYear? = nil) {
        self.storage = storage
        self.fixedToday = today
        self.fixedYear = year
    }

    /// The day observations are bounded by and levels are read on.
    public var today: CalendarDate { fixedToday ?? .today }

    /// The school year classes are read in: the one given, else the year of ``today``.
    public var year: SchoolYear { fixedYear ?? SchoolYear(containing: today) }

    /// Recording, correcting and withdrawing evidence, and recomputing levels.
    public var evaluations: Evaluations { Evaluations(app: self) }

    /// Students' productions and their files.
    public var portfolio: Portfolio { Portfolio(app: self) }

    /// PFMP periods and their workplace tutors.
    public var pfmp: PFMP { PFMP(app: self) }

    /// Publishing referentials and their versions, and how they compute levels.
    public var referentials: Referentials { Referentials(app: self) }

    /// Badge classes, awards, and the school as an issuer.
    public var badges: Badges { Badges(app: self) }

    /// Runs `body`, a request of `person`, with every transaction it starts confined to the
    /// person's school where the engine can enforce it (``SchoolConfinement``): for the school's
    /// team, its teachers, students and families. An inspector and the console are not confined.
    /// The access checks of each use case stay the first wall; this one catches what they miss.
    public func confining<T>(to person: ActingPerson, isolation: isolated (any Actor)? = #isolation,
                             _ body: () async throws -> T) async rethrows -> T {
        try await SchoolConfinement.$schoolID.withValue(Self.confinement(of: person), operation: body)
    }

    /// Runs `body` unconfined: the public pages of badges show what a school published to
    /// anyone, whoever is signed in.
    public func unconfined<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> T {
        try await SchoolConfinement.$schoolID.withValue(nil, operation: body)
    }

    /// The school a person's requests are confined to; a school account without a school is
    /// confined to none (no id is 0).
    static func confinement(of person: ActingPerson) -> Int64? {
        guard case let .account(account) = person else { return nil }
        switch account.role {
        case .inspector, .academy: return nil
        case .admin, .teacher, .student, .family: return account.schoolID ?? 0
        }
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await storage.read(body)
    }

    func readStatement<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await storage.readStatement(body)
    }

    func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await storage.write(body)
    }

    func write<T: Sendable>(_ scope: WriteScope, _ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await storage.write(scope, body)
    }
}
