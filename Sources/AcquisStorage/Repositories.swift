import AcquisBadges
import AcquisCore
import AcquisGrading
import AcquisReports
import AcquisVigilance
import Foundation

/// The school, its students, classes and groups.
public protocol SchoolRepository {
    /// Stores the students of a roster for `uai` and `year`. A student already known (by INE,
    /// else by the school's id) is updated, never duplicated; their class and groups for that
    /// year are replaced by the file's. Students missing from the file are kept.
    func importRoster(_ roster: StudentRoster, uai: String, year: SchoolYear) throws -> RosterImport

    /// The id of a known school; ``SchoolStoreError/unknownSchool(_:)`` otherwise.
    func schoolID(uai: String) throws -> Int64

    /// The UAI of a school known by its id.
    func uai(schoolID: Int64) throws -> String?

    /// The name of a school, once given (at setup).
    func name(schoolID: Int64) throws -> String?

    /// How the school divides its year for bilans; nil until direction chooses (trimesters).
    func periodScheme(schoolID: Int64) throws -> PeriodScheme?

    /// Sets how the school divides its year for bilans.
    func setPeriodScheme(_ scheme: PeriodScheme, schoolID: Int64) throws

    /// How many months a student who left may still download their portfolio; nil until
    /// direction chooses (``LeaverAccess/defaultMonths``).
    func leaverMonths(schoolID: Int64) throws -> Int?

    /// Sets how many months a student who left may still download their portfolio.
    func setLeaverMonths(_ months: Int, schoolID: Int64) throws

    /// What a student's account opens on `today`, from the day they left and their school's choice.
    func leaverAccess(studentID: Int64, today: CalendarDate) throws -> LeaverAccess

    /// Names a school, as its letters and pages print it.
    func setName(_ name: String, schoolID: Int64) throws

    /// The school a student belongs to; nil for an unknown student.
    func schoolID(studentID: Int64) throws -> Int64?

    /// The only school of the database, for commands that do not name one.
    func soleSchoolUAI() throws -> String

    /// A class or group of a school year, by its code.
    func division(code: String, schoolID: Int64, year: SchoolYear) throws -> DivisionRef

    /// The students of a class or group still there on `day`, in French alphabetical order. A
    /// student who left (`DATE_SORTIE` passed) keeps history and badges but is listed apart,
    /// by ``leavers(in:asOf:)``.
    func students(inDivision code: String, uai: String, year: SchoolYear, asOf day: CalendarDate) throws -> [StoredStudent]

    /// The same list for a class or group already looked up.
    func students(in division: DivisionRef, asOf day: CalendarDate) throws -> [StoredStudent]

    /// The students of a class or group who had left it by `day`, with the day they left.
    func leavers(in division: DivisionRef, asOf day: CalendarDate) throws -> [StoredStudent]

    /// The ids of a class's or group's students present on `day`, in the same order.
    func studentIDs(divisionID: Int64, asOf day: CalendarDate) throws -> [Int64]

    /// The student a file or a command names.
    func student(_ reference: StudentReference, year: SchoolYear?) throws -> StoredStudent

    /// A student by id, with their class of `year` (the latest one when nil).
    func student(studentID: Int64, year: SchoolYear?) throws -> StoredStudent

    /// Ids of every student, keyed by INE and by the school's id, for bulk imports.
    func studentIDs() throws -> [StudentReference: Int64]

    /// The codes of the referentials a student follows in a school year: those their teachers
    /// evaluate them in, and those their class (not a group, which may mix diplomas) is
    /// evaluated in. Self-evaluations never count, so that a student cannot open a
    /// referential by writing in it.
    func referentialsFollowed(studentID: Int64, year: SchoolYear) throws -> Set<String>

    /// Classes and groups of a school year with their number of students.
    func divisions(uai: String, year: SchoolYear) throws -> [(code: String, kind: String, students: Int)]
}

