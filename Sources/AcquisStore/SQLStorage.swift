import AcquisBadges
import AcquisCore
import AcquisGrading
import AcquisReports
import AcquisStorage
import AcquisVigilance
import Foundation
import GRDB

extension AcquisDatabase: Storage {
    public func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await writer.read { db in try body(SQLTransaction(db: db)) }
    }

    public func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
        try await writer.write { db in try body(SQLTransaction(db: db)) }
    }
}

/// A transaction of either engine seen through the repositories: each forwards to the store
/// that implements it, which the store tests exercise directly.
public struct SQLTransaction: StorageTransaction {
    /// The connection of the transaction, for the store's own types and tests.
    public let db: any SQLConnection

    public init(db: any SQLConnection) {
        self.db = db
    }

    public var schools: any SchoolRepository { SQLSchoolRepository(db: db) }
    public var accounts: any AccountRepository { SQLAccountRepository(db: db) }
    public var evaluations: any EvaluationRepository { SQLEvaluationRepository(db: db) }
    public var masteries: any MasteryRepository { SQLMasteryRepository(db: db) }
    public var referentials: any ReferentialRepository { SQLReferentialRepository(db: db) }
    public var drafts: any DraftRepository { SQLDraftRepository(db: db) }
    public var badges: any BadgeRepository { SQLBadgeRepository(db: db) }
    public var requests: any RequestRepository { SQLRequestRepository(db: db) }
    public var progress: any ProgressRepository { SQLProgressRepository(db: db) }
    public var syntheses: any SynthesisRepository { SQLSynthesisRepository(db: db) }
    public var vigilance: any VigilanceRepository { SQLVigilanceRepository(db: db) }
    public var followUps: any FollowUpRepository { SQLFollowUpRepository(db: db) }
    public var needGroups: any NeedGroupRepository { SQLNeedGroupRepository(db: db) }
    public var tutoring: any TutoringRepository { SQLTutoringRepository(db: db) }
    public var sessions: any SessionRepository { SQLSessionRepository(db: db) }
    public var signInThrottle: any SignInThrottleRepository { SignInThrottleStore(db: db) }
    public var signInMethods: any SignInMethodRepository { SignInMethodStore(db: db) }
    public var viewLog: any ViewLogRepository { SQLViewLogRepository(db: db) }
    public var setup: any SetupRepository { SQLSetupRepository(db: db) }
    public var uploads: any UploadRepository { SQLUploadRepository(db: db) }
    public var guardians: any GuardianRepository { SQLGuardianRepository(db: db) }
    public var staff: any StaffRepository { SQLStaffRepository(db: db) }
    public var reports: any ReportRepository { SQLReportRepository(db: db) }
    public var academy: any AcademyRepository { AcademyStore(db: db) }
    public var productions: any ProductionRepository { SQLProductionRepository(db: db) }
    public var pfmp: any PFMPRepository { PFMPStore(db: db) }
    public var shares: any ProductionShareRepository { ProductionShareStore(db: db) }
    public var previousPortfolios: any PreviousPortfolioRepository { PreviousPortfolioStore(db: db) }

    public func evaluationBatch(recordedBy: String?, at date: Date, today: CalendarDate) throws -> any EvaluationBatch {
        try EvaluationImport(recordedBy: recordedBy, at: date, today: today, in: db)
    }
}

struct SQLSchoolRepository: SchoolRepository {
    let db: any SQLConnection

