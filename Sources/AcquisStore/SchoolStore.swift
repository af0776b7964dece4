import AcquisStorage
import AcquisCore
import AcquisReports
import Foundation
import GRDB

/// Reads and writes the school's people and structures. Every method works inside the
/// caller's database access, so that an import is one transaction.
public struct SchoolStore: Sendable {
    public init() {}

    /// Stores the students of a roster for `uai` and `year`. A student already known (by INE,
    /// else by the school's id) is updated, never duplicated; their class and groups for that
    /// year are replaced by the file's. Students missing from the file are kept.
    public func importRoster(_ roster: StudentRoster, uai: String, year: SchoolYear, in db: any SQLConnection) throws -> RosterImport {
        let schoolID = try schoolID(uai: uai, creating: true, db)
        var report = RosterImport()
        var divisionIDs: [String: Int64] = [:]
        var seen = Set<Int64>()
        for student in roster.students {
            let (id, outcome) = try upsert(student, schoolID: schoolID, db)
            seen.insert(id)
            switch outcome {
            case .inserted: report.inserted += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            }
            var wanted: [(code: String?, kind: String)] = []
            if roster.givesClasses { wanted.append((student.division, "classe")) }
            if roster.givesGroups { wanted += student.groups.map { ($0, "groupe") } }
            var ids: [Int64] = []
            for (code, kind) in wanted {
                guard let code else { continue }
                if divisionIDs[code] == nil {
                    divisionIDs[code] = try divisionID(code: code, kind: kind, schoolID: schoolID, year: year, db)
                }
                ids.append(divisionIDs[code]!)
            }
            // What the file does not say (no class column, no group column) stays as it was.
            let kept = [roster.givesClasses ? nil : "classe", roster.givesGroups ? nil : "groupe"].compactMap { $0 }
            if try replaceEnrollments(of: id, schoolID: schoolID, year: year, with: ids, keeping: kept, db),
               outcome == .unchanged {
                report.unchanged -= 1
                report.updated += 1
            }
        }
        let known = try db.values(Int64.self, sql: "SELECT id FROM student WHERE schoolId = ?", arguments: [schoolID])
        report.absent = known.filter { !seen.contains($0) }.count
        report.divisions = divisionIDs.count
        return report
    }

    private enum Outcome { case inserted, updated, unchanged }

