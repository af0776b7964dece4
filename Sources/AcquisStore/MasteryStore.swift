import AcquisStorage
import AcquisCore
import AcquisGrading
import Foundation
import GRDB

/// Keeps the `mastery` table in step with the evaluations. The table is a cache: it can be
/// rebuilt from the evaluations at any time, with ``recomputeAll(now:in:)``.
///
/// Every public method that changes a mastery then checks the badge rules that read it, in
/// the same transaction: no mastery changes without its badges following, whatever caused
/// the change (an evaluation, a correction, an import, a new method, a recomputation).
public struct MasteryStore: Sendable {
    public init() {}

    /// Recomputes the mastery of one student on one node, then the rules that read it; then
    /// the same for the competencies of later versions that continue the node. Returns the
    /// node's mastery, as stored.
    ///
    /// - Parameter isContinued: whether a later version's competency continues the node, when
    ///   the caller read it in this transaction (``ReferentialStore/evaluationPoint(from:code:version:competency:studentID:in:)``
    ///   does): a click on a competency nobody continues then spares a query.
    @discardableResult
    public func update(studentID: Int64, nodeID: Int64, calculator: MasteryCalculator, isContinued: Bool? = nil,
                       now: Date = Date(), cause: MasteryChangeCause = .newEvidence, in db: any SQLConnection) throws -> StoredMastery {
        try update(studentID: studentID, nodeID: nodeID, calculator: calculator, isContinued: isContinued, now: now, cause: cause,
                   after: nil, in: db).mastery
    }

    /// ``update(studentID:nodeID:calculator:isContinued:now:cause:in:)`` after the write
    /// `write` (an evaluation's insert), sent with the read of the evidence it adds to: one
    /// round trip to a server for both. Returns the write's rows too.
    func update(studentID: Int64, nodeID: Int64, calculator: MasteryCalculator, isContinued: Bool?, now: Date,
                cause: MasteryChangeCause, after write: SQLQuery?, in db: any SQLConnection) throws -> (mastery: StoredMastery, written: [SQLRow]) {
        // Another transaction may be recording for the same student beside this one (a server
        // runs clicks side by side): the level must see its evaluation once it is committed.
        // Locked before the write: the evidence read after it then sees every evaluation
        // committed before, and its own.
        try db.lockStudents([studentID])
        let (mastery, written) = try compute(studentID: studentID, nodeID: nodeID, calculator: calculator, after: write, db)
        try BadgeStore().evaluateRules(studentID: studentID, nodeID: nodeID, scale: calculator.policy.scale, now: now, cause: cause,
                                       in: db)
        guard isContinued ?? true else { return (mastery, written) }
        var calculators = Calculators(db)
        for node in try Lineage.laterNodes(of: nodeID, in: db) {
            let calculator = try calculators.calculator(forNode: node)
            try compute(studentID: studentID, nodeID: node, calculator: calculator, after: nil, db)
            try BadgeStore().evaluateRules(studentID: studentID, nodeID: node, scale: calculator.policy.scale, now: now, cause: cause,
                                           in: db)
        }
        return (mastery, written)
    }

    /// Computes one mastery from the node's evidence and that of the earlier competencies it
    /// continues, in the order observed, and stores it; after `write`, sent with the read.
    @discardableResult
    private func compute(studentID: Int64, nodeID: Int64, calculator: MasteryCalculator, after write: SQLQuery?,
                         _ db: any SQLConnection) throws -> (mastery: StoredMastery, written: [SQLRow]) {
        // The node's own evaluations apart from those of the competencies it continues: read
        // together, PostgreSQL's plan (made once, for any student) reads every evaluation of
        // the student to keep the node's; apart, the node's are found by the index, and the
        // earlier ones, where there are none, are not looked for.
        let evidence = SQLQuery("""
            \(Lineage.cte(seed: "SELECT CAST(:node AS BIGINT)"))
            SELECT \(EvaluationStore.observationColumns()), id FROM evaluation
            WHERE studentId = :student AND nodeId = :node AND withdrawnAt IS NULL
            UNION ALL
            SELECT \(EvaluationStore.observationColumns()), id FROM evaluation
            WHERE studentId = :student AND nodeId IN (SELECT sourceId FROM lineage WHERE sourceId <> nodeId) AND withdrawnAt IS NULL
            ORDER BY observedOn, id
            """, arguments: ["node": nodeID, "student": studentID])
        let answers = try db.rows(of: (write.map { [$0] } ?? []) + [evidence])
        let observations = answers.last!.map { EvaluationStore.observation(from: $0) }
        let mastery = Self.stored(calculator.mastery(of: observations), nodeID: nodeID)
        try save(mastery, studentID: studentID, db)
        return (mastery, write == nil ? [] : answers[0])
    }