    func importRoster(_ roster: StudentRoster, uai: String, year: SchoolYear) throws -> RosterImport { try SchoolStore().importRoster(roster, uai: uai, year: year, in: db) }
    func schoolID(uai: String) throws -> Int64 { try SchoolStore().schoolID(uai: uai, in: db) }
    func uai(schoolID: Int64) throws -> String? { try SchoolStore().uai(schoolID: schoolID, in: db) }
    func schoolID(studentID: Int64) throws -> Int64? { try SchoolStore().schoolID(studentID: studentID, in: db) }
    func soleSchoolUAI() throws -> String { try SchoolStore().soleSchoolUAI(in: db) }
    func division(code: String, schoolID: Int64, year: SchoolYear) throws -> DivisionRef { try SchoolStore().division(code: code, schoolID: schoolID, year: year, in: db) }
    func students(inDivision code: String, uai: String, year: SchoolYear, asOf day: CalendarDate) throws -> [StoredStudent] { try SchoolStore().students(inDivision: code, uai: uai, year: year, asOf: day, in: db) }
    func students(in division: DivisionRef, asOf day: CalendarDate) throws -> [StoredStudent] { try SchoolStore().students(in: division, asOf: day, in: db) }
    func leavers(in division: DivisionRef, asOf day: CalendarDate) throws -> [StoredStudent] { try SchoolStore().leavers(in: division, asOf: day, in: db) }
    func studentIDs(divisionID: Int64, asOf day: CalendarDate) throws -> [Int64] { try SchoolStore().studentIDs(divisionID: divisionID, asOf: day, in: db) }
    func student(_ reference: StudentReference, year: SchoolYear?) throws -> StoredStudent { try SchoolStore().student(reference, year: year, in: db) }
    func student(studentID: Int64, year: SchoolYear?) throws -> StoredStudent { try SchoolStore().student(studentID: studentID, year: year, in: db) }
    func studentIDs() throws -> [StudentReference: Int64] { try SchoolStore().studentIDs(in: db) }
    func referentialsFollowed(studentID: Int64, year: SchoolYear) throws -> Set<String> { try SchoolStore().referentialsFollowed(studentID: studentID, year: year, in: db) }
    func divisions(uai: String, year: SchoolYear) throws -> [(code: String, kind: String, students: Int)] { try SchoolStore().divisions(uai: uai, year: year, in: db) }
}

struct SQLAccountRepository: AccountRepository {
    let db: any SQLConnection

    func create(_ new: NewAccount, at date: Date) throws -> Account { try AccountStore().create(new, at: date, in: db) }
    func credentials(login: String) throws -> (account: Account, passwordHash: String)? { try AccountStore().credentials(login: login, in: db) }
    func account(id: Int64) throws -> Account? { try AccountStore().account(id: id, in: db) }
    func accounts() throws -> [Account] { try AccountStore().accounts(in: db) }
    func assign(login: String, divisions: [String], year: SchoolYear) throws { try AccountStore().assign(login: login, divisions: divisions, year: year, in: db) }
    func divisions(schoolID: Int64, year: SchoolYear, asOf day: CalendarDate) throws -> [TaughtDivision] { try AccountStore().divisions(schoolID: schoolID, year: year, asOf: day, in: db) }
    func divisions(teacherID: Int64, year: SchoolYear, asOf day: CalendarDate) throws -> [TaughtDivision] { try AccountStore().divisions(teacherID: teacherID, year: year, asOf: day, in: db) }
    func division(code: String, schoolID: Int64, taughtBy teacherID: Int64?, year: SchoolYear, asOf day: CalendarDate) throws -> TaughtClass? { try AccountStore().division(code: code, schoolID: schoolID, taughtBy: teacherID, year: year, asOf: day, in: db) }
    func teacherFollows(teacherID: Int64, studentID: Int64, year: SchoolYear) throws -> Bool { try AccountStore().teacherFollows(teacherID: teacherID, studentID: studentID, year: year, in: db) }
    func followedStudentIDs(teacherID: Int64, year: SchoolYear) throws -> [Int64] { try AccountStore().followedStudentIDs(teacherID: teacherID, year: year, in: db) }
    func studentIDs(schoolID: Int64) throws -> [Int64] { try AccountStore().studentIDs(schoolID: schoolID, in: db) }
    func teachers(schoolID: Int64) throws -> [Teacher] { try AccountStore().teachers(schoolID: schoolID, in: db) }
    func teacher(login: String) throws -> Teacher? { try AccountStore().teacher(login: login, in: db) }
}

struct SQLEvaluationRepository: EvaluationRepository {
    let db: any SQLConnection