/// Accounts, their roles and what each teacher follows.
public protocol AccountRepository {
    /// Creates an account; a teacher account also becomes a teacher of its school.
    func create(_ new: NewAccount, at date: Date) throws -> Account

    /// The account and its password hash, to check a password at sign-in.
    func credentials(login: String) throws -> (account: Account, passwordHash: String)?

    /// An account by id; nil once it was deleted.
    func account(id: Int64) throws -> Account?

    /// Every account, by login.
    func accounts() throws -> [Account]

    /// Makes a teacher account teach these classes or groups of a school year.
    func assign(login: String, divisions: [String], year: SchoolYear) throws

    /// The classes and groups of a school in a school year, with their number of students
    /// still there on `day`.
    func divisions(schoolID: Int64, year: SchoolYear, asOf day: CalendarDate) throws -> [TaughtDivision]

    /// The classes and groups a teacher teaches in a school year, with their number of students
    /// still there on `day`.
    func divisions(teacherID: Int64, year: SchoolYear, asOf day: CalendarDate) throws -> [TaughtDivision]

    /// The class or group `code` of a school in a school year, with its number of students
    /// still there on `day` and the school's UAI; when `teacherID` is given, only if that
    /// teacher teaches it. Nil otherwise, or when there is none.
    func division(code: String, schoolID: Int64, taughtBy teacherID: Int64?, year: SchoolYear, asOf day: CalendarDate) throws -> TaughtClass?

    /// Whether a teacher teaches the student this school year (in a class or group) or tutors them.
    func teacherFollows(teacherID: Int64, studentID: Int64, year: SchoolYear) throws -> Bool

    /// The students a teacher teaches this school year or tutors.
    func followedStudentIDs(teacherID: Int64, year: SchoolYear) throws -> [Int64]

    /// The students of a school.
    func studentIDs(schoolID: Int64) throws -> [Int64]

    /// Gives an account a new one-time code, valid until `expiresAt`; any password it had stops working.
    func setActivationCode(login: String, codeHash: String, expiresAt: Date) throws

    /// Sets the password of an account whose live code matches, and uses the code up: the
    /// account's id, once; nil for a wrong, used or expired code, or a disabled account.
    func activate(login: String, codeHash: String, passwordHash: String, now: Date) throws -> Int64?

    /// Disables an account at `date` (nil re-enables it): it signs in no more, its sessions end.
    func setDisabled(login: String, at date: Date?) throws

    /// The accounts of a school with where each stands, by role then name.
    func managedAccounts(schoolID: Int64) throws -> [ManagedAccount]

    /// The students of a school who already have a student account.
    func studentsWithAccount(schoolID: Int64) throws -> Set<Int64>

    /// Whether a login is taken (disabled accounts keep theirs).
    func loginTaken(_ login: String) throws -> Bool

    /// The teachers of a school, by name.
    func teachers(schoolID: Int64) throws -> [Teacher]

    /// The teacher behind a teacher account's login; nil for another kind of account.
    func teacher(login: String) throws -> Teacher?
}

/// Observations: recorded, corrected, withdrawn; their history.
public protocol EvaluationRepository {
    /// Records one evaluation and recomputes the mastery it affects. Returns its id and that
    /// mastery. `today` bounds the observation's day: nothing is observed in the future.
    /// `studentID`, when the caller already looked the student up, spares a second lookup on
    /// each click.
    @discardableResult
    func record(_ entry: EvaluationEntry, studentID: Int64?, recordedBy: String?, at date: Date, today: CalendarDate) throws -> RecordedEvaluation

    /// Changes an evaluation; the version before the change stays in its history. Returns
    /// false when the correction gives the values the evaluation already has: nothing changes.
    func correct(_ id: Int64, with correction: EvaluationCorrection, by author: String, reason: String?, at date: Date, today: CalendarDate) throws -> Bool

    /// Takes an evaluation out of every computation. Its row and history stay.
    func withdraw(_ id: Int64, by author: String, reason: String?, at date: Date) throws

