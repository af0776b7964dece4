import AcquisStorage
import AcquisCore
import AcquisGrading
import AcquisVigilance
import Foundation
import GRDB

/// Early warning from the evidence as stored: thresholds per school, signals per class or
/// per tutor. Signals are computed when asked, never stored, so a correction shows at once.
public struct VigilanceStore: Sendable {
    public init() {}

    // MARK: - Thresholds

    /// The school's zone for winter and spring holidays, once direction set it.
    public func holidayZone(schoolID: Int64, in db: any SQLConnection) throws -> HolidayCalendar.Zone? {
        try db.value(String.self, sql: "SELECT holidayZone FROM school WHERE id = ?", arguments: [schoolID])
            .flatMap(HolidayCalendar.Zone.init(rawValue:))
    }

    public func setHolidayZone(_ zone: HolidayCalendar.Zone?, schoolID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE school SET holidayZone = ? WHERE id = ?", arguments: [zone?.rawValue, schoolID])
    }

    /// The holidays silence leaves out: the school's zone's, or only those common to every
    /// zone (Toussaint, Christmas, summer) while no zone is set.
    public func holidays(schoolID: Int64, in db: any SQLConnection) throws -> HolidayCalendar {
        HolidayCalendarFile.shipped.forZone(try holidayZone(schoolID: schoolID, in: db))
    }

    public func thresholds(schoolID: Int64, in db: any SQLConnection) throws -> VigilanceThresholds {
        var thresholds = VigilanceThresholds.default
        for row in try db.rows(sql: "SELECT key, value FROM vigilanceThreshold WHERE schoolId = ?",
                                    arguments: [schoolID]) {
            try? thresholds.set(row[0], to: row[1])
        }
        return thresholds
    }

    /// Changes one of a school's thresholds, after checking it.
    public func setThreshold(_ key: String, to value: Int, schoolID: Int64, in db: any SQLConnection) throws {
        var thresholds = try thresholds(schoolID: schoolID, in: db)
        try thresholds.set(key, to: value)
        try db.run(sql: """
            INSERT INTO vigilanceThreshold (schoolId, key, value) VALUES (?, ?, ?)
            ON CONFLICT (schoolId, key) DO UPDATE SET value = excluded.value
            """, arguments: [schoolID, key, value])
    }

    // MARK: - Lists

    /// Every student of a class or group with their signals, in the order of the class list.
    /// Each student is measured against their own class, in the referentials it follows: a
    /// group may mix diplomas (CAP and Bac Pro in one PFMP group), and a student's page, a
    /// group's list and a class's list must say the same.
    public func list(for division: DivisionRef, asOf today: CalendarDate, in db: any SQLConnection) throws -> [VigilanceEntry] {
        let members = try SchoolStore().studentIDs(divisionID: division.id, asOf: today, in: db)
        let classes = division.kind == "classe" ? [members]
            : try classmates(of: members, year: division.year, asOf: today, db)
        let signals = try signals(classes: classes, keeping: Set(members), schoolID: division.schoolID, asOf: today, in: db)
        return try entries(members, signals: signals, year: division.year, asOf: today, db)
    }

    /// The classes of these students, each with its members; a student in no class is their own context.
    private func classmates(of students: [Int64], year: SchoolYear, asOf today: CalendarDate, _ db: any SQLConnection) throws -> [[Int64]] {
        let classOf = try classIDs(of: students, year: year, db)
        var classes: [[Int64]] = []
        var seen = Set<Int64>()
        for student in students {
            guard let classID = classOf[student] else {
                classes.append([student])
                continue
            }
            guard seen.insert(classID).inserted else { continue }
            classes.append(try SchoolStore().studentIDs(divisionID: classID, asOf: today, in: db))
        }
        return classes
    }

    /// Every class of a school with its students' signals, all read in one pass.
    public func lists(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate,
                      in db: any SQLConnection) throws -> [(division: String, entries: [VigilanceEntry])] {
        let classes = try SchoolStore().classes(schoolID: schoolID, year: year, asOf: today, in: db)
        let signals = try signals(classes: classes.map(\.members), keeping: nil, schoolID: schoolID, asOf: today, in: db)
        // Every class's entries read together, then cut back into classes: a school costs the
        // statements of one class.
        var entries = try entries(classes.flatMap(\.members), signals: signals, year: year, asOf: today, db)[...]
        return classes.map { code, members in
            defer { entries = entries.dropFirst(members.count) }
            return (code, Array(entries.prefix(members.count)))
        }
    }