    /// A computed mastery as stored (and as ``mastery(from:)`` reads it back).
    private static func stored(_ mastery: Mastery, nodeID: Int64) -> StoredMastery {
        let observed = mastery.counted + mastery.ignored
        return StoredMastery(nodeID: nodeID, rank: mastery.rank, levelCode: mastery.level?.code, score: mastery.score,
                             isAcquired: mastery.isAcquired, explanation: mastery.explanation, observationCount: observed.count,
                             lastObservedOn: observed.map(\.date).max())
    }

    /// Stores a mastery; a row that already holds the same values is left untouched, so that
    /// recomputing what did not change writes nothing.
    private func save(_ mastery: StoredMastery, studentID: Int64, _ db: any SQLConnection) throws {
        try save([Self.values(of: mastery, studentID: studentID)], db)
    }

    /// Stores masteries given by their values (``values(of:studentID:)``), as ``save(_:studentID:_:)`` does.
    func save(_ masteries: [[DatabaseValue]], _ db: any SQLConnection) throws {
        try db.copyAhead(into: "mastery", columns: Self.columns, rows: masteries, onConflict: Self.upsert)
    }

    private static let columns = ["studentId", "nodeId", "rank", "levelCode", "score", "isAcquired", "explanation", "observationCount",
                                  "lastObservedOn"]

    /// A mastery's values, in the order of ``columns``.
    private static func values(of mastery: StoredMastery, studentID: Int64) -> [DatabaseValue] {
        [studentID.databaseValue, mastery.nodeID.databaseValue, mastery.rank.databaseValue, mastery.levelCode.databaseValue,
         mastery.score.databaseValue, mastery.isAcquired.databaseValue, mastery.explanation.databaseValue,
         mastery.observationCount.databaseValue, mastery.lastObservedOn?.iso.databaseValue ?? .null]
    }

    /// How a computed mastery replaces the stored one: only where a value changed.
    private static let upsert = """
            ON CONFLICT (studentId, nodeId) DO UPDATE SET
                rank = excluded.rank, levelCode = excluded.levelCode, score = excluded.score, isAcquired = excluded.isAcquired,
                explanation = excluded.explanation, observationCount = excluded.observationCount, lastObservedOn = excluded.lastObservedOn
            WHERE mastery.rank IS DISTINCT FROM excluded.rank OR mastery.levelCode IS DISTINCT FROM excluded.levelCode OR mastery.score IS DISTINCT FROM excluded.score
               OR mastery.isAcquired IS DISTINCT FROM excluded.isAcquired OR mastery.explanation IS DISTINCT FROM excluded.explanation
               OR mastery.observationCount IS DISTINCT FROM excluded.observationCount OR mastery.lastObservedOn IS DISTINCT FROM excluded.lastObservedOn
            """

    /// Rebuilds every mastery from the evaluations, each referential with its own policy,
    /// then checks every badge rule.
    @discardableResult
    public func recomputeAll(now: Date = Date(), in db: any SQLConnection) throws -> MasteryRecomputation {
        var stale = try keys(where: "", arguments: [], db)
        try recompute(where: "", arguments: [], removingFrom: &stale, db)
        stale.subtract(try recomputeContinued(db))
        try delete(stale, db)
        let count = try db.value(Int.self, sql: "SELECT COUNT(*) FROM mastery") ?? 0
        return MasteryRecomputation(masteries: count, badges: try BadgeStore().evaluateAllRules(now: now, in: db))
    }

    /// Rebuilds the masteries of one referential version (after its policy changed), then
    /// checks the rules of its badges for every student evaluated in it.
    @discardableResult
    public func recompute(referentialID: Int64, now: Date = Date(), cause: MasteryChangeCause = .methodChange,
                          in db: any SQLConnection) throws -> MasteryRecomputation {
        let inReferential = "AND nodeId IN (SELECT id FROM referentialNode WHERE referentialId = ?)"
        var stale = try keys(where: inReferential, arguments: [referentialID], db)
        try recompute(where: inReferential, arguments: [referentialID], removingFrom: &stale, db)
        stale.subtract(try recomputeContinued(referentialID: referentialID, db))
        try delete(stale, db)
        let students = try db.values(Int64.self, sql: """
            SELECT studentId FROM mastery WHERE TRUE \(inReferential)
            """, arguments: [referentialID])
        let count = students.count
        let pairs = Set(students.map { StudentReferential(studentID: $0, referentialID: referentialID) })
        return MasteryRecomputation(masteries: count, badges: try BadgeStore().evaluateRules(pairs: pairs, now: now, cause: cause, in: db))
    }

