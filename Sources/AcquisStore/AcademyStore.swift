import AcquisCore
import AcquisReports
import AcquisStorage

/// The académie's counts, each in one query over every school.
struct AcademyStore: AcademyRepository {
    let db: any SQLConnection

    func schoolIDs() throws -> [Int64] {
        try db.values(Int64.self, sql: "SELECT id FROM school ORDER BY id")
    }

    func referentialUse() throws -> [ReferentialUse] {
        try db.rows(sql: """
            SELECT r.code AS code, MIN(r.title) AS title, COUNT(DISTINCT s.schoolId) AS schools,
                   COUNT(DISTINCT e.studentId) AS students, COUNT(*) AS evaluations
            FROM evaluation e
            JOIN referentialNode n ON n.id = e.nodeId
            JOIN referential r ON r.id = n.referentialId
            JOIN student s ON s.id = e.studentId
            WHERE e.withdrawnAt IS NULL
            GROUP BY r.code ORDER BY r.code
            """).map { ReferentialUse(code: $0["code"], title: $0["title"], schools: $0["schools"], students: $0["students"],
                                       evaluations: $0["evaluations"]) }
    }

    func monthlyActivity() throws -> [MonthActivity] {
        try db.rows(sql: """
            SELECT substr(observedOn, 1, 7) AS month, COUNT(DISTINCT studentId) AS students, COUNT(*) AS evaluations
            FROM evaluation WHERE withdrawnAt IS NULL
            GROUP BY substr(observedOn, 1, 7) ORDER BY 1
            """).map { MonthActivity(month: $0["month"], students: $0["students"], evaluations: $0["evaluations"]) }
    }

    func badgeTallies() throws -> [BadgeTally] {
        // A badge's block is its first alignment; a badge awarded by hand counts under its name.
        try db.rows(sql: """
            SELECT COALESCE(r.code, '') AS diploma, COALESCE(MIN(r.title), '') AS diplomaTitle,
                   COALESCE(a.nodeCode || ' ' || a.targetName, a.targetName, c.name) AS block,
                   COUNT(*) AS awards, COUNT(DISTINCT w.studentId) AS students, COUNT(DISTINCT c.schoolId) AS schools
            FROM badgeAward w
            JOIN badgeClass c ON c.id = w.badgeClassId
            LEFT JOIN referential r ON r.id = c.referentialId
            LEFT JOIN badgeAlignment a ON a.badgeClassId = c.id
                AND a.position = (SELECT MIN(position) FROM badgeAlignment WHERE badgeClassId = c.id)
            WHERE w.revokedAt IS NULL
            GROUP BY COALESCE(r.code, ''), COALESCE(a.nodeCode || ' ' || a.targetName, a.targetName, c.name)
            ORDER BY 1, 3
            """).map { BadgeTally(diploma: $0["diploma"], diplomaTitle: $0["diplomaTitle"], block: $0["block"], awards: $0["awards"],
                                   students: $0["students"], schools: $0["schools"]) }
    }

    func followUps(asOf day: CalendarDate) throws -> [(studentID: Int64, action: String, decidedOn: CalendarDate)] {
        try db.rows(sql: "SELECT studentId, action, decidedOn FROM followUp WHERE decidedOn <= ? ORDER BY studentId, decidedOn",
                    arguments: [day.iso]).compactMap { row in
            guard let day = CalendarDate(iso: row["decidedOn"]) else { return nil }
            return (row["studentId"], row["action"], day)
        }
    }
}