    /// Every change of an evaluation, oldest first.
    /// Throws for an evaluation that does not exist: « never changed » would be false comfort.
    func history(of id: Int64) throws -> [EvaluationChange]

    /// The student an evaluation is about; nil when there is no such evaluation.
    func studentID(ofEvaluation id: Int64) throws -> Int64?

    /// Makes every other transaction that records for these students wait until this one ends
    /// (``WriteScope/students``), taking them in one order: a transaction that records for
    /// several students calls it before the first, so that two never wait for each other.
    func lockStudents(_ studentIDs: [Int64]) throws

    /// A student's evidence in force across referentials, most recent observation first, with
    /// the referential code of each: the history a teacher reads.
    func recentEvidence(studentID: Int64, limit: Int) throws -> [(referentialCode: String, evaluation: StoredEvaluation)]

    /// Every observation of a student on a competency (by referential and competency code,
    /// whatever the version), newest first: the evidence behind one level.
    func evidence(studentID: Int64, referentialCode: String, competencyCode: String) throws -> [StoredEvaluation]
}

/// Computed levels, kept up to date with the evidence and the badge rules.
public protocol MasteryRepository {
    /// Rebuilds every mastery from the evaluations, each referential with its own policy,
    /// then checks every badge rule.
    func recomputeAll(now: Date) throws -> MasteryRecomputation

    /// Rebuilds the masteries of one referential version (after its policy changed), then
    /// checks the rules of its badges for every student evaluated in it.
    func recompute(referentialID: Int64, now: Date, cause: MasteryChangeCause) throws -> MasteryRecomputation

    /// Rebuilds the masteries of the given (student, node) pairs, after a bulk import, then
    /// the rules that read them.
    func recompute(pairs: Set<StudentNode>, now: Date, cause: MasteryChangeCause) throws -> MasteryRecomputation

    /// The stored masteries of a student on a referential version, by node code.
    func masteries(studentID: Int64, referentialID: Int64) throws -> [String: StoredMastery]

    /// The level rank of every student of a class on each node of a referential version that
    /// has one, in one read and without explanations: what a class grid shows.
    func ranks(studentIDs: [Int64], referentialID: Int64) throws -> [StudentNode: Int]
}

/// Published referentials, their versions and how they compute levels.
public protocol ReferentialRepository {
    /// Loads a referential version for recording and computing evaluations.
    func target(code: String, version: String?) throws -> ReferentialTarget

    /// A referential version by its id.
    func target(id: Int64) throws -> ReferentialTarget

    /// Chooses how a referential version computes masteries. The caller recomputes them.
    func setPolicy(method: MasteryMethod, rollUp: RollUpRule, referentialID: Int64) throws

    /// How `referential`, about to be published, would continue the version stored before it
    /// (nil when there is none): what an inspector reads before publishing.
    func continuity(of referential: Referential, correspondence: Correspondence?) throws -> VersionContinuity?

    /// The version named, or else the version the student's evidence is read in.
    func target(code: String, version: String?, studentID: Int64) throws -> ReferentialTarget

    /// The version named, or else the version the class or group works with.
    func target(code: String, version: String?, divisionID: Int64) throws -> ReferentialTarget

    /// The referential versions a class or group follows, by code, as direction chose them.
    func followed(divisionID: Int64) throws -> [String: Int64]

    /// Stops a class or group following a referential; its evidence stays and still counts.
    func unfollow(code: String, divisionID: Int64) throws

    /// Makes a class or group work with one version of a referential: the grid shows it,
    /// and evaluations recorded from it go to it. Levels need no recomputing: evidence of
    /// earlier versions already counts in later ones.
    func chooseVersion(code: String, version: String, divisionID: Int64) throws