    private func upsert(_ student: Student, schoolID: Int64, _ db: any SQLConnection) throws -> (Int64, Outcome) {
        var existing: SQLRow?
        if let ine = student.ine {
            existing = try db.row(sql: "SELECT * FROM student WHERE ine = ?", arguments: [ine])
        }
        if existing == nil, let localID = student.localID {
            existing = try db.row(sql: "SELECT * FROM student WHERE schoolId = ? AND localId = ?",
                                        arguments: [schoolID, localID])
        }
        // Names are stored in NFC: a name typed with a combining accent and the same name from
        // SIECLE are one name, and sort together.
        let values: [DatabaseValueConvertible?] = [
            schoolID, student.ine, student.localID, student.lastName.precomposedStringWithCanonicalMapping,
            student.firstName.precomposedStringWithCanonicalMapping,
            student.birthDate?.iso, student.leftOn?.iso,
        ]
        guard let existing else {
            // An INE of another school's student may be out of sight behind the wall.
            try db.unique(SchoolStoreError.ineTakenInAnotherSchool(ine: student.ine ?? "")) {
                try db.run(sql: """
                    INSERT INTO student (schoolId, ine, localId, lastName, firstName, birthDate, leftOn)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: SQLArguments(values))
            }
            return ((try db.insertedID()), .inserted)
        }
        // A school's roster never takes another school's student, records and all.
        guard existing["schoolId"] as Int64 == schoolID else {
            throw SchoolStoreError.ineTakenInAnotherSchool(ine: student.ine ?? "")
        }
        let id: Int64 = existing["id"]
        let stored: [DatabaseValue] = ["schoolId", "ine", "localId", "lastName", "firstName", "birthDate", "leftOn"]
            .map { existing[$0] }
        // A file without INE or school id must not erase one already known.
        var merged = values
        if student.ine == nil { merged[1] = existing["ine"] as String? }
        if student.localID == nil { merged[2] = existing["localId"] as String? }
        if merged.map({ $0?.databaseValue ?? .null }) == stored { return (id, .unchanged) }
        try db.run(sql: """
            UPDATE student SET schoolId = ?, ine = ?, localId = ?, lastName = ?, firstName = ?, birthDate = ?, leftOn = ?
            WHERE id = ?
            """, arguments: SQLArguments(merged + [id]))
        return (id, .updated)
    }

    private func divisionID(code: String, kind: String, schoolID: Int64, year: SchoolYear, _ db: any SQLConnection) throws -> Int64 {
        if let division = try? division(code: code, schoolID: schoolID, year: year, in: db) {
            return division.id
        }
        try db.run(sql: "INSERT INTO division (schoolId, schoolYear, code, kind) VALUES (?, ?, ?, ?)",
                       arguments: [schoolID, year.startYear, code, kind])
        return (try db.insertedID())
    }

    /// Returns whether anything changed.
    private func replaceEnrollments(of studentID: Int64, schoolID: Int64, year: SchoolYear, with wanted: [Int64],
                                    keeping keptKinds: [String], _ db: any SQLConnection) throws -> Bool {
        let current = Set(try db.values(Int64.self, sql: """
            SELECT e.divisionId FROM enrollment e JOIN division d ON d.id = e.divisionId
            WHERE e.studentId = ? AND d.schoolId = ? AND d.schoolYear = ?
              AND d.kind NOT IN (SELECT value FROM json_each(?))
            """, arguments: [studentID, schoolID, year.startYear, String(describing: keptKinds)]))
        let target = Set(wanted)
        guard current != target else { return false }
        for division in current.subtracting(target) {
            try db.run(sql: "DELETE FROM enrollment WHERE studentId = ? AND divisionId = ?", arguments: [studentID, division])
        }
        for division in target.subtracting(current) {
            try db.run(sql: "INSERT INTO enrollment (studentId, divisionId) VALUES (?, ?)", arguments: [studentID, division])
        }
        return true
    }

    /// The id of the school with this UAI; with `creating`, a school seen for the first time is added.
    /// The database id of a known school.
    public func schoolID(uai: String, in db: any SQLConnection) throws -> Int64 {
        try schoolID(uai: uai, db)
    }

    func schoolID(uai: String, creating: Bool = false, _ db: any SQLConnection) throws -> Int64 {
        if let id = try db.value(Int64.self, sql: "SELECT id FROM school WHERE uai = ?", arguments: [uai]) { return id }
        guard creating else { throw SchoolStoreError.unknownSchool(uai) }
        try db.run(sql: "INSERT INTO school (uai) VALUES (?)", arguments: [uai])
        return (try db.insertedID())
    }

    /// The name of a school, once given (at setup).
    public func name(schoolID: Int64, in db: any SQLConnection) throws -> String? {
        try db.value(String.self, sql: "SELECT name FROM school WHERE id = ?", arguments: [schoolID])
    }

    /// Names a school, as its letters and pages print it.
    public func setName(_ name: String, schoolID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE school SET name = ? WHERE id = ?", arguments: [name, schoolID])
    }

    /// How the school divides its year for bilans; nil until direction chooses.
    public func periodScheme(schoolID: Int64, in db: any SQLConnection) throws -> PeriodScheme? {
        try db.value(String.self, sql: "SELECT periodScheme FROM school WHERE id = ?", arguments: [schoolID]).flatMap(PeriodScheme.init(rawValue:))
    }

    public func setPeriodScheme(_ scheme: PeriodScheme, schoolID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE school SET periodScheme = ? WHERE id = ?", arguments: [scheme.rawValue, schoolID])
    }

    public func leaverMonths(schoolID: Int64, in db: any SQLConnection) throws -> Int? {
        try db.value(Int.self, sql: "SELECT leaverMonths FROM school WHERE id = ?", arguments: [schoolID])
    }

    public func setLeaverMonths(_ months: Int, schoolID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE school SET leaverMonths = ? WHERE id = ?", arguments: [months, schoolID])
    }

    public func leaverAccess(studentID: Int64, today: CalendarDate, in db: any SQLConnection) throws -> LeaverAccess {
        guard let row = try db.row(sql: """
            SELECT s.leftOn, c.leaverMonths FROM student s JOIN school c ON c.id = s.schoolId WHERE s.id = ?
            """, arguments: [studentID]) else { return .enrolled }
        return LeaverAccess(leftOn: (row["leftOn"] as String?).flatMap(CalendarDate.init(iso:)),
                            months: row["leaverMonths"] ?? LeaverAccess.defaultMonths, today: today)
    }

    /// The UAI of a school known by its id.
    public func uai(schoolID: Int64, in db: any SQLConnection) throws -> String? {
        try db.value(String.self, sql: "SELECT uai FROM school WHERE id = ?", arguments: [schoolID])
    }

    /// The school a student belongs to; nil for an unknown student.
    public func schoolID(studentID: Int64, in db: any SQLConnection) throws -> Int64? {
        try db.value(Int64.self, sql: "SELECT schoolId FROM student WHERE id = ?", arguments: [studentID])
    }

    /// The only school of the database, for commands that do not name one.
    public func soleSchoolUAI(in db: any SQLConnection) throws -> String {
        let uais = try db.values(String.self, sql: "SELECT uai FROM school ORDER BY uai LIMIT 2")
        guard let uai = uais.first else { throw SchoolStoreError.unknownSchool("(aucun)") }
        guard uais.count == 1 else { throw SchoolStoreError.ambiguousSchool }
        return uai
    }

    // MARK: - Reading

    /// A class or group of a school year, by its code.
    public func division(code: String, schoolID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> DivisionRef {
        guard let row = try db.row(sql: """
            SELECT id, kind FROM division WHERE schoolId = ? AND schoolYear = ? AND code = ?
            """, arguments: [schoolID, year.startYear, code])
        else { throw SchoolStoreError.unknownDivision(code, year) }
        return DivisionRef(id: row[0], schoolID: schoolID, code: code, kind: row[1], year: year)
    }

    /// The students of a class or group, in alphabetical order.
    /// The students of a class or group still there on `day`, in French alphabetical order. A
    /// student who left (`DATE_SORTIE` passed) keeps history and badges but is listed apart,
    /// by ``leavers(in:asOf:in:)``.
    public func students(inDivision code: String, uai: String, year: SchoolYear, asOf day: CalendarDate = .today,
                         in db: any SQLConnection) throws -> [StoredStudent] {
        try students(in: division(code: code, schoolID: schoolID(uai: uai, db), year: year, in: db), asOf: day, in: db)
    }

    public func students(in division: DivisionRef, asOf day: CalendarDate = .today, in db: any SQLConnection) throws -> [StoredStudent] {
        let rows = try db.rows(sql: "SELECT s.* \(Self.membersSQL(present: true))", arguments: [division.id, day.iso])
        return try stored(from: rows, year: division.year, db)
    }

    /// The students of a class or group who had left it by `day`, with the day they left.
    public func leavers(in division: DivisionRef, asOf day: CalendarDate = .today, in db: any SQLConnection) throws -> [StoredStudent] {
        let rows = try db.rows(sql: "SELECT s.* \(Self.membersSQL(present: false))", arguments: [division.id, day.iso])
        return try stored(from: rows, year: division.year, db)
    }

    /// The ids of a class's or group's students present on `day`, in the same order.
    public func studentIDs(divisionID: Int64, asOf day: CalendarDate = .today, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: "SELECT s.id \(Self.membersSQL(present: true))", arguments: [divisionID, day.iso])
    }

    /// A school's classes of the year in the order of their codes, each with the ids of its
    /// students present on `day` in the order of ``studentIDs(divisionID:asOf:in:)``: one query
    /// for the whole school, however many classes (each was a statement on an académie's server).
    public func classes(schoolID: Int64, year: SchoolYear, asOf day: CalendarDate,
                        in db: any SQLConnection) throws -> [(code: String, members: [Int64])] {
        var classes: [(id: Int64, code: String, members: [Int64])] = []
        try db.forEachRow(sql: """
            SELECT d.id, d.code, s.id FROM division d
            LEFT JOIN enrollment e ON e.divisionId = d.id
            LEFT JOIN student s ON s.id = e.studentId AND \(Self.presentOn)
            WHERE d.schoolId = ? AND d.schoolYear = ? AND d.kind = 'classe'
            ORDER BY d.code, d.id, \(Self.byName)
            """, arguments: [day.iso, schoolID, year.startYear]) { row in
            let id: Int64 = row[0]
            if classes.last?.id != id { classes.append((id, row[1], [])) }
            if let student: Int64 = row[2] { classes[classes.count - 1].members.append(student) }
        }
        return classes.map { ($0.code, $0.members) }
    }

    private static func membersSQL(present: Bool) -> String {
        """
        FROM student s JOIN enrollment e ON e.studentId = s.id
        WHERE e.divisionId = ? AND \(present ? presentOn : "s.leftOn <= ?")
        ORDER BY \(byName)
        """
    }

    /// Whether student `s` is still there on the day given as argument.
    private static let presentOn = "(s.leftOn IS NULL OR s.leftOn > ?)"
    /// The order of a class's list: by name as French sorts it, then by id.
    private static let byName = "s.lastName COLLATE FRENCH, s.firstName COLLATE FRENCH, s.id"

    /// The student a file or a command names.
    public func student(_ reference: StudentReference, year: SchoolYear? = nil, in db: any SQLConnection) throws -> StoredStudent {
        let row: SQLRow?
        switch reference {
        case let .ine(ine): row = try db.row(sql: "SELECT * FROM student WHERE ine = ?", arguments: [ine])
        case let .localID(id): row = try db.row(sql: "SELECT * FROM student WHERE localId = ?", arguments: [id])
        }
        guard let row else { throw SchoolStoreError.unknownStudent(reference) }
        return try stored(from: row, year: year, db)
    }

    /// The query of a student's id by INE or school id, for ``studentID(in:reference:)``.
    static func idQuery(_ reference: StudentReference) -> SQLQuery {
        switch reference {
        case let .ine(ine): SQLQuery("SELECT id FROM student WHERE ine = ?", arguments: [ine])
        case let .localID(id): SQLQuery("SELECT id FROM student WHERE localId = ?", arguments: [id])
        }
    }

    /// The id in the answer to ``idQuery(_:)``; an unknown student is refused.
    static func studentID(in rows: [SQLRow], reference: StudentReference) throws -> Int64 {
        guard let row = rows.first else { throw SchoolStoreError.unknownStudent(reference) }
        return row[0]
    }

    public func student(studentID: Int64, year: SchoolYear? = nil, in db: any SQLConnection) throws -> StoredStudent {
        guard let row = try db.row(sql: "SELECT * FROM student WHERE id = ?", arguments: [studentID]) else {
            throw SchoolStoreError.unknownStudent(.localID("#\(studentID)"))
        }
        return try stored(from: row, year: year, db)
    }

    /// Students by id, in the order of `ids`, each with their class and groups of `year`: two
    /// queries for a whole school (each a round trip to an académie's server).
    public func students(ids: [Int64], year: SchoolYear? = nil, in db: any SQLConnection) throws -> [StoredStudent] {
        let rows = try db.rows(sql: "SELECT * FROM student WHERE id IN (SELECT value FROM json_each(?))",
                               arguments: [String(describing: ids)])
        let found = Dictionary(try stored(from: rows, year: year, db).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try ids.map { id in
            guard let student = found[id] else { throw SchoolStoreError.unknownStudent(.localID("#\(id)")) }
            return student
        }
    }

    /// Ids of every student, keyed by INE and by the school's id, for bulk imports.
    public func studentIDs(in db: any SQLConnection) throws -> [StudentReference: Int64] {
        var ids: [StudentReference: Int64] = [:]
        try db.forEachRow(sql: "SELECT id, ine, localId FROM student", arguments: []) { row in
            let id: Int64 = row[0]
            if let ine: String = row[1] { ids[.ine(ine)] = id }
            if let local: String = row[2] { ids[.localID(local)] = id }
        }
        return ids
    }

    private func stored(from row: SQLRow, year: SchoolYear?, _ db: any SQLConnection) throws -> StoredStudent {
        try stored(from: [row], year: year, db)[0]
    }

    /// Students from their rows, each with their class and groups of `year`, read for all of
    /// them at once: a class of thirty is two queries, not thirty-one.
    private func stored(from rows: [SQLRow], year: SchoolYear?, _ db: any SQLConnection) throws -> [StoredStudent] {
        var divisions: [Int64: [(code: String, isClass: Bool)]] = [:]
        if let year, !rows.isEmpty {
            let ids = "[" + rows.map { String($0["id"] as Int64) }.joined(separator: ",") + "]"
            for division in try db.rows(sql: """
                SELECT e.studentId, d.code, d.kind FROM enrollment e JOIN division d ON d.id = e.divisionId
                WHERE e.studentId IN (SELECT value FROM json_each(?)) AND d.schoolYear = ? ORDER BY d.code
                """, arguments: [ids, year.startYear]) {
                divisions[division["studentId"], default: []].append((division["code"], division["kind"] == "classe"))
            }
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            var student = Student(ine: row["ine"], localID: row["localId"], lastName: row["lastName"], firstName: row["firstName"],
                                  birthDate: (row["birthDate"] as String?).flatMap(CalendarDate.init(iso:)),
                                  leftOn: (row["leftOn"] as String?).flatMap(CalendarDate.init(iso:)))
            for division in divisions[id] ?? [] {
                if division.isClass { student.division = division.code } else { student.groups.append(division.code) }
            }
            return StoredStudent(id: id, schoolID: row["schoolId"], student: student)
        }
    }

    /// The codes of the referentials a student follows in a school year: those direction chose
    /// for their class and groups, those their teachers
    /// evaluate them in, and those their class (not a group, which may mix diplomas) is
    /// evaluated in. Self-evaluations never count, so that a student cannot open a
    /// referential by writing in it.
    public func referentialsFollowed(studentID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> Set<String> {
        Set(try db.values(String.self, sql: """
            SELECT DISTINCT r.code FROM evaluation ev
            JOIN referentialNode n ON n.id = ev.nodeId JOIN referential r ON r.id = n.referentialId
            WHERE ev.context <> :auto AND ev.withdrawnAt IS NULL AND ev.studentId IN (
                SELECT :student UNION
                SELECT mate.studentId FROM enrollment mine
                JOIN division d ON d.id = mine.divisionId AND d.kind = 'classe' AND d.schoolYear = :year
                JOIN enrollment mate ON mate.divisionId = d.id
                WHERE mine.studentId = :student)
            UNION
            SELECT dr.referentialCode FROM enrollment mine
            JOIN division d ON d.id = mine.divisionId AND d.schoolYear = :year
            JOIN divisionReferential dr ON dr.divisionId = d.id
            WHERE mine.studentId = :student
            """, arguments: ["auto": EvaluationContext.autoEvaluation.kindName, "student": studentID, "year": year.startYear]))
    }

    /// Classes and groups of a school year with their number of students.
    public func divisions(uai: String, year: SchoolYear, in db: any SQLConnection) throws -> [(code: String, kind: String, students: Int)] {
        let schoolID = try schoolID(uai: uai, db)
        return try db.rows(sql: """
            SELECT d.code, d.kind, COUNT(e.studentId) AS students FROM division d
            LEFT JOIN enrollment e ON e.divisionId = d.id
            WHERE d.schoolId = ? AND d.schoolYear = ? GROUP BY d.id ORDER BY d.kind, d.code
            """, arguments: [schoolID, year.startYear]).map { ($0["code"], $0["kind"], $0["students"]) }
    }
}
