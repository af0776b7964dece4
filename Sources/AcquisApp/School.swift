import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation

/// The school's people and structures: rosters, classes and groups, accounts. The school's
/// team (and the console) manages them.
public struct SchoolSetup: Sendable {
    let app: App

    /// Imports a roster (SIECLE or CSV) for a school year: students are added or updated,
    /// never duplicated; those missing from the file are kept.
    public func importRoster(_ roster: StudentRoster, uai: String, year: SchoolYear, by person: ActingPerson) async throws -> RosterImport {
        let access = app.access(person, year: year)
        try access.require(.admin)
        return try await app.write { tx in
            if case .account = person { _ = try access.requireOwnSchool(uai: uai, in: tx) }
            return try tx.schools.importRoster(roster, uai: uai, year: year)
        }
    }

    /// Imports a school's legal guardians (SIECLE responsables), after its students: each is
    /// linked to their children in the school, never to another school's.
    public func importGuardians(_ roster: GuardianRoster, uai: String, by person: ActingPerson) async throws -> GuardianImport {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.requireOwnSchool(uai: uai, in: tx)
            return try tx.guardians.importGuardians(roster, schoolID: schoolID)
        }
    }

    /// Imports STS-web's teachers and what they teach, after the students (whose classes
    /// and groups the services point at). New teachers get a login; accounts come after.
    public func importTeachers(_ roster: TeacherRoster, uai: String, year: SchoolYear? = nil,
                               by person: ActingPerson) async throws -> TeacherImport {
        let access = app.access(person)
        try access.require(.admin)
        let year = year ?? roster.schoolYear ?? app.year
        return try await app.write { tx in
            let schoolID = try access.requireOwnSchool(uai: uai, in: tx)
            return try tx.staff.importTeachers(roster, schoolID: schoolID, year: year) {
                try SchoolAccounts.login(first: $0.firstName, last: $0.lastName, in: tx)
            }
        }
    }

    /// The school's teachers, what each teaches this year, and who has an account.
    public func staff(by person: ActingPerson) async throws -> [StaffTeacher] {
        let access = app.access(person), year = app.year
        try access.require(.admin)
        return try await app.read { tx in try tx.staff.staff(schoolID: access.schoolID(uai: nil, in: tx), year: year) }
    }

    /// How the person's school divides its year for bilans: trimesters until direction
    /// chooses. Everyone of the school reads it: it names the periods they write in.
    public func periodScheme(by person: ActingPerson) async throws -> PeriodScheme {
        guard case let .account(account) = person, let schoolID = account.schoolID else { return .trimesters }
        return try await app.read { tx in try tx.schools.periodScheme(schoolID: schoolID) } ?? .trimesters
    }

    /// The school's settings saved together, in one transaction: its name, its period scheme
    /// (trimesters or semesters, which every bilan then follows) and, when given, how many
    /// months a student who left may still download their portfolio (one of
    /// ``LeaverAccess/monthChoices``).
    public func saveSettings(name: String, scheme: PeriodScheme, leaverMonths: Int? = nil, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        let name = try Self.validName(name)
        if let leaverMonths, !LeaverAccess.monthChoices.contains(leaverMonths) { throw SetupError.leaverMonths(leaverMonths) }
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            try tx.schools.setName(name, schoolID: schoolID)
            try tx.schools.setPeriodScheme(scheme, schoolID: schoolID)
            if let leaverMonths { try tx.schools.setLeaverMonths(leaverMonths, schoolID: schoolID) }
        }
    }

    /// How many months the person's school lets a student who left download their portfolio.
    public func leaverMonths(by person: ActingPerson) async throws -> Int {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.schools.leaverMonths(schoolID: access.schoolID(uai: nil, in: tx)) }
            ?? LeaverAccess.defaultMonths
    }

    private static func validName(_ name: String) throws -> String {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw SetupError.nameRequired }
        return name
    }

    /// The name of the person's school, once given.
    public func name(by person: ActingPerson) async throws -> String? {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.schools.name(schoolID: access.schoolID(uai: nil, in: tx)) }
    }

    /// Names the school, as its letters and pages print it.
    public func rename(_ name: String, uai: String? = nil, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        let name = try Self.validName(name)
        try await app.write { tx in try tx.schools.setName(name, schoolID: access.schoolID(uai: uai, in: tx)) }
    }

    /// The classes and groups of a school year with their number of students.
    public func divisions(uai: String? = nil, year: SchoolYear? = nil,
                          by person: ActingPerson) async throws -> [(code: String, kind: String, students: Int)] {
        let access = app.access(person, year: year ?? app.year), year = year ?? app.year
        try access.require(.admin)
        return try await app.read { tx in
            let uai = try tx.schools.uai(schoolID: access.schoolID(uai: uai, in: tx)) ?? ""
            return try tx.schools.divisions(uai: uai, year: year)
        }
    }

    /// The students of a class or group, in French alphabetical order.
    public func students(inDivision code: String, uai: String? = nil, year: SchoolYear? = nil,
                         by person: ActingPerson) async throws -> [StoredStudent] {
        let access = app.access(person, year: year ?? app.year), today = app.today
        return try await app.read { tx in
            try tx.schools.students(in: access.requireDivision(code, uai: uai, in: tx), asOf: today)
        }
    }

    /// Creates an account (its password already hashed) and gives a teacher their classes.
    /// The school's team creates accounts of its own school only, never an inspector's.
    public func createAccount(_ new: NewAccount, divisions: [String], by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        let year = app.year
        try await app.write { tx in
            var new = new
            if case .account = person {
                guard new.role != .inspector, new.role != .academy else { throw AccessRefusal.role }
                let own = try access.schoolID(uai: nil, in: tx)
                if let uai = new.schoolUAI { _ = try access.requireOwnSchool(uai: uai, in: tx) }
                new.schoolUAI = try tx.schools.uai(schoolID: own)
            }
            try tx.accounts.create(new, at: Date())
            if !divisions.isEmpty { try tx.accounts.assign(login: new.login, divisions: divisions, year: year) }
        }
    }

    /// Every account.
    public func accounts(by person: ActingPerson) async throws -> [Account] {
        try app.access(person).require(.admin)
        return try await app.read { tx in try tx.accounts.accounts() }
    }
}

extension App {
    /// Rosters, classes, accounts.
    public var school: SchoolSetup { SchoolSetup(app: self) }
}