    /// The signals of every student of a school's classes, by student id, without reading who
    /// they are: for counts across schools.
    public func signals(schoolID: Int64, year: SchoolYear, asOf today: CalendarDate, in db: any SQLConnection) throws -> [Int64: [Signal]] {
        let classes = try SchoolStore().classes(schoolID: schoolID, year: year, asOf: today, in: db)
        return try signals(classes: classes.map(\.members), keeping: nil, schoolID: schoolID, asOf: today, in: db)
    }

    /// A tutor's tutees with their signals, each measured against their own class.
    public func list(forTutor teacherID: Int64, schoolID: Int64, year: SchoolYear, asOf today: CalendarDate,
                     in db: any SQLConnection) throws -> [VigilanceEntry] {
        let tutees = try TutoringStore().tutees(teacherID: teacherID, year: year, in: db)
        let classes = try classmates(of: tutees, year: year, asOf: today, db)
        let signals = try signals(classes: classes, keeping: Set(tutees), schoolID: schoolID, asOf: today, in: db)
        return try entries(tutees, signals: signals, year: year, asOf: today, db)
    }

    /// One student's signals, measured against their class.
    public func signals(studentID: Int64, year: SchoolYear, asOf today: CalendarDate, in db: any SQLConnection) throws -> [Signal] {
        guard let schoolID = try SchoolStore().schoolID(studentID: studentID, in: db) else { return [] }
        let classmates = try classID(of: studentID, year: year, db).map { try SchoolStore().studentIDs(divisionID: $0, asOf: today, in: db) }
            ?? [studentID]
        return try signals(classes: [classmates], keeping: [studentID], schoolID: schoolID, asOf: today, in: db)[studentID] ?? []
    }

    /// Signals of every student of the given classes (each class its own context), optionally
    /// only for some of them. Reads the evidence of all these students in one pass.
    public func signals(classes: [[Int64]], keeping: Set<Int64>?, schoolID: Int64, asOf today: CalendarDate,
                        in db: any SQLConnection) throws -> [Int64: [Signal]] {
        let thresholds = try thresholds(schoolID: schoolID, in: db)
        let everyone = Array(Set(classes.joined()))
        let activities = try activities(studentIDs: everyone, asOf: today, thresholds: thresholds, in: db)
        let detector = SignalDetector(thresholds: thresholds, today: today, holidays: try holidays(schoolID: schoolID, in: db))
        var signals: [Int64: [Signal]] = [:]
        for members in classes {
            let context = ClassContext(members.map { activities[$0] ?? StudentActivity(referentials: []) })
            for id in members where keeping?.contains(id) ?? true {
                signals[id] = detector.signals(of: activities[id] ?? StudentActivity(referentials: []), in: context)
            }
        }
        return signals
    }

    private func entries(_ ids: [Int64], signals: [Int64: [Signal]], year: SchoolYear, asOf today: CalendarDate,
                         _ db: any SQLConnection) throws -> [VigilanceEntry] {
        let followUps = try FollowUpStore().latest(studentIDs: ids, asOf: today, in: db)
        return try SchoolStore().students(ids: ids, year: year, in: db).map { student in
            VigilanceEntry(student: student, signals: signals[student.id] ?? [], lastFollowUp: followUps[student.id])
        }
    }

    /// The student's class (never a group: a group may mix diplomas).
    private func classID(of studentID: Int64, year: SchoolYear, _ db: any SQLConnection) throws -> Int64? {
        try classIDs(of: [studentID], year: year, db)[studentID]
    }

    /// The class of each of these students, in one query.
    private func classIDs(of students: [Int64], year: SchoolYear, _ db: any SQLConnection) throws -> [Int64: Int64] {
        var classes: [Int64: Int64] = [:]
        for row in try db.rows(sql: """
            SELECT e.studentId, MIN(d.id) FROM enrollment e JOIN division d ON d.id = e.divisionId
            WHERE e.studentId IN (SELECT value FROM json_each(?)) AND d.schoolYear = ? AND d.kind = 'classe' GROUP BY e.studentId
            """, arguments: [String(describing: students), year.startYear]) {
            classes[row[0]] = row[1]
        }
        return classes
    }

    // MARK: - Activity