    /// Stores a referential version. Storing the same content again changes nothing;
    /// storing different content under an existing version is refused, because evaluations
    /// point at versions and must keep their meaning.
    ///
    /// A new version continues the one before it: its competencies that keep their code, and
    /// those `correspondence` accounts for, count the evidence observed under the earlier
    /// version (see ``VersionLineage``). A version that would leave evaluated competencies
    /// unaccounted for is refused (``VersionContinuityError``).
    func save(_ referential: Referential, format: String, correspondence: Correspondence?) throws -> SaveOutcome

    /// Every stored version, grouped by code, oldest version first.
    func summaries() throws -> [ReferentialSummary]

    /// Every stored version of the referentials named, grouped by code, oldest version first.
    func summaries(codes: [String]) throws -> [ReferentialSummary]

    /// The `limit` versions imported last, the newest first.
    func recentSummaries(limit: Int) throws -> [ReferentialSummary]

    /// How many referential versions are stored.
    func versionCount() throws -> Int

    /// How many referentials are stored, each counted once whatever its versions: a school
    /// holds a handful, an académie that imported a national export thousands.
    func codeCount() throws -> Int

    /// The referentials the classes and groups of a school follow in a school year, by code.
    func codesFollowed(schoolID: Int64, year: SchoolYear) throws -> [String]

    /// What a class's offer starts from: what it follows, what its school follows, how many
    /// referentials are stored; read together.
    func offerBasis(division: DivisionRef) throws -> ReferentialOfferBasis

    /// The referentials whose code or title contains `text`, ignoring accents, case and
    /// punctuation, by code, at most `limit`.
    func search(_ text: String, limit: Int) throws -> [String]

    /// The referentials these students have evidence in, the one with the most competencies
    /// observed first: for each, the newest version they have evidence in, where the evidence
    /// of earlier ones also counts.
    func referentialsInUse(studentIDs: [Int64]) throws -> [(code: String, id: Int64)]

    /// The given version of a referential, or its latest version when `version` is nil.
    func referential(code: String, version: String?) throws -> Referential
}

/// Referentials an inspector has loaded and not yet published.
public protocol DraftRepository {
    /// Keeps a file as sent, with the format and settings the inspector gave. Returns its id.
    func save(fileName: String, content: [UInt8], format: String?, settings: ReferentialSettings, uploadedBy: String,
              at date: Date) throws -> Int64

    /// A draft by id; nil for an unknown one.
    func draft(id: Int64) throws -> ReferentialDraft?

    /// Records the referential version a draft became.
    func markPublished(id: Int64, as referentialID: Int64) throws
}

/// The issuer, its keys, badge classes and awards.
public protocol BadgeRepository {
    /// Makes a school an issuer, publishes its first key and installs the standard badge classes
    /// of every referential.
    func createIssuer(_ issuer: Issuer, schoolID: Int64, firstKey: IssuerKey) throws -> Int

    /// Changes the issuer's name, site, e-mail or public address. Badges already delivered
    /// keep pointing where they did: the caller warns that the former public address must stay
    /// reachable (or redirect) for them to verify.
    func updateIssuer(_ issuer: Issuer, schoolID: Int64) throws

    /// How many badges the school delivered: those that point to the public address.
    func awardCount(schoolID: Int64) throws -> Int

    /// The school as an issuer; nil before it became one.
    func issuer(schoolID: Int64) throws -> Issuer?

    /// The school as an issuer; says how to become one when it is not.
    func requiredIssuer(schoolID: Int64) throws -> Issuer

    /// The schools that issue badges.
    func schoolIDsWithIssuer() throws -> [Int64]

    /// Publishes a new key. The school's active key of the same algorithm is retired, not
    /// deleted: badges it signed stay verifiable.
    func addKey(_ key: IssuerKey, schoolID: Int64) throws

    /// Every key of the school, the oldest first.
    func keys(schoolID: Int64) throws -> [IssuerKey]

    /// The key of `algorithm` new badges are signed with; says how to add one when there is none.
    func activeKey(schoolID: Int64, algorithm: IssuerKey.Algorithm) throws -> IssuerKey