    func record(_ entry: EvaluationEntry, studentID: Int64?, recordedBy: String?, at date: Date, today: CalendarDate) throws -> RecordedEvaluation { try EvaluationStore().record(entry, studentID: studentID, recordedBy: recordedBy, at: date, today: today, in: db) }
    func correct(_ id: Int64, with correction: EvaluationCorrection, by author: String, reason: String?, at date: Date, today: CalendarDate) throws -> Bool { try EvaluationStore().correct(id, with: correction, by: author, reason: reason, at: date, today: today, in: db) }
    func withdraw(_ id: Int64, by author: String, reason: String?, at date: Date) throws { try EvaluationStore().withdraw(id, by: author, reason: reason, at: date, in: db) }
    func history(of id: Int64) throws -> [EvaluationChange] { try EvaluationStore().history(of: id, in: db) }
    func studentID(ofEvaluation id: Int64) throws -> Int64? { try EvaluationStore().studentID(ofEvaluation: id, in: db) }
    func lockStudents(_ studentIDs: [Int64]) throws { try db.lockStudents(studentIDs) }
    func recentEvidence(studentID: Int64, limit: Int) throws -> [(referentialCode: String, evaluation: StoredEvaluation)] { try EvaluationStore().recentEvidence(studentID: studentID, limit: limit, in: db) }
    func evidence(studentID: Int64, referentialCode: String, competencyCode: String) throws -> [StoredEvaluation] { try EvaluationStore().evidence(studentID: studentID, referentialCode: referentialCode, competencyCode: competencyCode, in: db) }
}

struct SQLMasteryRepository: MasteryRepository {
    let db: any SQLConnection

    func recomputeAll(now: Date) throws -> MasteryRecomputation { try MasteryStore().recomputeAll(now: now, in: db) }
    func recompute(referentialID: Int64, now: Date, cause: MasteryChangeCause) throws -> MasteryRecomputation { try MasteryStore().recompute(referentialID: referentialID, now: now, cause: cause, in: db) }
    func recompute(pairs: Set<StudentNode>, now: Date, cause: MasteryChangeCause) throws -> MasteryRecomputation { try MasteryStore().recompute(pairs: pairs, now: now, cause: cause, in: db) }
    func masteries(studentID: Int64, referentialID: Int64) throws -> [String: StoredMastery] { try MasteryStore().masteries(studentID: studentID, referentialID: referentialID, in: db) }
    func ranks(studentIDs: [Int64], referentialID: Int64) throws -> [StudentNode: Int] { try MasteryStore().ranks(studentIDs: studentIDs, referentialID: referentialID, in: db) }
}

struct SQLReferentialRepository: ReferentialRepository {
    let db: any SQLConnection

    func target(code: String, version: String?) throws -> ReferentialTarget { try ReferentialStore().target(code: code, version: version, in: db) }
    func target(id: Int64) throws -> ReferentialTarget { try ReferentialStore().target(id: id, in: db) }
    func setPolicy(method: MasteryMethod, rollUp: RollUpRule, referentialID: Int64) throws { try ReferentialStore().setPolicy(method: method, rollUp: rollUp, referentialID: referentialID, in: db) }
    func continuity(of referential: Referential, correspondence: Correspondence?) throws -> VersionContinuity? { try ReferentialStore().continuity(of: referential, correspondence: correspondence, in: db) }
    func target(code: String, version: String?, studentID: Int64) throws -> ReferentialTarget { try ReferentialStore().target(code: code, version: version, studentID: studentID, in: db) }
    func target(code: String, version: String?, divisionID: Int64) throws -> ReferentialTarget { try ReferentialStore().target(code: code, version: version, divisionID: divisionID, in: db) }
    func chooseVersion(code: String, version: String, divisionID: Int64) throws { try ReferentialStore().chooseVersion(code: code, version: version, divisionID: divisionID, in: db) }
    func save(_ referential: Referential, format: String, correspondence: Correspondence?) throws -> SaveOutcome { try ReferentialStore().save(referential, format: format, correspondence: correspondence, in: db) }
    func summaries() throws -> [ReferentialSummary] { try ReferentialStore().summaries(in: db) }
    func summaries(codes: [String]) throws -> [ReferentialSummary] { try ReferentialStore().summaries(codes: codes, in: db) }
    func codeCount() throws -> Int { try ReferentialStore().codeCount(in: db) }
    func offerBasis(division: DivisionRef) throws -> ReferentialOfferBasis { try ReferentialStore().offerBasis(division: division, in: db) }
    func recentSummaries(limit: Int) throws -> [ReferentialSummary] { try ReferentialStore().recentSummaries(limit: limit, in: db) }
    func versionCount() throws -> Int { try ReferentialStore().versionCount(in: db) }
    func codesFollowed(schoolID: Int64, year: SchoolYear) throws -> [String] { try ReferentialStore().codesFollowed(schoolID: schoolID, year: year, in: db) }
    func search(_ text: String, limit: Int) throws -> [String] { try ReferentialStore().search(text, limit: limit, in: db) }
    func referentialsInUse(studentIDs: [Int64]) throws -> [(code: String, id: Int64)] { try ReferentialStore().referentialsInUse(studentIDs: studentIDs, in: db) }
    func referential(code: String, version: String?) throws -> Referential { try ReferentialStore().referential(code: code, version: version, in: db) }
}

