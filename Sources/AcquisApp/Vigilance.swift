import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisStore
import AcquisVigilance
import Foundation
import GRDB

/// A student's early-warning record, as their teachers and the school's team read it.
public struct StudentVigilance: Sendable {
    public var student: StoredStudent
    public var signals: [Signal]
    public var tutoring: Tutoring
    /// Each follow-up with what happened since it was decided.
    public var followUps: [(followUp: FollowUp, outcome: Outcome)]
    /// The school's teachers, among whom a tutor is chosen.
    public var teachers: [Teacher]
}

/// The need groups page of a class: the referentials to choose from, the suggestion for the
/// competencies chosen, and the groups saved with what happened since.
public struct NeedGroupsPage: Sendable {
    public var choices: [ReferentialSummary]
    public var target: ReferentialTarget
    public var suggestion: NeedGroupSet?
    public var saved: [(set: NeedGroupSet, outcomes: [NeedGroup: Outcome])]
}

/// A threshold or zone refused, with what was typed.
public enum ThresholdError: Error, Equatable, Sendable, CustomStringConvertible {
    case notANumber(label: String, text: String)
    case unknownSetting(String)
    case unknownZone(String)
    /// A teacher-tutor named by a login that is no teacher's.
    case unknownTeacher(String)

    public var description: String {
        switch self {
        case let .notANumber(label, text): "\(label) : « \(text) » n’est pas un nombre entier"
        case let .unknownSetting(key):
            "seuil inconnu « \(key) » ; seuils : \(VigilanceThresholds.default.settings.map(\.key).joined(separator: ", "))"
        case let .unknownZone(zone): "zone de vacances inconnue : « \(zone) » (A, B ou C)"
        case let .unknownTeacher(login): "aucun enseignant « \(login) »"
        }
    }
}

/// Early warning: students to follow and why, follow-ups and their outcome, tutoring, need
/// groups, thresholds. Students and families never read it; every read of a student's
/// signals, follow-ups or groups is logged here, whatever front end asked.
public struct Vigilance: Sendable {
    let app: App

    /// The lists a person reads: each class they teach (every class for the team), then the
    /// students they tutor.
    public func lists(by person: ActingPerson) async throws -> (classes: [(code: String, entries: [VigilanceEntry])], tutees: [VigilanceEntry]) {
        try Access(person: person, year: app.year).require(.teacher, .admin)
        guard case let .account(account) = person, let schoolID = account.schoolID else { return ([], []) }
        let (year, today) = (app.year, app.today)
        return try await app.write { db in
            let classes = try Access(person: person, year: year).divisions(in: db).map { taught in
                let division = try SchoolStore().division(code: taught.code, schoolID: schoolID, year: year, in: db)
                return (code: taught.code, entries: try VigilanceStore().list(for: division, asOf: today, in: db))
            }
            let tutees = try account.teacherID.map {
                try VigilanceStore().list(forTutor: $0, schoolID: schoolID, year: year, asOf: today, in: db)
            } ?? []
            // What the pages show: the flagged students of each class, every tutee.
            let shown = classes.flatMap(\.entries).filter(\.isFlagged).map(\.student.id) + tutees.map(\.student.id)
            try Self.log(person, .signals, Array(Set(shown)), division: nil, db)
            return (classes, tutees)
        }
    }

    /// The list of one class or group: every student with their signals. Logged as read: the
    /// flagged students, or all of them when `everyone` is shown.
    public func list(ofClass code: String, uai: String? = nil, everyone: Bool = false,
                     by person: ActingPerson) async throws -> [VigilanceEntry] {
        let access = Access(person: person, year: app.year), today = app.today
        try access.require(.teacher, .admin)
        return try await app.write { db in
            let division = try access.requireDivision(code, uai: uai, in: db)
            let entries = try VigilanceStore().list(for: division, asOf: today, in: db)
            try Self.log(person, .signals, entries.filter { everyone || $0.isFlagged }.map(\.student.id), division: code, db)
            return entries
        }
    }

    /// Every class of the school; logged as read when the students are shown (`detailed`).
    public func schoolLists(uai: String? = nil, detailed: Bool,
                            by person: ActingPerson) async throws -> [(division: String, entries: [VigilanceEntry])] {
        let access = Access(person: person, year: app.year), (year, today) = (app.year, app.today)
        try access.require(.admin)
        return try await app.write { db in
            let lists = try VigilanceStore().lists(schoolID: access.schoolID(uai: uai, in: db), year: year, asOf: today, in: db)
            if detailed { try Self.log(person, .signals, lists.flatMap(\.entries).filter(\.isFlagged).map(\.student.id), division: nil, db) }
            return lists
        }
    }