    /// Each student's activity, read from their evaluations in force and open requests in one
    /// pass in index order: the cost grows with the evidence, not with the number of queries.
    /// Students are summed up in batches, on every core, while the next batch is read.
    public func activities(studentIDs: [Int64], asOf today: CalendarDate, thresholds: VigilanceThresholds,
                           in db: any SQLConnection) throws -> [Int64: StudentActivity] {
        var nodes = NodeDirectory()
        var result: [Int64: StudentActivity] = [:]
        var batch: [(student: Int64, referentials: [(NodeDirectory.Referential, [CompetencyEvidence])])] = []
        var current: (student: Int64, node: Int64)?
        var observations: [Observation] = []
        var byReferential: [Int64: [CompetencyEvidence]] = [:]

        func closeCompetency() throws {
            guard let (_, nodeID) = current, !observations.isEmpty else { return }
            let node = try nodes.node(nodeID, db)
            byReferential[node.referentialID, default: []].append(
                CompetencyEvidence(code: node.code, title: node.title, observations: observations))
            observations.removeAll(keepingCapacity: true)
        }
        func closeStudent() throws {
            guard let (studentID, _) = current else { return }
            batch.append((studentID, try byReferential.sorted { $0.key < $1.key }.map { (try nodes.referential($0.key, db), $0.value) }))
            byReferential.removeAll(keepingCapacity: true)
            if batch.count == 256 { summarize() }
        }
        func summarize() {
            for (id, activity) in zip(batch.map(\.student), Self.summarize(batch, asOf: today, thresholds: thresholds)) {
                result[id] = activity
            }
            batch.removeAll(keepingCapacity: true)
        }

        try db.forEachRow(sql: """
            SELECT studentId, nodeId, \(EvaluationStore.levelColumns) FROM evaluation
            WHERE studentId IN (SELECT value FROM json_each(?)) AND withdrawnAt IS NULL AND observedOn <= ?
            ORDER BY studentId, nodeId, observedOn, id
            """, arguments: [String(describing: studentIDs), today.iso]) { row in
            let studentID: Int64 = row[0], nodeID: Int64 = row[1]
            if current?.student != studentID || current?.node != nodeID {
                try closeCompetency()
                if let previous = current?.student, previous != studentID { try closeStudent() }
                current = (studentID, nodeID)
            }
            observations.append(EvaluationStore.levelObservation(from: row, at: 2))
        }
        try closeCompetency()
        try closeStudent()
        summarize()

        for row in try db.rows(sql: """
            SELECT r.studentId, n.code, n.title, r.requestedAt FROM evaluationRequest r
            JOIN referentialNode n ON n.id = r.nodeId
            WHERE r.studentId IN (SELECT value FROM json_each(?)) AND substr(r.requestedAt, 1, 10) <= ?
              AND (r.status = 'ouverte' OR substr(r.answeredAt, 1, 10) > ?)
            ORDER BY r.requestedAt
            """, arguments: [String(describing: studentIDs), today.iso, today.iso]) {
            let request = PendingRequest(competency: row[1], title: row[2], requestedOn: CalendarDate(row[3] as Date))
            result[row[0], default: StudentActivity(referentials: [])].pendingRequests.append(request)
        }
        return result
    }

    private static func summarize(_ batch: [(student: Int64, referentials: [(NodeDirectory.Referential, [CompetencyEvidence])])],
                                  asOf today: CalendarDate, thresholds: VigilanceThresholds) -> [StudentActivity] {
        var activities = [StudentActivity](repeating: StudentActivity(referentials: []), count: batch.count)
        activities.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by exactly one iteration.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: batch.count) { index in
                slots[index] = StudentActivity(referentials: batch[index].referentials.map { referential, competencies in
                    ReferentialActivity.summarize(code: referential.code, title: referential.title, competencies: competencies,
                                                  calculator: referential.calculator, asOf: today, thresholds: thresholds)
                })
            }
        }
        return activities
    }
}

/// Nodes and referentials met while reading evidence, each loaded once.
private struct NodeDirectory {
    struct Node {
        var referentialID: Int64
        var code: String
        var title: String
    }

    struct Referential {
        var code: String
        var title: String
        var calculator: MasteryCalculator
    }

    private var nodes: [Int64: Node] = [:]
    private var referentials: [Int64: Referential] = [:]

    mutating func node(_ id: Int64, _ db: any SQLConnection) throws -> Node {
        if let node = nodes[id] { return node }
        // A student's evidence usually spans a whole referential: load all of its nodes at once.
        guard let referentialID = try db.value(Int64.self, sql: "SELECT referentialId FROM referentialNode WHERE id = ?",
                                                     arguments: [id])
        else { throw EvaluationError.unknownEvaluation(id) }
        for row in try db.rows(sql: "SELECT id, code, title FROM referentialNode WHERE referentialId = ?",
                                    arguments: [referentialID]) {
            nodes[row[0]] = Node(referentialID: referentialID, code: row[1], title: row[2])
        }
        return nodes[id]!
    }

    mutating func referential(_ id: Int64, _ db: any SQLConnection) throws -> Referential {
        if let referential = referentials[id] { return referential }
        let row = try db.row(sql: "SELECT code, title FROM referential WHERE id = ?", arguments: [id])!
        let referential = Referential(code: row[0], title: row[1],
                                      calculator: try ReferentialStore().calculator(referentialID: id, in: db))
        referentials[id] = referential
        return referential
    }
}