    /// Rebuilds the masteries of the given (student, node) pairs, after a bulk import, then
    /// the rules that read them and those of `computedAlready` (pairs whose masteries the
    /// caller has just saved: ``FreshMasteries``'s).
    @discardableResult
    public func recompute(pairs: Set<StudentNode>, computedAlready: Set<StudentNode> = [], now: Date = Date(),
                          cause: MasteryChangeCause = .importedEvidence, in db: any SQLConnection) throws -> MasteryRecomputation {
        guard !pairs.isEmpty || !computedAlready.isEmpty else { return MasteryRecomputation(masteries: 0, badges: RuleOutcome()) }
        let count: Int
        // Past a few thousand pairs, one pass over the students' evidence in index order beats
        // one query per pair.
        var touched = pairs
        if pairs.count > 2_000 {
            let studentIDs = Set(pairs.map(\.studentID))
            let students = String(describing: studentIDs.sorted())
            let filter = "AND studentId IN (SELECT value FROM json_each(?))"
            var stale = try keys(where: filter, arguments: [students], db)
            try recompute(where: filter, arguments: [students], removingFrom: &stale, db)
            let continued = try recomputeContinued(students: students, db)
            stale.subtract(continued)
            try delete(stale, db)
            touched.formUnion(continued)
            count = try (db.value(Int.self, sql: "SELECT COUNT(*) FROM mastery WHERE TRUE \(filter)", arguments: [students]) ?? 0)
                + computedAlready.count(where: { !studentIDs.contains($0.studentID) })
        } else {
            var calculators = Calculators(db)
            let linked = try Lineage.exists(in: db)
            for pair in pairs {
                let later = linked ? try Lineage.laterNodes(of: pair.nodeID, in: db) : []
                for node in [pair.nodeID] + later {
                    try compute(studentID: pair.studentID, nodeID: node, calculator: calculators.calculator(forNode: node), after: nil, db)
                    touched.insert(StudentNode(studentID: pair.studentID, nodeID: node))
                }
            }
            count = touched.union(computedAlready).count
        }
        touched.formUnion(computedAlready)
        return MasteryRecomputation(masteries: count, badges: try BadgeStore().evaluateRules(touched: touched, now: now, cause: cause, in: db))
    }

    /// Streams the evaluations in (student, node, date) order, the order of the index, and
    /// hands each complete group over to ``LevelComputation`` (another core) while this thread
    /// reads the next ones.
    @discardableResult
    private func recompute(where filter: String, arguments: SQLArguments, removingFrom stale: inout Set<StudentNode>,
                           _ db: any SQLConnection) throws -> Int {
        var calculators = Calculators(db)
        var current: StudentNode?
        var observations: [Observation] = []
        var computed = 0
        let computing = LevelComputation(savingIn: db)
        func flush() throws {
            guard let pair = current else { return }
            try computing.add(EvidenceGroup(pair: pair, calculator: try calculators.calculator(forNode: pair.nodeID), observations: observations))
            stale.remove(pair)
            computed += 1
            observations = []
        }
        try db.forEachRow(sql: """
            SELECT studentId, nodeId, \(EvaluationStore.observationColumns()) FROM evaluation \(db.indexedBy("evaluation_on_student_node"))
            WHERE withdrawnAt IS NULL \(filter) ORDER BY studentId, nodeId, observedOn, id
            """, arguments: arguments) { row in
            let pair = StudentNode(studentID: row[0], nodeID: row[1])
            if pair != current {
                try flush()
                current = pair
            }
            observations.append(EvaluationStore.observation(from: row, at: 2))
        }
        try flush()
        try computing.finish()
        return computed
    }

    /// One student's evidence on one node, with the calculator of the node's version.
    struct EvidenceGroup: Sendable {
        var pair: StudentNode
        var calculator: MasteryCalculator
        var observations: [Observation]

        /// The mastery's values as ``MasteryStore/save(_:_:)`` stores them.
        var masteryValues: [DatabaseValue] {
            MasteryStore.values(of: MasteryStore.stored(calculator.mastery(of: observations), nodeID: pair.nodeID),
                                studentID: pair.studentID)
        }
    }