    /// The students a teacher-tutor accompanies, with their signals; logged as read.
    public func tutees(of login: String, by person: ActingPerson) async throws -> [VigilanceEntry] {
        let access = Access(person: person, year: app.year), (year, today) = (app.year, app.today)
        try access.require(.admin)
        return try await app.write { db in
            guard let teacher = try AccountStore().teacher(login: login, in: db) else { throw ThresholdError.unknownTeacher(login) }
            let entries = try VigilanceStore().list(forTutor: teacher.id, schoolID: teacher.schoolId, year: year, asOf: today, in: db)
            try Self.log(person, .signals, entries.map(\.student.id), division: nil, db)
            return entries
        }
    }

    /// A student's signals, tutoring and follow-ups; logged as read.
    public func student(_ student: StudentReference, by person: ActingPerson) async throws -> StudentVigilance {
        let access = Access(person: person, year: app.year), (year, today) = (app.year, app.today)
        try access.require(.teacher, .admin)
        return try await app.write { db in
            let stored = try SchoolStore().student(student, in: db), studentID = stored.id
            try access.requireStudent(studentID, in: db)
            let followUps = try FollowUpStore().followUps(studentID: studentID, asOf: today, in: db)
            let outcomes = try FollowUpStore().outcomes(studentID: studentID, since: followUps.map(\.decidedOn), asOf: today, in: db)
            let schoolID = try SchoolStore().schoolID(studentID: studentID, in: db) ?? 0
            let record = StudentVigilance(
                student: stored, signals: try VigilanceStore().signals(studentID: studentID, year: year, asOf: today, in: db),
                tutoring: try TutoringStore().tutoring(of: studentID, year: year, in: db),
                followUps: Array(zip(followUps, outcomes)), teachers: try AccountStore().teachers(schoolID: schoolID, in: db))
            try Self.log(person, .signals, [studentID], division: nil, db)
            try Self.log(person, .followUps, [studentID], division: nil, db)
            return record
        }
    }

    /// Records what the team decided for a student, on the day it was decided.
    @discardableResult
    public func recordFollowUp(_ student: StudentReference, action: String, decidedOn day: CalendarDate?, note: String?,
                               by person: ActingPerson) async throws -> FollowUp {
        let access = Access(person: person, year: app.year), today = app.today
        try access.require(.teacher, .admin)
        return try await app.write { db in
            let studentID = try SchoolStore().student(student, in: db).id
            try access.requireStudent(studentID, in: db)
            return try FollowUpStore().record(studentID: studentID, action: action, decidedOn: day ?? today, note: note,
                                              author: person.signature ?? "", today: today, in: db)
        }
    }

    /// Gives a student a teacher-tutor (by login) and a peer sponsor, for a school year, from
    /// a day (today by default).
    public func assignTutoring(_ student: StudentReference, tutorLogin: String?, sponsor: StudentReference?,
                               since: CalendarDate? = nil, year: SchoolYear? = nil, by person: ActingPerson) async throws {
        let year = year ?? app.year, day = since ?? app.today
        let access = Access(person: person, year: year)
        try access.require(.teacher, .admin)
        try await app.write { db in
            let studentID = try SchoolStore().student(student, in: db).id
            try access.requireStudent(studentID, in: db)
            if let login = tutorLogin {
                try TutoringStore().assignTutor(studentID: studentID, teacherLogin: login, year: year, since: day, in: db)
            }
            if let sponsor {
                let sponsorID = try SchoolStore().student(sponsor, in: db).id
                try TutoringStore().assignSponsor(studentID: studentID, sponsorID: sponsorID, year: year, since: day, in: db)
            }
        }
    }

    /// A student's teacher-tutor and peer sponsor for a school year.
    public func tutoring(of student: StudentReference, year: SchoolYear? = nil, by person: ActingPerson) async throws -> Tutoring {
        let year = year ?? app.year
        let access = Access(person: person, year: year)
        try access.require(.teacher, .admin)
        return try await app.read { db in
            let studentID = try SchoolStore().student(student, in: db).id
            try access.requireStudent(studentID, in: db)
            return try TutoringStore().tutoring(of: studentID, year: year, in: db)
        }
    }

