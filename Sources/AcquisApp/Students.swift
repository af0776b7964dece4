import AcquisBadges
import AcquisCore
import AcquisGrading
import AcquisReports
import AcquisStorage
import Foundation

/// How many competencies of a referential were acquired at the end of each month of the
/// school year, up to today: progress over time.
public struct MonthlyProgress: Sendable {
    /// The month (1 to 12) and the competencies acquired at its end.
    public var points: [(month: Int, acquired: Int)]
    public var title: String
    /// The referential's evaluable competencies.
    public var total: Int
}

/// What a student's pages show, each read for a person allowed to read it.
public struct Students: Sendable {
    let app: App

    /// A student the person follows, as enrolled this school year; refused for anyone else's
    /// student and for an id that does not exist alike.
    public func student(_ id: Int64, by person: ActingPerson) async throws -> StoredStudent {
        let access = app.access(person), year = app.year
        return try await app.read { tx in
            try access.requireStudent(id, in: tx)
            return try tx.schools.student(studentID: id, year: year)
        }
    }

    /// The student's progress file for a period, as its readers read it. A peer sponsor reads
    /// the files of the students they sponsor, and nothing else of theirs.
    public func progressFile(studentID: Int64, period: Period, by person: ActingPerson) async throws -> ProgressFile {
        let access = app.access(person), today = app.today
        return try await app.read { tx in
            if try !access.sponsors(studentID, in: tx) { try access.requireStudent(studentID, in: tx) }
            var context = ReportContext(today: today)
            return try tx.reports.progressFile(studentID: studentID, period: period, including: [], versions: [:],
                                               context: &context)
        }
    }

    /// A student's progress file in one referential (the version their evidence is read in,
    /// or the one named), for a period: what the command line prints.
    public func progressFile(of student: StudentReference, referential: String, version: String? = nil, period: Period,
                             by person: ActingPerson) async throws -> ProgressFile {
        let access = app.access(person), today = app.today
        return try await app.read { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            _ = try tx.referentials.target(code: referential, version: version)
            var context = ReportContext(today: today)
            var file = try tx.reports.progressFile(studentID: studentID, period: period, including: [referential],
                                                   versions: version.map { [referential: $0] } ?? [:], context: &context)
            file.sections = file.sections.filter { $0.code == referential }
            return file
        }
    }

    /// Whom a student or family account follows: a student themselves; a family every child
    /// of its guardian (or its one child), in alphabetical order. Nobody for other accounts.
    public func followed(by person: ActingPerson) async throws -> [StoredStudent] {
        guard case let .account(account) = person, account.role == .student || account.role == .family else { return [] }
        let access = app.access(person), year = app.year
        return try await app.read { tx in
            try access.visibleStudentIDs(in: tx).map { try tx.schools.student(studentID: $0, year: year) }
                .sorted { $0.student.displayName.localizedStandardCompare($1.student.displayName) == .orderedAscending }
        }
    }

    /// What a student's or a family's account opens today: everything while a student it
    /// follows is at the school; only the portfolio's download once every one has left (until
    /// the latest end of the period the school chose); nothing after. Other roles: everything.
    public func leaverAccess(by person: ActingPerson) async throws -> LeaverAccess {
        guard case let .account(account) = person, account.role == .student || account.role == .family else { return .enrolled }
        let access = app.access(person), today = app.today
        return try await app.read { tx in
            let each = try access.visibleStudentIDs(in: tx).map { try tx.schools.leaverAccess(studentID: $0, today: today) }
            guard !each.isEmpty, !each.contains(.enrolled) else { return .enrolled }
            // A download still open wins over one that ended; among them, the latest last day.
            let open = each.filter { if case .downloadOnly = $0 { true } else { false } }
            return (open.isEmpty ? each : open).compactMap { access in access.until.map { (access, $0) } }
                .max { $0.1 < $1.1 }?.0 ?? .enrolled
        }
    }

    /// The students a student account sponsors this year (none for anyone else).
    public func sponsored(by person: ActingPerson) async throws -> [StoredStudent] {
        guard case let .account(account) = person, account.role == .student, let sponsor = account.studentID else { return [] }
        let year = app.year
        return try await app.read { tx in
            try tx.tutoring.sponsored(by: sponsor, year: year).map { try tx.schools.student(studentID: $0, year: year) }
        }
    }

    /// A student the person sponsors; refused otherwise.
    public func sponsoredStudent(_ id: Int64, by person: ActingPerson) async throws -> StoredStudent {
        let access = app.access(person), year = app.year
        return try await app.read { tx in
            guard try access.sponsors(id, in: tx) else { throw AccessRefusal.student }
            return try tx.schools.student(studentID: id, year: year)
        }
    }

