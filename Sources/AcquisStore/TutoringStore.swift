import AcquisStorage
import AcquisCore
import Foundation
import GRDB

public struct TutoringStore: Sendable {
    public init() {}

    /// Makes a teacher of the student's school their tutor for the year, replacing any other.
    public func assignTutor(studentID: Int64, teacherLogin: String, year: SchoolYear, since: CalendarDate,
                            in db: any SQLConnection) throws {
        guard let teacherID = try db.value(Int64.self, sql: """
            SELECT t.id FROM teacher t JOIN student s ON s.schoolId = t.schoolId WHERE t.login = ? AND s.id = ?
            """, arguments: [teacherLogin, studentID])
        else { throw TutoringError.unknownTeacher(teacherLogin) }
        try upsert(studentID: studentID, kind: "enseignant", teacherID: teacherID, sponsorID: nil, year: year,
                   since: since, db)
    }

    /// Makes an older student of the same school the student's peer sponsor for the year.
    public func assignSponsor(studentID: Int64, sponsorID: Int64, year: SchoolYear, since: CalendarDate,
                              in db: any SQLConnection) throws {
        guard sponsorID != studentID else { throw TutoringError.selfSponsor }
        let student = try SchoolStore().student(studentID: studentID, in: db)
        let sponsor = try SchoolStore().student(studentID: sponsorID, in: db)
        let schools = try db.values(Int64.self, sql: "SELECT schoolId FROM student WHERE id IN (?, ?)",
                                         arguments: [studentID, sponsorID])
        guard Set(schools).count == 1 else { throw TutoringError.otherSchool }
        if let born = student.student.birthDate, let sponsorBorn = sponsor.student.birthDate, sponsorBorn >= born {
            throw TutoringError.youngerSponsor
        }
        try upsert(studentID: studentID, kind: "parrain", teacherID: nil, sponsorID: sponsorID, year: year,
                   since: since, db)
    }

    private func upsert(studentID: Int64, kind: String, teacherID: Int64?, sponsorID: Int64?, year: SchoolYear,
                        since: CalendarDate, _ db: any SQLConnection) throws {
        try db.run(sql: """
            INSERT INTO tutoring (studentId, schoolYear, kind, teacherId, sponsorId, since) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (studentId, schoolYear, kind)
            DO UPDATE SET teacherId = excluded.teacherId, sponsorId = excluded.sponsorId, since = excluded.since
            """, arguments: [studentID, year.startYear, kind, teacherID, sponsorID, since.iso])
    }

    public func tutoring(of studentID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> Tutoring {
        var tutoring = Tutoring(teacher: nil, sponsor: nil)
        for row in try db.rows(sql: """
            SELECT o.kind, o.sponsorId, t.id, t.schoolId, t.login, t.name FROM tutoring o LEFT JOIN teacher t ON t.id = o.teacherId
            WHERE o.studentId = ? AND o.schoolYear = ?
            """, arguments: [studentID, year.startYear]) {
            if let id: Int64 = row[2] { tutoring.teacher = Teacher(id: id, schoolId: row[3], login: row[4], name: row[5]) }
            if let sponsorID: Int64 = row[1] { tutoring.sponsor = try SchoolStore().student(studentID: sponsorID, year: year, in: db) }
        }
        return tutoring
    }

    /// The students a teacher tutors this year, in alphabetical order.
    public func tutees(teacherID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: """
            SELECT s.id FROM tutoring o JOIN student s ON s.id = o.studentId
            WHERE o.teacherId = ? AND o.schoolYear = ? ORDER BY s.lastName COLLATE FRENCH, s.firstName COLLATE FRENCH
            """, arguments: [teacherID, year.startYear])
    }

    /// The students an older student sponsors this year.
    public func sponsored(by sponsorID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: """
            SELECT s.id FROM tutoring o JOIN student s ON s.id = o.studentId
            WHERE o.sponsorId = ? AND o.schoolYear = ? ORDER BY s.lastName COLLATE FRENCH, s.firstName COLLATE FRENCH
            """, arguments: [sponsorID, year.startYear])
    }

    /// Whether the teacher tutors this student this year.
    public func isTutor(teacherID: Int64, of studentID: Int64, year: SchoolYear, in db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: """
            SELECT EXISTS (SELECT 1 FROM tutoring WHERE teacherId = ? AND studentId = ? AND schoolYear = ?)
            """, arguments: [teacherID, studentID, year.startYear]) ?? false
    }
}