    /// The need groups of a class: a suggestion for `competencies` (none when empty), and the
    /// groups saved; logged as read.
    public func needGroups(_ code: String, uai: String? = nil, referential: String?, competencies: [String], period: Period,
                           by person: ActingPerson) async throws -> NeedGroupsPage {
        let division = try await app.classes.division(code, uai: uai, by: person).ref
        let today = app.today
        return try await app.write { db in
            let choices = try ClassGrid.referentials(of: SchoolStore().studentIDs(divisionID: division.id, in: db), in: db)
            let target = try ReferentialStore().target(code: referential ?? choices.first?.code ?? "", version: nil,
                                                       divisionID: division.id, in: db)
            let suggestion = competencies.isEmpty ? nil
                : try NeedGroupStore().suggest(division: division, target: target, competencies: competencies, period: period,
                                               asOf: today, in: db)
            let saved = try NeedGroupStore().sets(division: division, in: db).map { set in
                (set: set, outcomes: try NeedGroupStore().outcomes(of: set, asOf: today, in: db))
            }
            let shown = (suggestion?.members ?? []) + saved.flatMap(\.set.members)
            try Self.log(person, .needGroups, Array(Set(shown.map(\.student.id))), division: code, db)
            return NeedGroupsPage(choices: choices, target: target, suggestion: suggestion, saved: saved)
        }
    }

    /// Saves the groups of a period as the teacher edited them (`groups`: a group name by
    /// student id), beside what was suggested.
    public func saveNeedGroups(_ code: String, uai: String? = nil, referential: String, competencies: [String], period: Period,
                               groups: [Int64: String], by person: ActingPerson) async throws {
        let division = try await app.classes.division(code, uai: uai, by: person).ref
        let today = app.today
        try await app.write { db in
            let target = try ReferentialStore().target(code: referential, version: nil, divisionID: division.id, in: db)
            var set = try NeedGroupStore().suggest(division: division, target: target, competencies: competencies,
                                                   period: period, asOf: today, in: db)
            for index in set.members.indices {
                guard let choice = groups[set.members[index].student.id] else { continue }
                set.members[index].group = NeedGroup(name: choice)
            }
            try NeedGroupStore().save(set, division: division, by: person.signature ?? "", in: db)
        }
    }

    /// A saved set of need groups of a class, with the titles of its competencies; logged as read.
    public func needGroupSet(_ id: Int64, of code: String, by person: ActingPerson) async throws -> (set: NeedGroupSet, titles: [String: String]) {
        _ = try await app.classes.division(code, by: person)
        let year = app.year
        return try await app.write { db in
            let set = try NeedGroupStore().set(id: id, year: year, in: db)
            guard set.division == code else { throw AccessRefusal.division }
            try Self.log(person, .needGroups, set.members.map(\.student.id), division: code, db)
            return (set, try ReferentialStore().target(id: set.referentialID, in: db).competencyTitles)
        }
    }

    /// The school's thresholds and holiday zone.
    public func thresholds(uai: String? = nil, by person: ActingPerson) async throws -> (thresholds: VigilanceThresholds, zone: HolidayCalendar.Zone?) {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { db in
            let schoolID = try access.schoolID(uai: uai, in: db)
            return (try VigilanceStore().thresholds(schoolID: schoolID, in: db), try VigilanceStore().holidayZone(schoolID: schoolID, in: db))
        }
    }

    /// Changes thresholds (typed values by setting key) and the holiday zone ("" for none),
    /// all or nothing.
    public func saveThresholds(_ typed: [String: String], zone: String?, uai: String? = nil, by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        try await app.write { db in
            let schoolID = try access.schoolID(uai: uai, in: db)
            let settings = VigilanceThresholds.default.settings
            for key in typed.keys.sorted() where !settings.contains(where: { $0.key == key }) { throw ThresholdError.unknownSetting(key) }
            for setting in settings {
                guard let text = typed[setting.key] else { continue }
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ThresholdError.notANumber(label: setting.label, text: text)
                }
                try VigilanceStore().setThreshold(setting.key, to: value, schoolID: schoolID, in: db)
            }
            if let zone {
                guard zone.isEmpty || HolidayCalendar.Zone(rawValue: zone) != nil else { throw ThresholdError.unknownZone(zone) }
                try VigilanceStore().setHolidayZone(HolidayCalendar.Zone(rawValue: zone), schoolID: schoolID, in: db)
            }
        }
    }

    private static func log(_ person: ActingPerson, _ subject: SensitiveViewLog.Subject, _ studentIDs: [Int64],
                            division: String?, _ db: Database) throws {
        guard !studentIDs.isEmpty else { return }
        try SensitiveViewLog().record(viewer: person.signature ?? "console", subject: subject, studentIDs: studentIDs,
                                      division: division, in: db)
    }
}

extension App {
    /// Early warning: lists, follow-ups, tutoring, need groups, thresholds.
    public var vigilance: Vigilance { Vigilance(app: self) }
}