    /// Adds or updates a school's badge class (from a badge definition file). Its rule can
    /// change only while nobody has it.
    func save(_ badgeClass: BadgeClass, schoolID: Int64) throws -> Int64

    /// The school's badge classes, by code.
    func classes(schoolID: Int64) throws -> [StoredBadgeClass]

    /// The levels of the scale a badge class is evaluated with, for Open Badges 3.0 results.
    func levels(of badge: StoredBadgeClass) throws -> [Scale.Level]

    /// Checks every rule for every student with a mastery: after installing badge classes.
    func evaluateAllRules(now: Date, cause: MasteryChangeCause) throws -> RuleOutcome

    /// A teacher awards a badge by hand (transversal skills, or a rule badge on their judgement).
    func award(code: String, schoolID: Int64, studentID: Int64, by teacher: String, evidence: [String], on day: CalendarDate, now: Date) throws -> StoredAward

    /// Revokes an award, with a reason that the revocation lists publish.
    func revoke(uuid: String, by teacher: String, reason: String, now: Date) throws

    /// A teacher keeps a badge flagged for review: the evidence changed, the badge stays.
    func keep(uuid: String) throws

    /// An award by its public id; nil for an unknown one.
    func award(uuid: String) throws -> StoredAward?

    /// A student's badges, revoked ones included, the most recent first.
    func awards(studentID: Int64) throws -> [StoredAward]

    /// A school's awards waiting for a teacher's decision.
    func awardsToReview(schoolID: Int64) throws -> [StoredAward]

    /// The school's revoked awards and their reasons, for the revocation lists.
    func revocations(schoolID: Int64) throws -> [(uuid: String, reason: String)]
}

/// Students’ requests to be evaluated, and their answers.
public protocol RequestRepository {
    /// A student asks to be evaluated on a competency of `target`. Returns the request's id.
    func request(studentID: Int64, target: ReferentialTarget, competency: String, message: String?, at date: Date) throws -> Int64

    /// A teacher answers a request: done, or declined with a word for the student.
    func answer(_ id: Int64, status: EvaluationRequest.Status, answer: String?, by teacher: String, at date: Date) throws

    /// The student who made a request; nil for an unknown request.
    func studentID(ofRequest id: Int64) throws -> Int64?

    /// Open requests of the given students (a class), oldest first: the teacher's queue.
    func openRequests(studentIDs: [Int64]) throws -> [EvaluationRequest]

    /// Every request of one student, newest first: what the student sees.
    func requests(studentID: Int64) throws -> [EvaluationRequest]
}

/// What a class shows of its students’ progress.
public protocol ProgressRepository {
    /// The report of a student on a referential version, at `date` (today's evidence when nil).
    func report(studentID: Int64, target: ReferentialTarget, asOf date: CalendarDate?) throws -> StudentReport

    /// How many competencies of `target` were acquired on each of `dates`, reading the evidence once.
    func acquiredCounts(studentID: Int64, target: ReferentialTarget, on dates: [CalendarDate]) throws -> [Int]

    /// Students of a class with no observation since `since`, the longest silent first.
    func quietStudents(_ students: [StoredStudent], since: CalendarDate) throws -> [QuietStudent]
}

/// Period bilans written for students.
public protocol SynthesisRepository {
    /// Writes (or rewrites) the team's synthesis of a student for a period, with its goals.
    func save(studentID: Int64, period: Period, text: String, goals: [String], author: String, on day: CalendarDate) throws

    /// The team's synthesis of a student for a period, once written.
    func synthesis(studentID: Int64, period: Period) throws -> StoredSynthesis?

    /// The student's own part of a period's bilan, once written.
    func reflection(studentID: Int64, period: Period) throws -> StudentReflection?

    /// Writes (or rewrites) the student's part of a period.
    func saveReflection(_ reflection: StudentReflection, studentID: Int64, period: Period) throws

