import AcquisStorage
import AcquisCore
import AcquisGrading
import Foundation
import GRDB

/// Records many evaluations in the caller's transaction, then recomputes the masteries they
/// affect once. Students and referentials are looked up once each, rows are inserted through
/// one prepared statement: a million evaluations import in seconds.
///
/// A row that cannot be recorded throws a ``Problem`` naming the field at fault; the caller
/// collects them with their line numbers and rolls the transaction back.
public final class EvaluationImport: EvaluationBatch {
    public typealias Problem = EvaluationImportProblem
    public typealias Problems = EvaluationImportProblems
    public typealias Summary = EvaluationImportSummary

    private let db: any SQLConnection
    private let recordedBy: String?
    private let today: CalendarDate
    /// Formatted once: formatting a date for every row cost an eighth of a big import.
    private let recordedAt: String
    private var students: [StudentReference: Int64]
    private var targets: [String: ReferentialTarget] = [:]
    private var versionCounts: [String: Int] = [:]
    private var studentVersions: [StudentCode: String] = [:]
    private var touched = Set<StudentNode>()
    /// The levels of pairs without evidence before, computed from the rows as recorded.
    private let fresh: FreshMasteries?
    /// Whether each (student, competency) met in the file had evidence before the import. One
    /// without any can only repeat a row of this file: the hashes of the rows already inserted
    /// for such pairs answer, and only a hash maybe seen (a true repeat, or a rare false alarm)
    /// asks the database. A new class's first import probes once per pair instead of per row.
    private var hadEvidence: [StudentNode: Bool] = [:]
    private var insertedRows = SeenHashes()
    private let insert: BulkStatement
    private let existing: BulkStatement
    private let anyEvidence: BulkStatement
    public private(set) var summary = Summary()
    /// Set after the first problem: the transaction will be rolled back, rows are only checked.
    private var failed = false
    /// On a server engine, rows checked and waiting to be written together (``flush()``):
    /// one round trip per statement makes row-by-row imports slow there.
    private var pending: [PendingRow] = []
    private let batched: Bool
    static let batchSize = 20_000
    /// On SQLite, checked rows waiting to be inserted ``rowsPerInsert`` at a time: a statement
    /// per row cost more than its row (each one resets, closes its statement journal and
    /// updates the `AUTOINCREMENT` counter). Their hashes tell when a row may repeat one of them.
    private var waiting: [InsertRow] = []
    private var waitingHashes = Set<Int>()
    private let insertMany: BulkStatement?
    static let rowsPerInsert = 64

    /// `today` bounds the observations' days: nothing is observed in the future.
    public init(recordedBy: String?, at date: Date = Date(), today: CalendarDate = .today, in db: any SQLConnection) throws {
        self.db = db
        self.recordedBy = recordedBy
        self.today = today
        recordedAt = String.fromDatabaseValue(date.databaseValue) ?? ""
        batched = db.engine != .sqlite
        students = try SchoolStore().studentIDs(in: db)
        fresh = try FreshMasteries(db)
        insert = try BulkStatement(db, sql: EvaluationStore.insertSQL)
        insertMany = batched ? nil : try BulkStatement(db, sql: PortableInsert.sql(into: "evaluation", columns: EvaluationStore.insertColumns,
                                                                                    rows: Self.rowsPerInsert, onConflict: nil))
        existing = try BulkStatement(db, sql: """
            SELECT 1 FROM evaluation \(db.indexedBy("evaluation_on_student_node"))
            WHERE studentId = ? AND nodeId = ? AND observedOn = ? AND code = ? AND context = ?
              AND evaluator IS NOT DISTINCT FROM ? AND withdrawnAt IS NULL LIMIT 1
            """)
        anyEvidence = try BulkStatement(db, sql: """
            SELECT 1 FROM evaluation \(db.indexedBy("evaluation_on_student_node")) WHERE studentId = ? AND nodeId = ? LIMIT 1
            """)
    }

