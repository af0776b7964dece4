import AcquisCore
import AcquisStorage
import AcquisStore
import Foundation
import GRDB

/// The school's people and structures: rosters, classes and groups, accounts. The school's
/// team (and the console) manages them.
public struct SchoolSetup: Sendable {
    let app: App

    /// Imports a roster (SIECLE or CSV) for a school year: students are added or updated,
    /// never duplicated; those missing from the file are kept.
    public func importRoster(_ roster: StudentRoster, uai: String, year: SchoolYear, by person: ActingPerson) async throws -> RosterImport {
        try Access(person: person, year: year).require(.admin)
        return try await app.write { try SchoolStore().importRoster(roster, uai: uai, year: year, in: $0) }
    }

    /// The classes and groups of a school year with their number of students.
    public func divisions(uai: String? = nil, year: SchoolYear? = nil,
                          by person: ActingPerson) async throws -> [(code: String, kind: String, students: Int)] {
        let access = Access(person: person, year: year ?? app.year), year = year ?? app.year
        try access.require(.admin)
        return try await app.read { db in
            let uai = try SchoolStore().uai(schoolID: access.schoolID(uai: uai, in: db), in: db) ?? ""
            return try SchoolStore().divisions(uai: uai, year: year, in: db)
        }
    }

    /// The students of a class or group, in French alphabetical order.
    public func students(inDivision code: String, uai: String? = nil, year: SchoolYear? = nil,
                         by person: ActingPerson) async throws -> [StoredStudent] {
        let access = Access(person: person, year: year ?? app.year), today = app.today
        return try await app.read { db in
            try SchoolStore().students(in: access.requireDivision(code, uai: uai, in: db), asOf: today, in: db)
        }
    }

    /// Creates an account (its password already hashed) and gives a teacher their classes.
    public func createAccount(_ new: NewAccount, divisions: [String], by person: ActingPerson) async throws {
        try Access(person: person, year: app.year).require(.admin)
        let year = app.year
        try await app.write { db in
            try AccountStore().create(new, in: db)
            if !divisions.isEmpty { try AccountStore().assign(login: new.login, divisions: divisions, year: year, in: db) }
        }
    }

    /// Every account.
    public func accounts(by person: ActingPerson) async throws -> [Account] {
        try Access(person: person, year: app.year).require(.admin)
        return try await app.read { try AccountStore().accounts(in: $0) }
    }
}

extension App {
    /// Rosters, classes, accounts.
    public var school: SchoolSetup { SchoolSetup(app: self) }
}