    /// Levels computed on a thread of Dispatch's pool, ``chunkSize`` groups at a time, while
    /// the caller goes on reading the next ones (computing levels and their explanations was a
    /// fifth of a recomputation); each chunk is saved once computed, a server engine taking it
    /// in one stream. Memory stays that of two chunks.
    final class LevelComputation: @unchecked Sendable {
        static let chunkSize = 2_000
        private let db: any SQLConnection
        private let group = DispatchGroup()
        /// The groups added since the last chunk was handed over (the caller's thread only).
        private var chunk: [EvidenceGroup] = []
        // Written by the computing thread, read after `group.wait()`: never at the same time.
        private var values: [[DatabaseValue]] = []

        init(savingIn db: any SQLConnection) {
            self.db = db
        }

        func add(_ group: EvidenceGroup) throws {
            chunk.append(group)
            if chunk.count == Self.chunkSize { try handOver() }
        }

        /// Computes and saves what is left.
        func finish() throws {
            try handOver()
            try MasteryStore().save(computed(), db)
        }

        /// Saves the chunk computed meanwhile, then starts on the one just gathered.
        private func handOver() throws {
            try MasteryStore().save(computed(), db)
            let groups = chunk
            chunk = []
            group.enter()
            DispatchQueue.global().async {
                self.values = groups.map(\.masteryValues)
                self.group.leave()
            }
        }

        /// The values of the chunk handed over last (none before the first).
        private func computed() -> [[DatabaseValue]] {
            group.wait()
            defer { values = [] }
            return values
        }
    }

    /// The masteries a recomputation covers, before it runs: those it does not compute again
    /// are left without evidence, and go.
    private func keys(where filter: String, arguments: SQLArguments, _ db: any SQLConnection) throws -> Set<StudentNode> {
        var keys = Set<StudentNode>()
        try db.forEachRow(sql: "SELECT studentId, nodeId FROM mastery WHERE TRUE \(filter)", arguments: arguments) { row in
            keys.insert(StudentNode(studentID: row[0], nodeID: row[1]))
        }
        return keys
    }

    private func delete(_ masteries: Set<StudentNode>, _ db: any SQLConnection) throws {
        for key in masteries {
            try db.run(sql: "DELETE FROM mastery WHERE studentId = ? AND nodeId = ?", arguments: [key.studentID, key.nodeID])
        }
    }

    /// After a streamed recomputation, which counts only each node's own evidence: recomputes
    /// the competencies that continue earlier ones (of one referential version, or all), for
    /// the students who have evidence there (these students, or all).
    @discardableResult
    private func recomputeContinued(referentialID: Int64? = nil, students: String? = nil,
                                    _ db: any SQLConnection) throws -> Set<StudentNode> {
        guard try Lineage.exists(in: db) else { return [] }
        var seed = "SELECT DISTINCT nodeId FROM competencyLink"
        var arguments: SQLArguments = []
        if let referentialID {
            seed += " WHERE nodeId IN (SELECT id FROM referentialNode WHERE referentialId = ?)"
            arguments += [referentialID]
        }
        var filter = ""
        if let students {
            filter = "AND e.studentId IN (SELECT value FROM json_each(?))"
            arguments += [students]
        }
        let pairs = try db.rows(sql: """
            \(Lineage.cte(seed: seed))
            SELECT DISTINCT e.studentId, lineage.nodeId FROM lineage JOIN evaluation e ON e.nodeId = lineage.sourceId
            WHERE lineage.sourceId <> lineage.nodeId AND e.withdrawnAt IS NULL \(filter)
            """, arguments: arguments).map { StudentNode(studentID: $0[0], nodeID: $0[1]) }
        var calculators = Calculators(db)
        for pair in pairs {
            try compute(studentID: pair.studentID, nodeID: pair.nodeID, calculator: calculators.calculator(forNode: pair.nodeID), after: nil, db)
        }
        return Set(pairs)
    }

    // MARK: - Reading

    /// The stored masteries of a student on a referential version, by node code.
    public func masteries(studentID: Int64, referentialID: Int64, in db: any SQLConnection) throws -> [String: StoredMastery] {
        var result: [String: StoredMastery] = [:]
        for row in try db.rows(sql: """
            SELECT m.*, n.code AS nodeCode FROM mastery m JOIN referentialNode n ON n.id = m.nodeId
            WHERE m.studentId = ? AND n.referentialId = ?
            """, arguments: [studentID, referentialID]) {
            result[row["nodeCode"]] = Self.mastery(from: row)
        }
        return result
    }