    /// Each family account's « Vu » on a period, the first first.
    func acknowledgements(studentID: Int64, period: Period) throws -> [FamilyAcknowledgement]

    /// Keeps a family account's « Vu » on a period, once: the first day stays.
    func acknowledge(studentID: Int64, period: Period, accountID: Int64, at date: Date) throws

    /// Every closing and reopening of a class's period, the first first; the last says
    /// whether it is closed.
    func closings(divisionID: Int64, period: String) throws -> [PeriodClosing]

    /// Closes (or reopens) a class's period; the trace is kept.
    func recordClosing(_ closing: PeriodClosing, divisionID: Int64, period: String) throws
}

/// Signals of students who stall, thresholds and holidays.
public protocol VigilanceRepository {
    /// The school's zone for winter and spring holidays, once direction set it.
    func holidayZone(schoolID: Int64) throws -> HolidayCalendar.Zone?

    /// Sets the school's holiday zone (A, B or C); nil until direction chooses.
    func setHolidayZone(_ zone: HolidayCalendar.Zone?, schoolID: Int64) throws

    /// The school's thresholds, the defaults where it changed none.
    func thresholds(schoolID: Int64) throws -> VigilanceThresholds

    /// Changes one of a school's thresholds, after checking it.
    func setThreshold(_ key: String, to value: Int, schoolID: Int64) throws

    /// Every student of a class or group with their signals, in the order of the class list.
    /// Each student is measured against their own class, in the referentials it follows: a
    /// group may mix diplomas (CAP and Bac Pro in one PFMP group), and a student's page, a
    /// group's list and a class's list must say the same.
    func list(for division: DivisionRef, asOf today: CalendarDate) throws -> [VigilanceEntry]