    /// Checks and records one evaluation. Throws ``Problems`` listing every problem of the row
    /// (student, referential, competency, level, date), not only the first.
    public func add(_ entry: EvaluationEntry) throws {
        var problems: [Problem] = []
        if let problem = entry.observedOn.observationProblem(today: today) { problems.append(Problem(field: .date, message: problem)) }
        let studentID = students[entry.student]
        if studentID == nil {
            problems.append(Problem(field: .student, message: SchoolStoreError.unknownStudent(entry.student).description))
        }
        var nodeID: Int64?, code: String?
        do {
            let target = try target(entry.referentialCode, entry.referentialVersion, studentID: studentID)
            do {
                nodeID = try target.evaluableNode(entry.competencyCode)
            } catch {
                problems.append(Problem(field: .competency, message: error.description))
            }
            do {
                code = try target.canonicalCode(entry.code, asOverride: entry.isOverride)
            } catch {
                problems.append(Problem(field: .level, message: error.description))
            }
        } catch let problem as Problem {
            problems.append(problem)
        }
        guard problems.isEmpty, let studentID, let nodeID, let code else {
            failed = true
            throw Problems(all: problems)
        }
        guard !failed else { return }
        let observedOn = entry.observedOn.iso, context = entry.context.kindName
        let pair = StudentNode(studentID: studentID, nodeID: nodeID)
        let key = RowKey(studentID: studentID, nodeID: nodeID, observedOn: observedOn, code: code, context: context,
                         evaluator: entry.evaluator)
        let rowHash = key.hashValue
        if batched {
            pending.append(PendingRow(key: key, hash: rowHash, observation: Observation(entry, code: code), values: [
                                          studentID.databaseValue, nodeID.databaseValue, code.databaseValue, observedOn.databaseValue,
                                          context.databaseValue, entry.context.company.databaseValue, entry.context.tutor.databaseValue,
                                          entry.evaluator.databaseValue, entry.comment.databaseValue, entry.evidence.databaseValue,
                                          entry.isOverride.databaseValue, recordedAt.databaseValue, recordedBy.databaseValue,
                                      ]))
            if pending.count >= Self.batchSize { try flush() }
            return
        }
        if try hadEvidence(pair) || insertedRows.contains(rowHash) {
            // A row waiting may be the one this repeats: written first, so that the lookup sees it.
            if waitingHashes.contains(rowHash) { try insertWaiting() }
            existing.bind(1, studentID)
            existing.bind(2, nodeID)
            existing.bind(3, observedOn)
            existing.bind(4, code)
            existing.bind(5, context)
            existing.bind(6, entry.evaluator)
            if try existing.step(db) {
                summary.duplicates += 1
                return
            }
        }
        waiting.append(InsertRow(key: key, entry: entry))
        waitingHashes.insert(rowHash)
        try recorded(key, hash: rowHash) { Observation(entry, code: code) }
        if waiting.count == Self.rowsPerInsert { try insertWaiting() }
    }

    /// Counts a row about to be written; a first evidence goes to the fresh levels.
    private func recorded(_ key: RowKey, hash: Int, observation: () -> Observation) throws {
        touched.insert(key.pair)
        summary.recorded += 1
        guard hadEvidence[key.pair] == false else { return }
        insertedRows.insert(hash)
        try fresh?.add(observation(), to: key.pair)
    }

    /// Inserts the rows waiting, in their order: ``rowsPerInsert`` in one statement, fewer one
    /// by one.
    private func insertWaiting() throws {
        defer {
            waiting.removeAll(keepingCapacity: true)
            waitingHashes.removeAll(keepingCapacity: true)
        }
        if waiting.count == Self.rowsPerInsert, let insertMany {
            for (slot, row) in waiting.enumerated() { bind(row, to: insertMany, from: Int32(slot * EvaluationStore.insertColumns.count)) }
            _ = try insertMany.step(db)
            return
        }
        for row in waiting {
            bind(row, to: insert, from: 0)
            _ = try insert.step(db)
        }
    }