struct SQLDraftRepository: DraftRepository {
    let db: any SQLConnection

    func save(fileName: String, content: [UInt8], format: String?, settings: ReferentialSettings, uploadedBy: String,
              at date: Date) throws -> Int64 {
        try ReferentialDraftStore().save(fileName: fileName, content: content, format: format, settings: settings, uploadedBy: uploadedBy,
                                         at: date, in: db)
    }
    func draft(id: Int64) throws -> ReferentialDraft? { try ReferentialDraftStore().draft(id: id, in: db) }
    func markPublished(id: Int64, as referentialID: Int64) throws { try ReferentialDraftStore().markPublished(id: id, as: referentialID, in: db) }
}

struct SQLBadgeRepository: BadgeRepository {
    let db: any SQLConnection

    func createIssuer(_ issuer: Issuer, schoolID: Int64, firstKey: IssuerKey) throws -> Int { try BadgeStore().createIssuer(issuer, schoolID: schoolID, firstKey: firstKey, in: db) }
    func updateIssuer(_ issuer: Issuer, schoolID: Int64) throws { try BadgeStore().updateIssuer(issuer, schoolID: schoolID, in: db) }
    func awardCount(schoolID: Int64) throws -> Int { try BadgeStore().awardCount(schoolID: schoolID, in: db) }
    func issuer(schoolID: Int64) throws -> Issuer? { try BadgeStore().issuer(schoolID: schoolID, in: db) }
    func requiredIssuer(schoolID: Int64) throws -> Issuer { try BadgeStore().requiredIssuer(schoolID: schoolID, in: db) }
    func schoolIDsWithIssuer() throws -> [Int64] { try BadgeStore().schoolIDsWithIssuer(in: db) }
    func addKey(_ key: IssuerKey, schoolID: Int64) throws { try BadgeStore().addKey(key, schoolID: schoolID, in: db) }
    func keys(schoolID: Int64) throws -> [IssuerKey] { try BadgeStore().keys(schoolID: schoolID, in: db) }
    func activeKey(schoolID: Int64, algorithm: IssuerKey.Algorithm) throws -> IssuerKey { try BadgeStore().activeKey(schoolID: schoolID, algorithm: algorithm, in: db) }
    func save(_ badgeClass: BadgeClass, schoolID: Int64) throws -> Int64 { try BadgeStore().save(badgeClass, schoolID: schoolID, in: db) }
    func classes(schoolID: Int64) throws -> [StoredBadgeClass] { try BadgeStore().classes(schoolID: schoolID, in: db) }
    func levels(of badge: StoredBadgeClass) throws -> [Scale.Level] { try BadgeStore().levels(of: badge, in: db) }
    func evaluateAllRules(now: Date, cause: MasteryChangeCause) throws -> RuleOutcome { try BadgeStore().evaluateAllRules(now: now, cause: cause, in: db) }
    func award(code: String, schoolID: Int64, studentID: Int64, by teacher: String, evidence: [String], on day: CalendarDate, now: Date) throws -> StoredAward { try BadgeStore().award(code: code, schoolID: schoolID, studentID: studentID, by: teacher, evidence: evidence, on: day, now: now, in: db) }
    func revoke(uuid: String, by teacher: String, reason: String, now: Date) throws { try BadgeStore().revoke(uuid: uuid, by: teacher, reason: reason, now: now, in: db) }
    func keep(uuid: String) throws { try BadgeStore().keep(uuid: uuid, in: db) }
    func award(uuid: String) throws -> StoredAward? { try BadgeStore().award(uuid: uuid, in: db) }
    func awards(studentID: Int64) throws -> [StoredAward] { try BadgeStore().awards(studentID: studentID, in: db) }
    func awardsToReview(schoolID: Int64) throws -> [StoredAward] { try BadgeStore().awardsToReview(schoolID: schoolID, in: db) }
    func revocations(schoolID: Int64) throws -> [(uuid: String, reason: String)] { try BadgeStore().revocations(schoolID: schoolID, in: db) }
}