    /// Every class of a school with its students' signals, all read in one pass.
    func lists(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [(division: String, entries: [VigilanceEntry])]

    /// A tutor's tutees with their signals, each measured against their own class.
    func list(forTutor teacherID: Int64, schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [VigilanceEntry]

    /// One student's signals, measured against their class.
    func signals(studentID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [Signal]

    /// The signals of every student of a school's classes, by student id, without reading who
    /// they are: for counts across schools.
    func signals(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate) throws -> [Int64: [Signal]]

    /// Signals of every student of the given classes (each class its own context), optionally
    /// only for some of them. Reads the evidence of all these students in one pass.
    func signals(classes: [[Int64]], keeping: Set<Int64>?, schoolID: Int64, asOf today: CalendarDate) throws -> [Int64: [Signal]]
}

/// What the team decided for a student, and what happened after.
public protocol FollowUpRepository {
    /// Records what the team decided for a student, on a day not after `today`.
    func record(studentID: Int64, action: String, decidedOn: CalendarDate, note: String?, author: String, today: CalendarDate, at instant: Date) throws -> FollowUp

    /// A student's follow-ups decided by `day`, the latest first.
    func followUps(studentID: Int64, asOf day: CalendarDate) throws -> [FollowUp]

    /// What happened to a student since each of `days`: levels the day before against levels
    /// today, in every referential they are evaluated in. Each referential is loaded once.
    func outcomes(studentID: Int64, since days: [CalendarDate], asOf today: CalendarDate) throws -> [Outcome]
}

/// Need groups: suggestions, saved sets, their outcomes.
public protocol NeedGroupRepository {
    /// Groups suggested from each student's levels on `competencies` as of `today`.
    func suggest(division: DivisionRef, target: ReferentialTarget, competencies: [String], period: Period, asOf today: CalendarDate) throws -> NeedGroupSet

    /// Saves the groups of a period, replacing what was saved for the same class, competencies and period.
    func save(_ set: NeedGroupSet, division: DivisionRef, by author: String, at instant: Date) throws -> Int64

    /// The saved sets of a class, the latest period first.
    func sets(division: DivisionRef) throws -> [NeedGroupSet]

    /// A saved set by id, with its students as they are listed in `year`.
    func set(id: Int64, year: SchoolYear) throws -> NeedGroupSet

    /// What happened to each group since its period started, on the set's competencies.
    func outcomes(of set: NeedGroupSet, asOf today: CalendarDate) throws -> [NeedGroup: Outcome]
}

/// Tutors and sponsors of students.
public protocol TutoringRepository {
    /// Makes a teacher of the student's school their tutor for the year, replacing any other.
    func assignTutor(studentID: Int64, teacherLogin: String, year: SchoolYear, since: CalendarDate) throws

    /// Makes an older student of the same school the student's peer sponsor for the year.
    func assignSponsor(studentID: Int64, sponsorID: Int64, year: SchoolYear, since: CalendarDate) throws

    /// A student's tutor and sponsor for the year, when they have them.
    func tutoring(of studentID: Int64, year: SchoolYear) throws -> Tutoring

    /// The students an older student sponsors this year.
    func sponsored(by sponsorID: Int64, year: SchoolYear) throws -> [Int64]
}

/// Signed-in sessions, kept so that any process may read them.
public protocol SessionRepository {
    /// Creates a session of `accountID` (nil before sign-in); false when the key is taken.
    func create(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String?, now: Date) throws -> Bool

    /// Replaces a session's value and the account it names; a nil expiry keeps the one it had.
    /// A session opened with a CAS service ticket keeps its hash, which single logout looks for.
    func set(key: String, value: Data, accountID: Int64?, expiresAt: Date?, ssoTicket: String?, now: Date) throws

    /// What is stored under a key, live or not, with the account it names: one statement.
    func peek(key: String) throws -> StoredSession?

    /// Marks a session used at `now`.
    func touch(key: String, now: Date) throws

    /// Ends a session.
    func remove(key: String) throws

    /// A random secret of the server, created on first use and kept: what signs must still
    /// verify after a restart.
    func secret(named name: String) throws -> Data
}

/// The first run: a blank database, its one-time setup link, the school it creates.
public protocol SetupRepository {
    /// No school and no account yet.
    func isBlank() throws -> Bool

    /// Keeps a new link's hash until `expiresAt`; every earlier link stops working.
    func saveToken(hash: String, expiresAt: Date) throws

    /// Whether a link is live at `now`.
    func tokenIsLive(hash: String, now: Date) throws -> Bool

    /// Uses a live link up: true once, false for an unknown, used or expired one.
    func consumeToken(hash: String, now: Date) throws -> Bool

    /// Adds a school with its name; ``SchoolStoreError/schoolExists(_:)`` for a UAI already known.
    func createSchool(uai: String, name: String) throws -> Int64
}

/// Legal guardians of a school's students, and the children each is responsible for.
public protocol GuardianRepository {
    /// Stores the guardians of a file: by `PERSONNE_ID`, their links to children replaced;
    /// only the school's own students are linked.
    func importGuardians(_ roster: GuardianRoster, schoolID: Int64) throws -> GuardianImport

    /// The school's guardians with their children, by name.
    func guardians(schoolID: Int64) throws -> [StoredGuardian]

    /// The children a guardian is responsible for.
    func childIDs(guardianID: Int64) throws -> [Int64]

    /// The guardians of a school who already have a family account.
    func guardiansWithAccount(schoolID: Int64) throws -> Set<Int64>
}

/// The school's teachers as STS-web describes them: who teaches what, who leads a class.
public protocol StaffRepository {
    /// Stores STS-web's teachers and services for a school year. A teacher already known (by
    /// STS-web's id) is updated, never duplicated, and their classes, groups and subjects of
    /// that year are replaced by the file's; a new teacher gets the login `newLogin` makes.
    /// Services in a class or group the school does not have that year are reported, not stored.
    /// Teachers added by hand are left alone.
    func importTeachers(_ roster: TeacherRoster, schoolID: Int64, year: SchoolYear,
                        newLogin: (RosterTeacher) throws -> String) throws -> TeacherImport

    /// The school's teachers with what they teach in a school year, by name.
    func staff(schoolID: Int64, year: SchoolYear) throws -> [StaffTeacher]

    /// The classes a teacher is main teacher of in a school year.
    func leads(teacherID: Int64, year: SchoolYear) throws -> [String]

    /// The teachers of a class or group, by name, and whether each is its main teacher.
    func teachers(divisionID: Int64) throws -> [(teacher: Teacher, leads: Bool)]

    /// Makes these teachers (none: nobody) the main teachers of a class.
    func setMainTeachers(_ teacherIDs: [Int64], divisionID: Int64) throws
}

/// Files sent to be imported, kept until their preview is confirmed (a day at most).
public protocol UploadRepository {
    /// Keeps a file for its preview; files older than a day are removed.
    func save(_ kind: PendingUpload.Kind, schoolID: Int64, fileName: String, content: [UInt8], uploadedBy: String,
              at date: Date) throws -> Int64

    /// A file still waiting at `now`; nil once confirmed, removed or older than a day.
    func upload(id: Int64, now: Date) throws -> PendingUpload?

    /// Forgets a file, confirmed or abandoned.
    func remove(id: Int64) throws

    /// Forgets every file older than a day: previews nobody confirmed, letters and their codes.
    func removeExpired(now: Date) throws
}

/// Who looked at which student’s sensitive records.
public protocol ViewLogRepository {
    /// One row per student shown: nothing is kept when nobody was shown.
    func record(viewer: String, subject: SensitiveSubject, studentIDs: [Int64], division: String?, at instant: Date) throws
}

/// What exports print, gathered from the evidence as it stands (corrections included,
/// withdrawals left out). `context` keeps what was loaded across a batch.
public protocol ReportRepository {
    /// A student's progress file for a period, one section per referential they have evidence in.
    /// - Parameters:
    ///   - including: referentials to show even without evidence yet.
    ///   - versions: the version to read a referential in, by code, instead of the version the
    ///     student's evidence is read in.
    func progressFile(studentID: Int64, period: Period, including: [String], versions: [String: String],
                      context: inout ReportContext) throws -> ProgressFile

    /// A class on one referential. Columns are the given competency codes, or the socle's eight
    /// LSU components, or every competency that has none below it.
    func classReport(division: String, uai: String, target: ReferentialTarget, period: Period,
                     columns codes: [String]?, quietDays: Int, context: inout ReportContext) throws -> ClassReport

    /// The LSU bilan de cycle of the students of `divisions`, from the socle referential
    /// `target`. Refuses, naming every student and component, while a position is missing.
    func cycleAssessment(divisions: [String], uai: String, year: SchoolYear, cycle: Int, headOfSchool: String,
                         target: ReferentialTarget, context: inout ReportContext) throws -> CycleAssessment

    /// Every competency of a diploma referential with a level, positioned on the LSL Pro degrees,
    /// for the students of `divisions`.
    func lslPositions(divisions: [String], uai: String, period: Period, target: ReferentialTarget,
                      context: inout ReportContext) throws -> [LSLPosition]
}

/// Counts across every school of the database, for the académie's overview: never a name.
public protocol AcademyRepository {
    /// The schools' ids.
    func schoolIDs() throws -> [Int64]

    /// Each referential evaluated in (withdrawn evidence aside), by code, every version together.
    func referentialUse() throws -> [ReferentialUse]

    /// Evaluations by month of observation, withdrawn evidence aside, the earliest first.
    func monthlyActivity() throws -> [MonthActivity]

    /// Badges awarded and not revoked, by diploma and block.
    func badgeTallies() throws -> [BadgeTally]

    /// Every follow-up decided by `day`, in every school.
    func followUps(asOf day: CalendarDate) throws -> [(studentID: Int64, action: String, decidedOn: CalendarDate)]
}