    /// Binds a row's values after the `offset` first parameters, in the order of
    /// ``EvaluationStore/insertColumns``.
    private func bind(_ row: InsertRow, to statement: BulkStatement, from offset: Int32) {
        statement.bind(offset + 1, row.key.studentID)
        statement.bind(offset + 2, row.key.nodeID)
        statement.bind(offset + 3, row.key.code)
        statement.bind(offset + 4, row.key.observedOn)
        statement.bind(offset + 5, row.key.context)
        statement.bind(offset + 6, row.entry.context.company)
        statement.bind(offset + 7, row.entry.context.tutor)
        statement.bind(offset + 8, row.key.evaluator)
        statement.bind(offset + 9, row.entry.comment)
        statement.bind(offset + 10, row.entry.evidence)
        statement.bind(offset + 11, row.entry.isOverride)
        statement.bind(offset + 12, recordedAt)
        statement.bind(offset + 13, recordedBy)
    }

    /// Whether the pair had evidence before this import (asked once per pair).
    private func hadEvidence(_ pair: StudentNode) throws -> Bool {
        if let known = hadEvidence[pair] { return known }
        anyEvidence.bind(1, pair.studentID)
        anyEvidence.bind(2, pair.nodeID)
        let found = try anyEvidence.step(db)
        hadEvidence[pair] = found
        return found
    }

    /// Writes the pending rows of a server engine at once, with the same outcome as adding them
    /// one by one: a row already recorded (before the import or earlier in it) is a duplicate.
    /// The database is asked once per batch which pairs had evidence and which rows exist.
    private func flush() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        let unknown = Set(pending.map(\.key.pair)).filter { hadEvidence[$0] == nil }
        if !unknown.isEmpty {
            let found = Set(try keys(of: unknown, wholeRows: false).map(\.pair))
            for pair in unknown { hadEvidence[pair] = found.contains(pair) }
        }
        // Rows that may repeat one already written: of a pair with evidence before the import,
        // or like a row of an earlier batch (by hash; the exact row is then looked up).
        let suspects = Set(pending.filter { hadEvidence[$0.key.pair] == true || insertedRows.contains($0.hash) }.map(\.key.pair))
        let written = suspects.isEmpty ? [] : Set(try keys(of: suspects, wholeRows: true))
        var batch = Set<RowKey>(), rows: [[DatabaseValue]] = []
        rows.reserveCapacity(pending.count)
        for row in pending {
            if batch.contains(row.key) || written.contains(row.key) {
                summary.duplicates += 1
                continue
            }
            batch.insert(row.key)
            rows.append(row.values)
            try recorded(row.key, hash: row.hash) { row.observation }
        }
        try db.copyAhead(into: "evaluation", columns: EvaluationStore.insertColumns, rows: rows, onConflict: nil)
    }

    /// Among the students and competencies of `pairs` (a superset of them, which callers match
    /// exactly): the recorded rows still standing (`wholeRows`), or the pairs with any evidence.
    private func keys(of pairs: Set<StudentNode>, wholeRows: Bool) throws -> [RowKey] {
        let students = Set(pairs.map(\.studentID)).sorted(), nodes = Set(pairs.map(\.nodeID)).sorted()
        let select = wholeRows
            ? "SELECT studentId, nodeId, observedOn, code, context, evaluator FROM evaluation WHERE withdrawnAt IS NULL AND"
            : "SELECT DISTINCT studentId, nodeId FROM evaluation WHERE"
        return try db.rows(sql: select + """
             studentId IN (SELECT value FROM json_each(?)) AND nodeId IN (SELECT value FROM json_each(?))
            """, arguments: ["[\(students.map(String.init).joined(separator: ","))]", "[\(nodes.map(String.init).joined(separator: ","))]"])
            .map { row in
                wholeRows ? RowKey(studentID: row["studentId"], nodeID: row["nodeId"], observedOn: row["observedOn"], code: row["code"],
                                   context: row["context"], evaluator: row["evaluator"])
                    : RowKey(studentID: row["studentId"], nodeID: row["nodeId"], observedOn: "", code: "", context: "", evaluator: nil)
            }
    }

    /// Recomputes the masteries of every (student, competency) the import touched.
    public func finish() throws -> Summary {
        guard !failed else { return summary }
        if !pending.isEmpty { try flush() }
        if !waiting.isEmpty { try insertWaiting() }
        let (computed, comeBack) = try fresh?.finish() ?? ([], [])
        let recomputation = try MasteryStore().recompute(pairs: touched.subtracting(computed).union(comeBack), computedAlready: computed, in: db)
        summary.masteries = recomputation.masteries
        summary.badges = recomputation.badges.awarded.count
        return summary
    }

    /// The version a row names; without one, the version the student's evidence is read in
    /// (their class's), so that a file without versions follows each class.
    private func target(_ code: String, _ version: String?, studentID: Int64?) throws -> ReferentialTarget {
        do {
            var version = version
            if version == nil, let studentID, try versionCount(code) > 1 {
                let key = StudentCode(studentID: studentID, code: code)
                if studentVersions[key] == nil {
                    let id = try ReferentialStore().versionID(code: code, studentID: studentID, in: db)
                    studentVersions[key] = try db.value(String.self, sql: "SELECT version FROM referential WHERE id = ?", arguments: [id])
                }
                version = studentVersions[key]
            }
            let key = version.map { "\(code)\u{0}\($0)" } ?? code
            if let target = targets[key] { return target }
            let target = try ReferentialStore().target(code: code, version: version, in: db)
            targets[key] = target
            return target
        } catch let error as ReferentialStoreError {
            throw Problem(field: .referential, message: error.description)
        }
    }

    private func versionCount(_ code: String) throws -> Int {
        if let count = versionCounts[code] { return count }
        let count = try db.value(Int.self, sql: "SELECT COUNT(*) FROM referential WHERE code = ?", arguments: [code]) ?? 0
        versionCounts[code] = count
        return count
    }
}

