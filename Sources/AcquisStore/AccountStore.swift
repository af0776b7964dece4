import AcquisStorage
import AcquisCore
import Foundation
import GRDB

public struct AccountStore: Sendable {
    public init() {}

    /// Creates an account; a teacher account also becomes a teacher of its school.
    @discardableResult
    public func create(_ new: NewAccount, at date: Date = Date(), in db: any SQLConnection) throws -> Account {
        if try db.value(Int64.self, sql: "SELECT id FROM account WHERE login = ?", arguments: [new.login]) != nil {
            throw AccountStoreError.loginTaken(new.login)
        }
        let needsSchool = new.role != .inspector && new.role != .academy
        let schoolID = try new.schoolUAI.map { try SchoolStore().schoolID(uai: $0, in: db) }
            ?? (needsSchool ? try SchoolStore().schoolID(uai: SchoolStore().soleSchoolUAI(in: db), in: db) : nil)
        var studentID: Int64?
        if new.role == .student || (new.role == .family && new.guardianID == nil) {
            guard let reference = new.student else { throw AccountStoreError.studentRequired(new.role) }
            studentID = try SchoolStore().student(reference, in: db).id
        }
        var teacherID: Int64?
        if new.role == .teacher {
            guard let schoolID else { throw AccountStoreError.schoolRequired(new.role) }
            // A teacher STS-web brought in already has their row and login: the account joins it.
            if let row = try db.row(sql: "SELECT id, schoolId FROM teacher WHERE login = ?", arguments: [new.login]) {
                guard row["schoolId"] as Int64 == schoolID else { throw AccountStoreError.loginTaken(new.login) }
                teacherID = row["id"]
            } else {
                try db.unique(AccountStoreError.loginTaken(new.login)) {
                    try db.run(sql: "INSERT INTO teacher (schoolId, login, name) VALUES (?, ?, ?)",
                               arguments: [schoolID, new.login, new.displayName])
                }
                teacherID = (try db.insertedID())
            }
        }
        // Logins are unique across schools; another school's is out of sight behind the wall.
        try db.unique(AccountStoreError.loginTaken(new.login)) {
            try db.run(sql: """
                INSERT INTO account (login, passwordHash, role, displayName, schoolId, teacherId, studentId, guardianId, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.login, new.passwordHash, new.role.rawValue, new.displayName, schoolID, teacherID,
                                 studentID, new.role == .family ? new.guardianID : nil, date])
        }
        return Account(id: (try db.insertedID()), login: new.login, role: new.role, displayName: new.displayName,
                       schoolID: schoolID, teacherID: teacherID, studentID: studentID, guardianID: new.role == .family ? new.guardianID : nil)
    }

    /// The account and its password hash, to check a password at sign-in.
    public func credentials(login: String, in db: any SQLConnection) throws -> (account: Account, passwordHash: String)? {
        guard let row = try db.row(sql: "SELECT * FROM account WHERE login = ? AND disabledAt IS NULL", arguments: [login]) else {
            return nil
        }
        return (Self.account(row), row["passwordHash"])
    }

    public func account(id: Int64, in db: any SQLConnection) throws -> Account? {
        try db.row(sql: "SELECT * FROM account WHERE id = ? AND disabledAt IS NULL", arguments: [id]).map(Self.account)
    }

    public func accounts(in db: any SQLConnection) throws -> [Account] {
        try db.rows(sql: "SELECT * FROM account ORDER BY role, login").map(Self.account)
    }

    public func setPassword(login: String, passwordHash: String, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE account SET passwordHash = ? WHERE login = ?", arguments: [passwordHash, login])
        guard db.changedRows == 1 else { throw AccountStoreError.unknownAccount(login) }
    }

    /// An account from its row, as every query of the table reads it.
    static func account(_ row: SQLRow) -> Account {
        Account(id: row["id"], login: row["login"], role: Role(rawValue: row["role"]) ?? .student,
                displayName: row["displayName"], schoolID: row["schoolId"], teacherID: row["teacherId"],
                studentID: row["studentId"], guardianID: row["guardianId"])
    }

    // MARK: - Teaching

    /// Makes a teacher account teach these classes or groups of a school year.
    public func assign(login: String, divisions: [String], year: SchoolYear, in db: any SQLConnection) throws {
        guard !divisions.isEmpty else { return }
        guard let (account, _) = try credentials(login: login, in: db) else { throw AccountStoreError.unknownAccount(login) }
        guard let teacherID = account.teacherID, let schoolID = account.schoolID else {
            throw AccountStoreError.notATeacher(login)
        }
        for code in divisions {
            let division = try SchoolStore().division(code: code, schoolID: schoolID, year: year, in: db)
            try db.run(sql: "INSERT INTO teaching (teacherId, divisionId) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           arguments: [teacherID, division.id])
        }
    }

    /// A division's students still in it on the day given as the statement's first argument,
    /// as its list and its grid count them (those who left are listed apart).
    private static let studentsPresent = """
        (SELECT COUNT(*) FROM enrollment e JOIN student st ON st.id = e.studentId
         WHERE e.divisionId = d.id AND (st.leftOn IS NULL OR st.leftOn > ?))
        """

    /// The classes and groups of a school in a school year, with their number of students
    /// still there on `day`.
    public func divisions(schoolID: Int64, year: SchoolYear, asOf day: CalendarDate, in db: any SQLConnection) throws -> [TaughtDivision] {
        try db.rows(sql: """
            SELECT d.code, d.kind, \(Self.studentsPresent) AS students
            FROM division d WHERE d.schoolId = ? AND d.schoolYear = ? ORDER BY d.kind, d.code
            """, arguments: [day.iso, schoolID, year.startYear]).map(TaughtDivision.init(row:))
    }

    /// The classes and groups a teacher teaches in a school year, with their number of students
    /// still there on `day`.
    public func divisions(teacherID: Int64, year: SchoolYear, asOf day: CalendarDate, in db: any SQLConnection) throws -> [TaughtDivision] {
        try db.rows(sql: """
            SELECT d.code, d.kind, \(Self.studentsPresent) AS students
            FROM teaching t JOIN division d ON d.id = t.divisionId
            WHERE t.teacherId = ? AND d.schoolYear = ? ORDER BY d.kind, d.code
            """, arguments: [day.iso, teacherID, year.startYear]).map(TaughtDivision.init(row:))
    }

    /// The class or group `code` of a school in a school year, with its number of students
    /// still there on `day` and the school's UAI; when `teacherID` is given, only if that
    /// teacher teaches it. One statement: a teacher's page opens a class by it.
    public func division(code: String, schoolID: Int64, taughtBy teacherID: Int64?, year: SchoolYear, asOf day: CalendarDate,
                         in db: any SQLConnection) throws -> TaughtClass? {
        let taught = teacherID == nil ? "" : "AND EXISTS (SELECT 1 FROM teaching t WHERE t.divisionId = d.id AND t.teacherId = ?)"
        guard let row = try db.row(sql: """
            SELECT d.id, d.code, d.kind, s.uai, \(Self.studentsPresent) AS students
            FROM division d JOIN school s ON s.id = d.schoolId
            WHERE d.schoolId = ? AND d.schoolYear = ? AND d.code = ? \(taught)
            """, arguments: SQLArguments([day.iso, schoolID, year.startYear, code] + (teacherID.map { [$0] } ?? []) as [(any DatabaseValueConvertible)?]))
        else { return nil }
        return TaughtClass(division: TaughtDivision(row: row),
                           ref: DivisionRef(id: row["id"], schoolID: schoolID, code: code, kind: row["kind"], year: year),
                           uai: row["uai"])
    }

    /// Whether a teacher teaches the student this school year (in a class or group) or tutors them.
    public func teacherFollows(teacherID: Int64, studentID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: """
            SELECT EXISTS (SELECT 1 FROM teaching t JOIN division d ON d.id = t.divisionId
                           JOIN enrollment e ON e.divisionId = d.id
                           WHERE t.teacherId = ? AND d.schoolYear = ? AND e.studentId = ?)
                OR EXISTS (SELECT 1 FROM tutoring WHERE teacherId = ? AND schoolYear = ? AND studentId = ?)
            """, arguments: [teacherID, year.startYear, studentID, teacherID, year.startYear, studentID]) ?? false
    }

    /// The students a teacher teaches this school year or tutors.
    public func followedStudentIDs(teacherID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: """
            SELECT e.studentId FROM teaching t JOIN division d ON d.id = t.divisionId
            JOIN enrollment e ON e.divisionId = d.id WHERE t.teacherId = ? AND d.schoolYear = ?
            UNION SELECT studentId FROM tutoring WHERE teacherId = ? AND schoolYear = ?
            """, arguments: [teacherID, year.startYear, teacherID, year.startYear])
    }

    /// The students of a school.
    public func studentIDs(schoolID: Int64, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: "SELECT id FROM student WHERE schoolId = ?", arguments: [schoolID])
    }
}

extension AccountStore {
    /// The teachers of a school, by name: whom a student's tutor may be chosen among.
    /// SQL for the name people read in place of the login held by `column`: the account's
    /// display name, else the teacher's name, else the text itself (an evaluator typed by hand).
    static func personName(_ column: String) -> String {
        """
        coalesce((SELECT displayName FROM account WHERE login = \(column) COLLATE NOCASE),
                 (SELECT name FROM teacher WHERE login = \(column)), \(column))
        """
    }

    /// The name people read for one login (or the text itself when no account has it).
    public func personName(login: String, in db: any SQLConnection) throws -> String {
        try db.value(String.self, sql: "SELECT \(Self.personName(":login"))", arguments: ["login": login]) ?? login
    }

    /// Every login known here with the name people read: accounts' display names, teachers' names.
    public func peopleNames(in db: any SQLConnection) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try db.rows(sql: "SELECT login, name FROM teacher") { names[row[0]] = row[1] }
        for row in try db.rows(sql: "SELECT login, displayName FROM account") { names[row[0]] = row[1] }
        return names
    }

    public func teachers(schoolID: Int64, in db: any SQLConnection) throws -> [Teacher] {
        try db.rows(sql: "SELECT id, schoolId, login, name FROM teacher WHERE schoolId = ? ORDER BY name", arguments: [schoolID])
            .map(Teacher.init(row:))
    }

    public func teacher(login: String, in db: any SQLConnection) throws -> Teacher? {
        try db.row(sql: "SELECT id, schoolId, login, name FROM teacher WHERE login = ?", arguments: [login]).map(Teacher.init(row:))
    }
}