struct SQLRequestRepository: RequestRepository {
    let db: any SQLConnection

    func request(studentID: Int64, target: ReferentialTarget, competency: String, message: String?, at date: Date) throws -> Int64 { try RequestStore().request(studentID: studentID, target: target, competency: competency, message: message, at: date, in: db) }
    func answer(_ id: Int64, status: EvaluationRequest.Status, answer: String?, by teacher: String, at date: Date) throws { try RequestStore().answer(id, status: status, answer: answer, by: teacher, at: date, in: db) }
    func studentID(ofRequest id: Int64) throws -> Int64? { try RequestStore().studentID(ofRequest: id, in: db) }
    func openRequests(studentIDs: [Int64]) throws -> [EvaluationRequest] { try RequestStore().openRequests(studentIDs: studentIDs, in: db) }
    func requests(studentID: Int64) throws -> [EvaluationRequest] { try RequestStore().requests(studentID: studentID, in: db) }
}

struct SQLProgressRepository: ProgressRepository {
    let db: any SQLConnection

    func report(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate?) throws -> StudentReport { try ProgressStore().report(studentID: studentID, target: target, asOf: date, in: db) }
    func acquiredCounts(studentID: Int64, target: ReferentialTarget, on dates: [CalendarDate]) throws -> [Int] { try ProgressStore().acquiredCounts(studentID: studentID, target: target, on: dates, in: db) }
    func quietStudents(_ students: [StoredStudent], since: CalendarDate) throws -> [QuietStudent] { try ProgressStore().quietStudents(students, since: since, in: db) }
}

struct SQLSynthesisRepository: SynthesisRepository {
    let db: any SQLConnection

    func save(studentID: Int64, period: Period, text: String, goals: [String], author: String, on day: CalendarDate) throws { try SynthesisStore().save(studentID: studentID, period: period, text: text, goals: goals, author: author, on: day, in: db) }
}

struct SQLVigilanceRepository: VigilanceRepository {
    let db: any SQLConnection