private struct StudentCode: Hashable {
    var studentID: Int64
    var code: String
}

/// What makes two evaluations the same observation.
private struct RowKey: Hashable {
    var studentID: Int64
    var nodeID: Int64
    var observedOn: String
    var code: String
    var context: String
    var evaluator: String?

    var pair: StudentNode { StudentNode(studentID: studentID, nodeID: nodeID) }
}

/// The hashes of the rows inserted, in 2 MB however many: whether a hash was seen is answered
/// « maybe » or « no », never wrongly « no » (a Bloom filter). A million rows in a `Set` took
/// 16 MB, a sixth of a big import's memory; here, after a million rows, one « maybe » in 200 is
/// a false alarm (one in five after five million), which costs one lookup in the database.
private struct SeenHashes {
    private static let bitCount = 1 << 24
    /// Allocated at the first insert: a class's daily import adds to pairs already evaluated,
    /// whose rows are looked up in the database instead.
    private var words: [UInt64] = []

    mutating func insert(_ hash: Int) {
        if words.isEmpty { words = Array(repeating: 0, count: Self.bitCount / 64) }
        for probe in 0..<Self.probes {
            let bit = Self.bit(probe, of: hash)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    func contains(_ hash: Int) -> Bool {
        !words.isEmpty && (0..<Self.probes).allSatisfy { probe in
            let bit = Self.bit(probe, of: hash)
            return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    private static let probes = 3

    /// The bit of one probe: the hash's two halves combined (double hashing).
    private static func bit(_ probe: Int, of hash: Int) -> Int {
        let value = UInt64(bitPattern: Int64(hash)), low = value & 0xFFFF_FFFF, high = (value >> 32) | 1
        return Int((low &+ UInt64(probe) &* high) % UInt64(bitCount))
    }
}

/// A checked row waiting for its insert on SQLite: its key (the ids and codes found), the rest
/// as given.
private struct InsertRow {
    var key: RowKey
    var entry: EvaluationEntry
}

/// A checked row waiting for its batch: its key, its hash as the one-by-one path computes it,
/// and its values in the order of ``EvaluationStore/insertColumns``.
private struct PendingRow {
    var key: RowKey
    var hash: Int
    var observation: Observation
    var values: [DatabaseValue]
}

private extension Observation {
    /// What a level is computed from, as the evaluation's row will be read back: its level
    /// `code` as stored (the scale's own spelling).
    init(_ entry: EvaluationEntry, code: String) {
        self.init(date: entry.observedOn, code: code, context: entry.context, evaluator: entry.evaluator, isOverride: entry.isOverride)
    }
}