    /// The level rank of each student on each node of a referential version that has one.
    public func ranks(studentIDs: [Int64], referentialID: Int64, in db: any SQLConnection) throws -> [StudentNode: Int] {
        var result: [StudentNode: Int] = [:]
        guard !studentIDs.isEmpty else { return result }
        // Integers only: 1,200 cells of a grid read without a string among them. A class's
        // cells are few enough to come in one answer: on PostgreSQL, a statement prepared once
        // instead of a cursor planned at every page.
        result.reserveCapacity(studentIDs.count * 40)
        for row in try db.rows(sql: """
            SELECT m.studentId, m.nodeId, m.rank FROM mastery m
            WHERE m.nodeId IN (SELECT id FROM referentialNode WHERE referentialId = ?) AND m.rank IS NOT NULL
              AND m.studentId IN (SELECT value FROM json_each(?))
            """, arguments: [referentialID, "[" + studentIDs.map(String.init).joined(separator: ",") + "]"]) {
            result[StudentNode(studentID: row[0], nodeID: row[1])] = row[2]
        }
        return result
    }

    private static func mastery(from row: SQLRow) -> StoredMastery {
        StoredMastery(nodeID: row["nodeId"], rank: row["rank"], levelCode: row["levelCode"], score: row["score"],
                      isAcquired: row["isAcquired"], explanation: row["explanation"], observationCount: row["observationCount"],
                      lastObservedOn: (row["lastObservedOn"] as String?).flatMap(CalendarDate.init(iso:)))
    }
}

/// The calculator of each node's referential, loaded once per referential.
struct Calculators {
    private let db: any SQLConnection
    private var byNode: [Int64: MasteryCalculator] = [:]
    private var byReferential: [Int64: MasteryCalculator] = [:]

    init(_ db: any SQLConnection) {
        self.db = db
    }

    mutating func calculator(forNode nodeID: Int64) throws -> MasteryCalculator {
        if let calculator = byNode[nodeID] { return calculator }
        guard let referentialID = try db.value(Int64.self, sql: "SELECT referentialId FROM referentialNode WHERE id = ?",
                                                     arguments: [nodeID])
        else { throw ReferentialStoreError.notFound(code: "#\(nodeID)", version: nil) }
        let calculator = try byReferential[referentialID] ?? ReferentialStore().calculator(referentialID: referentialID, in: db)
        byReferential[referentialID] = calculator
        byNode[nodeID] = calculator
        return calculator
    }
}

/// The masteries of the (student, competency) pairs a bulk import brings their first evidence
/// to, computed from the rows as they are recorded instead of read back: a file grouped by
/// student, as exports are, is then never read again. Each student's levels are computed on
/// another core once their rows end (the next row is another student's); a pair whose
/// student comes back later is left to be recomputed from the database
/// (``finish()``'s `comeBack`).
///
/// Only for a database where no competency continues another (``Lineage``): a continued
/// competency's level also counts evidence of earlier versions.
final class FreshMasteries {
    private var calculators: Calculators
    private var student: Int64?
    /// The current student's evidence by competency, in the order recorded.
    private var evidence: [Int64: [Observation]] = [:]
    private var computed = Set<StudentNode>()
    private var comeBack = Set<StudentNode>()
    private let computing: MasteryStore.LevelComputation

    /// Nil where competencies continue others.
    init?(_ db: any SQLConnection) throws {
        guard try !Lineage.exists(in: db) else { return nil }
        calculators = Calculators(db)
        computing = MasteryStore.LevelComputation(savingIn: db)
    }

    /// Adds a row just recorded for a pair that had no evidence before the import.
    func add(_ observation: Observation, to pair: StudentNode) throws {
        if pair.studentID != student {
            try endStudent()
            student = pair.studentID
        }
        if computed.contains(pair) {
            comeBack.insert(pair)
        } else {
            evidence[pair.nodeID, default: []].append(observation)
        }
    }

    /// Hands the current student's evidence over to be computed, each competency's in the
    /// order recorded (the calculator orders it by day, keeping that order within a day, as
    /// the database's ids do).
    private func endStudent() throws {
        guard let student else { return }
        for (nodeID, observations) in evidence.sorted(by: { $0.key < $1.key }) {
            let pair = StudentNode(studentID: student, nodeID: nodeID)
            try computing.add(MasteryStore.EvidenceGroup(pair: pair, calculator: try calculators.calculator(forNode: nodeID),
                                                         observations: observations))
            computed.insert(pair)
        }
        evidence.removeAll(keepingCapacity: true)
    }

    /// Saves every mastery computed. Returns the pairs saved for good, and those whose
    /// student came back after their rows ended, whose levels must be read from the database.
    func finish() throws -> (saved: Set<StudentNode>, comeBack: Set<StudentNode>) {
        try endStudent()
        student = nil
        try computing.finish()
        return (computed.subtracting(comeBack), comeBack)
    }
}