    func holidayZone(schoolID: Int64) throws -> HolidayCalendar.Zone? { try VigilanceStore().holidayZone(schoolID: schoolID, in: db) }
    func setHolidayZone(_ zone: HolidayCalendar.Zone?, schoolID: Int64) throws { try VigilanceStore().setHolidayZone(zone, schoolID: schoolID, in: db) }
    func thresholds(schoolID: Int64) throws -> VigilanceThresholds { try VigilanceStore().thresholds(schoolID: schoolID, in: db) }
    func setThreshold(_ key: String, to value: Int, schoolID: Int64) throws { try VigilanceStore().setThreshold(key, to: value, schoolID: schoolID, in: db) }
    func list(for division: DivisionRef, asOf today: CalendarDate) throws -> [VigilanceEntry] { try VigilanceStore().list(for: division, asOf: today, in: db) }
    func lists(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [(division: String, entries: [VigilanceEntry])] { try VigilanceStore().lists(schoolID: schoolID, year: year, asOf: today, in: db) }
    func signals(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [Int64: [Signal]] { try VigilanceStore().signals(schoolID: schoolID, year: year, asOf: today, in: db) }
    func list(forTutor teacherID: Int64, schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [VigilanceEntry] { try VigilanceStore().list(forTutor: teacherID, schoolID: schoolID, year: year, asOf: today, in: db) }
    func signals(studentID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [Signal] { try VigilanceStore().signals(studentID: studentID, year: year, asOf: today, in: db) }
    func signals(classes: [[Int64]], keeping: Set<Int64>?, schoolID: Int64, asOf today: CalendarDate) throws -> [Int64: [Signal]] { try VigilanceStore().signals(classes: classes, keeping: keeping, schoolID: schoolID, asOf: today, in: db) }
}

struct SQLFollowUpRepository: FollowUpRepository {
    let db: any SQLConnection

    func record(studentID: Int64, action: String, decidedOn: CalendarDate, note: String?, author: String, today: CalendarDate, at instant: Date) throws -> FollowUp { try FollowUpStore().record(studentID: studentID, action: action, decidedOn: decidedOn, note: note, author: author, today: today, at: instant, in: db) }
    func followUps(studentID: Int64, asOf day: CalendarDate) throws -> [FollowUp] { try FollowUpStore().followUps(studentID: studentID, asOf: day, in: db) }
    func outcomes(studentID: Int64, since days: [CalendarDate], asOf today: CalendarDate) throws -> [Outcome] { try FollowUpStore().outcomes(studentID: studentID, since: days, asOf: today, in: db) }
}

struct SQLNeedGroupRepository: NeedGroupRepository {
    let db: any SQLConnection

    func suggest(division: DivisionRef, target: ReferentialTarget, competencies: [String], period: Period, asOf today: CalendarDate) throws -> NeedGroupSet { try NeedGroupStore().suggest(division: division, target: target, competencies: competencies, period: period, asOf: today, in: db) }
    func save(_ set: NeedGroupSet, division: DivisionRef, by author: String, at instant: Date) throws -> Int64 { try NeedGroupStore().save(set, division: division, by: author, at: instant, in: db) }
    func sets(division: DivisionRef) throws -> [NeedGroupSet] { try NeedGroupStore().sets(division: division, in: db) }
    func set(id: Int64, year: SchoolYear) throws -> NeedGroupSet { try NeedGroupStore().set(id: id, year: year, in: db) }
    func outcomes(of set: NeedGroupSet, asOf today: CalendarDate) throws -> [NeedGroup: Outcome] { try NeedGroupStore().outcomes(of: set, asOf: today, in: db) }
}

struct SQLTutoringRepository: TutoringRepository {
    let db: any SQLConnection

    func assignTutor(studentID: Int64, teacherLogin: String, year: SchoolYear, since: CalendarDate) throws { try TutoringStore().assignTutor(studentID: studentID, teacherLogin: teacherLogin, year: year, since: since, in: db) }
    func assignSponsor(studentID: Int64, sponsorID: Int64, year: SchoolYear, since: CalendarDate) throws { try TutoringStore().assignSponsor(studentID: studentID, sponsorID: sponsorID, year: year, since: since, in: db) }
    func tutoring(of studentID: Int64, year: SchoolYear) throws -> Tutoring { try TutoringStore().tutoring(of: studentID, year: year, in: db) }
    func sponsored(by sponsorID: Int64, year: SchoolYear) throws -> [Int64] { try TutoringStore().sponsored(by: sponsorID, year: year, in: db) }
}

struct SQLSessionRepository: SessionRepository {
    let db: any SQLConnection

    func create(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String?, now: Date) throws -> Bool {
        try WebSessionStore().create(key: key, value: value, accountID: accountID, expiresAt: expiresAt, ssoTicket: ssoTicket, now: now, in: db)
    }
    func set(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String?, now: Date) throws {
        try WebSessionStore().set(key: key, value: value, accountID: accountID, expiresAt: expiresAt, ssoTicket: ssoTicket, now: now, in: db)
    }
    func peek(key: String) throws -> StoredSession? { try WebSessionStore().peek(key: key, in: db) }
    func touch(key: String, now: Date) throws { try WebSessionStore().touch(key: key, now: now, in: db) }
    func remove(key: String) throws { try WebSessionStore().remove(key: key, in: db) }
    func secret(named name: String) throws -> Data { try WebSessionStore().secret(named: name, in: db) }
}

struct SQLViewLogRepository: ViewLogRepository {
    let db: any SQLConnection

    func record(viewer: String, subject: SensitiveSubject, studentIDs: [Int64], division: String?, at instant: Date) throws { try SensitiveViewLog().record(viewer: viewer, subject: subject, studentIDs: studentIDs, division: division, at: instant, in: db) }
}

extension SQLAccountRepository {
    func setActivationCode(login: String, codeHash: String, expiresAt: Date) throws {
        try ActivationStore().setCode(login: login, codeHash: codeHash, expiresAt: expiresAt, in: db)
    }
    func activate(login: String, codeHash: String, passwordHash: String, now: Date) throws -> Int64? {
        try ActivationStore().activate(login: login, codeHash: codeHash, passwordHash: passwordHash, now: now, in: db)
    }
    func setDisabled(login: String, at date: Date?) throws { try ActivationStore().setDisabled(login: login, at: date, in: db) }
    func managedAccounts(schoolID: Int64) throws -> [ManagedAccount] { try ActivationStore().managedAccounts(schoolID: schoolID, in: db) }
    func studentsWithAccount(schoolID: Int64) throws -> Set<Int64> { try ActivationStore().studentsWithAccount(schoolID: schoolID, in: db) }
    func loginTaken(_ login: String) throws -> Bool { try ActivationStore().loginTaken(login, in: db) }
}

extension SQLReferentialRepository {
    func followed(divisionID: Int64) throws -> [String: Int64] { try ReferentialStore().followed(divisionID: divisionID, in: db) }
    func unfollow(code: String, divisionID: Int64) throws { try ReferentialStore().unfollow(code: code, divisionID: divisionID, in: db) }
}

extension SQLSynthesisRepository {
    func synthesis(studentID: Int64, period: Period) throws -> StoredSynthesis? { try SynthesisStore().synthesis(studentID: studentID, period: period, in: db) }
    func reflection(studentID: Int64, period: Period) throws -> StudentReflection? {
        try PeriodBilanStore().reflection(studentID: studentID, period: period, in: db)
    }
    func saveReflection(_ reflection: StudentReflection, studentID: Int64, period: Period) throws {
        try PeriodBilanStore().saveReflection(reflection, studentID: studentID, period: period, in: db)
    }
    func acknowledgements(studentID: Int64, period: Period) throws -> [FamilyAcknowledgement] {
        try PeriodBilanStore().acknowledgements(studentID: studentID, period: period, in: db)
    }
    func closings(divisionID: Int64, period: String) throws -> [PeriodClosing] {
        try StaffStore().closings(divisionID: divisionID, period: period, in: db)
    }
    func recordClosing(_ closing: PeriodClosing, divisionID: Int64, period: String) throws {
        try StaffStore().recordClosing(closing, divisionID: divisionID, period: period, in: db)
    }
    func acknowledge(studentID: Int64, period: Period, accountID: Int64, at date: Date) throws {
        try PeriodBilanStore().acknowledge(studentID: studentID, period: period, accountID: accountID, at: date, in: db)
    }
}

extension SQLSchoolRepository {
    func name(schoolID: Int64) throws -> String? { try SchoolStore().name(schoolID: schoolID, in: db) }
    func setName(_ name: String, schoolID: Int64) throws { try SchoolStore().setName(name, schoolID: schoolID, in: db) }
    func periodScheme(schoolID: Int64) throws -> PeriodScheme? { try SchoolStore().periodScheme(schoolID: schoolID, in: db) }
    func leaverMonths(schoolID: Int64) throws -> Int? { try SchoolStore().leaverMonths(schoolID: schoolID, in: db) }
    func setLeaverMonths(_ months: Int, schoolID: Int64) throws { try SchoolStore().setLeaverMonths(months, schoolID: schoolID, in: db) }
    func leaverAccess(studentID: Int64, today: CalendarDate) throws -> LeaverAccess {
        try SchoolStore().leaverAccess(studentID: studentID, today: today, in: db)
    }
    func setPeriodScheme(_ scheme: PeriodScheme, schoolID: Int64) throws { try SchoolStore().setPeriodScheme(scheme, schoolID: schoolID, in: db) }
}

struct SQLSetupRepository: SetupRepository {
    let db: any SQLConnection

    func isBlank() throws -> Bool { try SetupStore().isBlank(in: db) }
    func saveToken(hash: String, expiresAt: Date) throws { try SetupStore().saveToken(hash: hash, expiresAt: expiresAt, in: db) }
    func tokenIsLive(hash: String, now: Date) throws -> Bool { try SetupStore().tokenIsLive(hash: hash, now: now, in: db) }
    func consumeToken(hash: String, now: Date) throws -> Bool { try SetupStore().consumeToken(hash: hash, now: now, in: db) }
    func createSchool(uai: String, name: String) throws -> Int64 { try SetupStore().createSchool(uai: uai, name: name, in: db) }
}

struct SQLUploadRepository: UploadRepository {
    let db: any SQLConnection

    func save(_ kind: PendingUpload.Kind, schoolID: Int64, fileName: String, content: [UInt8], uploadedBy: String,
              at date: Date) throws -> Int64 {
        try UploadStore().save(kind, schoolID: schoolID, fileName: fileName, content: content, uploadedBy: uploadedBy, at: date, in: db)
    }
    func upload(id: Int64, now: Date) throws -> PendingUpload? { try UploadStore().upload(id: id, now: now, in: db) }
    func remove(id: Int64) throws { try UploadStore().remove(id: id, in: db) }
    func removeExpired(now: Date) throws { try UploadStore().removeExpired(now: now, in: db) }
}

struct SQLGuardianRepository: GuardianRepository {
    let db: any SQLConnection

    func importGuardians(_ roster: GuardianRoster, schoolID: Int64) throws -> GuardianImport {
        try GuardianStore().importGuardians(roster, schoolID: schoolID, in: db)
    }
    func guardians(schoolID: Int64) throws -> [StoredGuardian] { try GuardianStore().guardians(schoolID: schoolID, in: db) }
    func childIDs(guardianID: Int64) throws -> [Int64] { try GuardianStore().childIDs(guardianID: guardianID, in: db) }
    func guardiansWithAccount(schoolID: Int64) throws -> Set<Int64> { try GuardianStore().guardiansWithAccount(schoolID: schoolID, in: db) }
}

struct SQLStaffRepository: StaffRepository {
    let db: any SQLConnection

    func importTeachers(_ roster: TeacherRoster, schoolID: Int64, year: SchoolYear,
                        newLogin: (RosterTeacher) throws -> String) throws -> TeacherImport {
        try StaffStore().importTeachers(roster, schoolID: schoolID, year: year, newLogin: newLogin, in: db)
    }
    func staff(schoolID: Int64, year: SchoolYear) throws -> [StaffTeacher] { try StaffStore().staff(schoolID: schoolID, year: year, in: db) }
    func leads(teacherID: Int64, year: SchoolYear) throws -> [String] { try StaffStore().leads(teacherID: teacherID, year: year, in: db) }
    func teachers(divisionID: Int64) throws -> [(teacher: Teacher, leads: Bool)] { try StaffStore().teachers(divisionID: divisionID, in: db) }
    func setMainTeachers(_ teacherIDs: [Int64], divisionID: Int64) throws {
        try StaffStore().setMainTeachers(teacherIDs, divisionID: divisionID, in: db)
    }
}

struct SQLReportRepository: ReportRepository {
    let db: any SQLConnection

    func progressFile(studentID: Int64, period: Period, including: [String], versions: [String: String],
                      context: inout ReportContext) throws -> ProgressFile {
        try context.progressFile(studentID: studentID, period: period, including: including, versions: versions, in: db)
    }

    func classReport(division: String, uai: String, target: ReferentialTarget, period: Period,
                     columns codes: [String]?, quietDays: Int, context: inout ReportContext) throws -> ClassReport {
        try context.classReport(division: division, uai: uai, target: target, period: period, columns: codes,
                                quietDays: quietDays, in: db)
    }

    func cycleAssessment(divisions: [String], uai: String, year: SchoolYear, cycle: Int, headOfSchool: String,
                         target: ReferentialTarget, context: inout ReportContext) throws -> CycleAssessment {
        try context.cycleAssessment(divisions: divisions, uai: uai, year: year, cycle: cycle, headOfSchool: headOfSchool,
                                    target: target, in: db)
    }

    func lslPositions(divisions: [String], uai: String, period: Period, target: ReferentialTarget,
                      context: inout ReportContext) throws -> [LSLPosition] {
        try context.lslPositions(divisions: divisions, uai: uai, period: period, target: target, in: db)
    }
}
