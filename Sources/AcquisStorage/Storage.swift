import AcquisCore
import Foundation

/// Where everything is kept: an engine that runs units of work. SQLite is the embedded
/// default; an académie runs PostgreSQL. The application reaches its data only through this
/// protocol and the repositories of ``StorageTransaction``, so that an engine can be added
/// without touching the application or its front ends.
///
/// A unit of work is one transaction: everything it writes is kept together, or nothing is
/// when it throws.
///
/// ```swift
/// let names = try await storage.read { store in
///     try store.schools.students(in: division, asOf: today).map(\.student.displayName)
/// }
/// ```
public protocol Storage: Sendable {
    /// Runs `body` in a read-only transaction that sees one consistent state.
    func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T

    /// Runs `body`, which reads with one statement and nothing else. One statement sees one
    /// consistent state by itself: an engine whose transactions cost round trips of their own
    /// (a server) runs it without opening one, and refuses a second statement in it.
    func readStatement<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T

    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    /// It waits for every other write, as if writes ran one after another.
    func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T

    /// Runs `body` in a write transaction that changes no more than `scope` says: an engine
    /// that runs writes side by side (a server) lets it run beside others of the same scope.
    func write<T: Sendable>(_ scope: WriteScope, _ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T
}

extension Storage {
    /// An engine whose transactions cost nothing more than their statements (SQLite) reads as usual.
    public func readStatement<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await read(body)
    }

    /// An engine that runs one write at a time (SQLite) has nothing to run beside.
    public func write<T: Sendable>(_ scope: WriteScope, _ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await write(body)
    }
}

/// What a write transaction may change, and so which other writes it must wait for.
public enum WriteScope: Sendable {
    /// Anything: it waits for every other write.
    case everything
    /// Students' evaluations and what follows from them (masteries, badges): it runs beside
    /// other writes of this scope, and the store serialises those that record for the same
    /// student where it reads their evidence. One that records for several students locks them
    /// all first (``EvaluationRepository/lockStudents(_:)``). A teacher's click and a class
    /// grid are such writes.
    case students
}

/// An engine's failure that says nothing of the request: the database could not be reached
/// for a moment (a connection lost, a server restarting). Nothing of the unit of work was
/// kept; the same request can be tried again. Front ends answer « try again » (HTTP 503).
public protocol TransientStorageError: Error {}

/// One transaction, and the repositories that read and write in it. Repositories are
/// persistence only: they keep what they are given, answer what they are asked, and
/// enforce the invariants of the data itself (a mastery follows its evidence and its
/// badge rules in the same transaction). Who may ask is the application's decision.
public protocol StorageTransaction {
    var schools: any SchoolRepository { get }
    var accounts: any AccountRepository { get }
    var evaluations: any EvaluationRepository { get }
    var masteries: any MasteryRepository { get }
    var referentials: any ReferentialRepository { get }
    var drafts: any DraftRepository { get }
    var badges: any BadgeRepository { get }
    var requests: any RequestRepository { get }
    var progress: any ProgressRepository { get }
    var syntheses: any SynthesisRepository { get }
    var vigilance: any VigilanceRepository { get }
    var followUps: any FollowUpRepository { get }
    var needGroups: any NeedGroupRepository { get }
    var tutoring: any TutoringRepository { get }
    var sessions: any SessionRepository { get }
    var signInThrottle: any SignInThrottleRepository { get }
    var viewLog: any ViewLogRepository { get }
    var setup: any SetupRepository { get }
    var uploads: any UploadRepository { get }
    var guardians: any GuardianRepository { get }
    var staff: any StaffRepository { get }
    var reports: any ReportRepository { get }
    var signInMethods: any SignInMethodRepository { get }
    var academy: any AcademyRepository { get }
    var productions: any ProductionRepository { get }
    var pfmp: any PFMPRepository { get }
    var shares: any ProductionShareRepository { get }
    var previousPortfolios: any PreviousPortfolioRepository { get }

    /// Starts recording many observations in this transaction (a file, a bulk import).
    /// - Parameters:
    ///   - recordedBy: the login kept with each observation; nil for the console.
    ///   - today: bounds the observations' days: nothing is observed in the future.
    func evaluationBatch(recordedBy: String?, at date: Date, today: CalendarDate) throws -> any EvaluationBatch
}

/// The school a unit of work is confined to, when the engine can enforce it: a second wall
/// behind the application's access checks. On PostgreSQL, a transaction started while a
/// school is set sees and writes only that school's rows (row-level security), so that a query
/// missing its school filter returns nothing of another school instead of leaking it. SQLite,
/// one school's file, has nothing to add.
///
/// nil, the default, confines nothing: the console, an inspector, the académie, sign-in and
/// the public pages of badges. The application sets it for each request of a school's account
/// (`App.confining(to:_:)`); engines read it when a transaction begins.
public enum SchoolConfinement {
    /// The confining school's id; an id that matches no school confines to nothing at all.
    @TaskLocal public static var schoolID: Int64?
}