    /// Competencies acquired month by month in one referential version.
    public func monthlyProgress(studentID: Int64, referential: String, version: String,
                                by person: ActingPerson) async throws -> MonthlyProgress {
        let access = app.access(person), (year, today) = (app.year, app.today)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            let target = try tx.referentials.target(code: referential, version: version)
            var months: [(month: Int, end: CalendarDate)] = []
            var month = CalendarDate(year: year.startYear, month: 9, day: 1)!
            while month <= today {
                let next = CalendarDate(year: month.month == 12 ? month.year + 1 : month.year, month: month.month % 12 + 1, day: 1)!
                months.append((month.month, min(next.adding(days: -1), today)))
                month = next
            }
            let counts = try tx.progress.acquiredCounts(studentID: studentID, target: target, on: months.map(\.end))
            return MonthlyProgress(points: zip(months, counts).map { ($0.month, $1) }, title: target.referential.title,
                                   total: target.referential.evaluableNodes.count)
        }
    }

    /// The student's requests to be evaluated, newest first.
    public func requests(studentID: Int64, by person: ActingPerson) async throws -> [EvaluationRequest] {
        let access = app.access(person)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return try tx.requests.requests(studentID: studentID)
        }
    }

    /// The referentials the student's class follows: where the student may ask and self-evaluate.
    public func referentialsFollowed(studentID: Int64, by person: ActingPerson) async throws -> Set<String> {
        let access = app.access(person), year = app.year
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return try tx.schools.referentialsFollowed(studentID: studentID, year: year)
        }
    }

    /// A student named by INE or school id, if the person follows them.
    public func student(of reference: StudentReference, by person: ActingPerson) async throws -> StoredStudent {
        let studentID = try await app.read { tx in try tx.schools.student(reference, year: nil).id }
        return try await student(studentID, by: person)
    }

    /// The badges of a student named by INE or school id, revoked ones included (marked).
    public func awards(of student: StudentReference, by person: ActingPerson) async throws -> [StoredAward] {
        let studentID = try await app.read { tx in try tx.schools.student(student, year: nil).id }
        return try await awards(studentID: studentID, by: person)
    }

    /// The student's badges, revoked ones included (marked).
    public func awards(studentID: Int64, by person: ActingPerson) async throws -> [StoredAward] {
        let access = app.access(person)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return try tx.badges.awards(studentID: studentID)
        }
    }

    /// What a teacher reads of a student's evidence: the latest observations across
    /// referentials, and the badges a teacher may award by hand.
    public func evidence(studentID: Int64, limit: Int, by person: ActingPerson) async throws
        -> (evidence: [(referentialCode: String, evaluation: StoredEvaluation)], manualBadges: [StoredBadgeClass])
    {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            let schoolID = try tx.schools.schoolID(studentID: studentID) ?? 0
            let manual = try tx.badges.classes(schoolID: schoolID).filter {
                if case .manual = $0.badgeClass.rule { return true } else { return false }
            }
            return (try tx.evaluations.recentEvidence(studentID: studentID, limit: limit), manual)
        }
    }
}

/// Where a student stands on one competency, and why: what a teacher reads on opening a cell
/// of the grid.
public struct CompetencyStanding: Sendable {
    public var student: StoredStudent
    public var referential: ReferentialTarget
    public var code: String
    public var title: String
    /// nil while nothing was observed.
    public var level: Scale.Level?
    /// How the level was computed from the evidence, in words.
    public var explanation: String?
    /// The observations on this competency, newest first.
    public var evidence: [StoredEvaluation]
}

extension Students {
    /// A student's level on one competency of a referential (in the version the student's
    /// evidence is read in), its explanation and the evidence behind it: for the team only.
    public func standing(studentID: Int64, referential: String, competency: String,
                         by person: ActingPerson) async throws -> CompetencyStanding {
        let access = app.access(person), year = app.year
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            let target = try tx.referentials.target(code: referential, version: nil, studentID: studentID)
            guard let node = target.referential.entries.first(where: { $0.node.code == competency && $0.node.isEvaluable })?.node else {
                throw EvaluationError.unknownCompetency(code: competency, referential: "\(referential) \(target.referential.version)")
            }
            let mastery = try tx.masteries.masteries(studentID: studentID, referentialID: target.id)[competency]
            let levels = target.scale.levels
            let evidence = try tx.evaluations.evidence(studentID: studentID, referentialCode: referential, competencyCode: competency)
            return CompetencyStanding(student: try tx.schools.student(studentID: studentID, year: year), referential: target,
                                      code: competency, title: node.title,
                                      level: mastery?.rank.flatMap { levels.indices.contains($0) ? levels[$0] : nil },
                                      explanation: mastery?.explanation, evidence: evidence)
        }
    }
}

extension App {
    /// A student's pages: progress file, badges, requests, evidence.
    public var students: Students { Students(app: self) }
}

extension Students {
    /// Saves the team's synthesis of a period for a student, with next goals.
    public func saveSynthesis(_ student: StudentReference, period: Period, text: String, goals: [String],
                              by person: ActingPerson) async throws {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        try await app.write { tx in
            let id = try tx.schools.student(student, year: nil).id
            try access.requireStudent(id, in: tx)
            try tx.syntheses.save(studentID: id, period: period, text: text, goals: goals, author: person.signature ?? "",
                                      on: today)
        }
    }
}

extension Classes {
    /// A class on one referential (the version it works with unless one is named): each
    /// student's report, the students without a recent observation, the open requests.
    public func reports(_ code: String, referential: String, version: String? = nil, quietDays: Int, uai: String? = nil,
                        year: SchoolYear? = nil, by person: ActingPerson) async throws
        -> (reports: [StudentReport], quiet: [QuietStudent], requests: [EvaluationRequest])
    {
        let access = app.access(person, year: year), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let division = try access.requireDivision(code, uai: uai, in: tx)
            let students = try tx.schools.students(in: division, asOf: today)
            let target = try tx.referentials.target(code: referential, version: version, divisionID: division.id)
            let reports = try students.map { try tx.progress.report(studentID: $0.id, target: target, asOf: nil) }
            let quiet = try tx.progress.quietStudents(students, since: today.adding(days: -quietDays))
            return (reports, quiet, try tx.requests.openRequests(studentIDs: students.map(\.id)))
        }
    }
}

extension Requests {
    /// The open requests of a class, oldest first.
    public func open(inDivision code: String, uai: String? = nil, year: SchoolYear? = nil,
                     by person: ActingPerson) async throws -> [EvaluationRequest] {
        let access = app.access(person, year: year), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let students = try tx.schools.students(in: access.requireDivision(code, uai: uai, in: tx), asOf: today)
            return try tx.requests.openRequests(studentIDs: students.map(\.id))
        }
    }
}
