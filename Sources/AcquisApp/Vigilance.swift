import AcquisCore
import AcquisReports
import AcquisStorage
import AcquisVigilance
import Foundation

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
        try app.access(person).require(.teacher, .admin)
        guard case let .account(account) = person, let schoolID = account.schoolID else { return ([], []) }
        let (year, today) = (app.year, app.today)
        return try await app.write { tx in
            let classes = try app.access(person, year: year).divisions(in: tx).map { taught in
                let division = try tx.schools.division(code: taught.code, schoolID: schoolID, year: year)
                return (code: taught.code, entries: try tx.vigilance.list(for: division, asOf: today))
            }
            let tutees = try account.teacherID.map {
                try tx.vigilance.list(forTutor: $0, schoolID: schoolID, year: year, asOf: today)
            } ?? []
            // What the pages show: the flagged students of each class, every tutee.
            let shown = classes.flatMap(\.entries).filter(\.isFlagged).map(\.student.id) + tutees.map(\.student.id)
            try Self.log(person, .signals, Array(Set(shown)), division: nil, tx)
            return (classes, tutees)
        }
    }

    /// How many students are to follow in each class the person teaches (every class for the
    /// team) and among their tutees, without a name: what a home page shows. Nothing is read
    /// about any one student, so nothing is logged; the lists are one click further.
    public func counts(by person: ActingPerson) async throws -> VigilanceCounts {
        try app.access(person).require(.teacher, .admin)
        guard case let .account(account) = person, let schoolID = account.schoolID else { return VigilanceCounts() }
        let (year, today) = (app.year, app.today)
        return try await app.read { tx in
            var counts = VigilanceCounts(), flagged = Set<Int64>()
            for taught in try app.access(person, year: year).divisions(in: tx) {
                let division = try tx.schools.division(code: taught.code, schoolID: schoolID, year: year)
                let ids = try tx.vigilance.list(for: division, asOf: today).filter(\.isFlagged).map(\.student.id)
                counts.classes.append((taught.code, ids.count))
                flagged.formUnion(ids)
            }
            let tutees = try account.teacherID.map {
                try tx.vigilance.list(forTutor: $0, schoolID: schoolID, year: year, asOf: today)
            }?.filter(\.isFlagged).map(\.student.id) ?? []
            counts.tutees = tutees.count
            counts.total = flagged.union(tutees).count
            return counts
        }
    }

    /// The list of one class or group: every student with their signals. Logged as read: the
    /// flagged students, or all of them when `everyone` is shown.
    public func list(ofClass code: String, uai: String? = nil, everyone: Bool = false,
                     by person: ActingPerson) async throws -> [VigilanceEntry] {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.write { tx in
            let division = try access.requireDivision(code, uai: uai, in: tx)
            let entries = try tx.vigilance.list(for: division, asOf: today)
            try Self.log(person, .signals, entries.filter { everyone || $0.isFlagged }.map(\.student.id), division: code, tx)
            return entries
        }
    }

    /// Every class of the school; logged as read when the students are shown (`detailed`).
    public func schoolLists(uai: String? = nil, detailed: Bool,
                            by person: ActingPerson) async throws -> [(division: String, entries: [VigilanceEntry])] {
        let access = app.access(person), (year, today) = (app.year, app.today)
        try access.require(.admin)
        return try await app.write { tx in
            let lists = try tx.vigilance.lists(schoolID: access.schoolID(uai: uai, in: tx), year: year, asOf: today)
            if detailed { try Self.log(person, .signals, lists.flatMap(\.entries).filter(\.isFlagged).map(\.student.id), division: nil, tx) }
            return lists
        }
    }

    /// The students a teacher-tutor accompanies, with their signals; logged as read.
    public func tutees(of login: String, by person: ActingPerson) async throws -> [VigilanceEntry] {
        let access = app.access(person), (year, today) = (app.year, app.today)
        try access.require(.admin)
        return try await app.write { tx in
            guard let teacher = try tx.accounts.teacher(login: login) else { throw ThresholdError.unknownTeacher(login) }
            let entries = try tx.vigilance.list(forTutor: teacher.id, schoolID: teacher.schoolId, year: year, asOf: today)
            try Self.log(person, .signals, entries.map(\.student.id), division: nil, tx)
            return entries
        }
    }

    /// A student's signals, tutoring and follow-ups; logged as read.
    public func student(_ student: StudentReference, by person: ActingPerson) async throws -> StudentVigilance {
        let access = app.access(person), (year, today) = (app.year, app.today)
        try access.require(.teacher, .admin)
        return try await app.write { tx in
            let stored = try tx.schools.student(student, year: nil), studentID = stored.id
            try access.requireStudent(studentID, in: tx)
            let followUps = try tx.followUps.followUps(studentID: studentID, asOf: today)
            let outcomes = try tx.followUps.outcomes(studentID: studentID, since: followUps.map(\.decidedOn), asOf: today)
            let schoolID = try tx.schools.schoolID(studentID: studentID) ?? 0
            let record = StudentVigilance(
                student: stored, signals: try tx.vigilance.signals(studentID: studentID, year: year, asOf: today),
                tutoring: try tx.tutoring.tutoring(of: studentID, year: year),
                followUps: Array(zip(followUps, outcomes)), teachers: try tx.accounts.teachers(schoolID: schoolID))
            try Self.log(person, .signals, [studentID], division: nil, tx)
            try Self.log(person, .followUps, [studentID], division: nil, tx)
            return record
        }
    }

    /// Records what the team decided for a student, on the day it was decided.
    @discardableResult
    public func recordFollowUp(_ student: StudentReference, action: String, decidedOn day: CalendarDate?, note: String?,
                               by person: ActingPerson) async throws -> FollowUp {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        return try await app.write { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            return try tx.followUps.record(studentID: studentID, action: action, decidedOn: day ?? today, note: note,
                                           author: person.signature ?? "", today: today, at: Date())
        }
    }

    /// Gives a student a teacher-tutor (by login) and a peer sponsor, for a school year, from
    /// a day (today by default).
    public func assignTutoring(_ student: StudentReference, tutorLogin: String?, sponsor: StudentReference?,
                               since: CalendarDate? = nil, year: SchoolYear? = nil, by person: ActingPerson) async throws {
        let year = year ?? app.year, day = since ?? app.today
        let access = app.access(person, year: year)
        try access.require(.teacher, .admin)
        try await app.write { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            if let login = tutorLogin {
                try tx.tutoring.assignTutor(studentID: studentID, teacherLogin: login, year: year, since: day)
            }
            if let sponsor {
                let sponsorID = try tx.schools.student(sponsor, year: nil).id
                try tx.tutoring.assignSponsor(studentID: studentID, sponsorID: sponsorID, year: year, since: day)
            }
        }
    }

    /// A student's teacher-tutor and peer sponsor for a school year.
    public func tutoring(of student: StudentReference, year: SchoolYear? = nil, by person: ActingPerson) async throws -> Tutoring {
        let year = year ?? app.year
        let access = app.access(person, year: year)
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            return try tx.tutoring.tutoring(of: studentID, year: year)
        }
    }

    /// The need groups of a class: a suggestion for `competencies` (none when empty), and the
    /// groups saved; logged as read.
    public func needGroups(_ code: String, uai: String? = nil, referential: String?, competencies: [String], period: Period,
                           by person: ActingPerson) async throws -> NeedGroupsPage {
        let division = try await app.classes.division(code, uai: uai, by: person).ref
        let today = app.today
        return try await app.write { tx in
            let choices = try ReferentialOffer.load(division, students: tx.schools.studentIDs(divisionID: division.id, asOf: today),
                                                    asked: referential, in: tx).choices
            let target = try tx.referentials.target(code: referential ?? choices.first?.code ?? "", version: nil,
                                                       divisionID: division.id)
            let suggestion = competencies.isEmpty ? nil
                : try tx.needGroups.suggest(division: division, target: target, competencies: competencies, period: period,
                                               asOf: today)
            let saved = try tx.needGroups.sets(division: division).map { set in
                (set: set, outcomes: try tx.needGroups.outcomes(of: set, asOf: today))
            }
            let shown = (suggestion?.members ?? []) + saved.flatMap(\.set.members)
            try Self.log(person, .needGroups, Array(Set(shown.map(\.student.id))), division: code, tx)
            return NeedGroupsPage(choices: choices, target: target, suggestion: suggestion, saved: saved)
        }
    }

    /// Saves the groups of a period as the teacher edited them (`groups`: a group name by
    /// student id), beside what was suggested.
    public func saveNeedGroups(_ code: String, uai: String? = nil, referential: String, competencies: [String], period: Period,
                               groups: [Int64: String], by person: ActingPerson) async throws {
        let division = try await app.classes.division(code, uai: uai, by: person).ref
        let today = app.today
        try await app.write { tx in
            let target = try tx.referentials.target(code: referential, version: nil, divisionID: division.id)
            var set = try tx.needGroups.suggest(division: division, target: target, competencies: competencies,
                                                   period: period, asOf: today)
            for index in set.members.indices {
                guard let choice = groups[set.members[index].student.id] else { continue }
                set.members[index].group = NeedGroup(name: choice)
            }
            try tx.needGroups.save(set, division: division, by: person.signature ?? "", at: Date())
        }
    }

    /// A saved set of need groups of a class, with the titles of its competencies; logged as read.
    public func needGroupSet(_ id: Int64, of code: String, by person: ActingPerson) async throws -> (set: NeedGroupSet, titles: [String: String]) {
        _ = try await app.classes.division(code, by: person)
        let year = app.year
        return try await app.write { tx in
            let set = try tx.needGroups.set(id: id, year: year)
            guard set.division == code else { throw AccessRefusal.division }
            try Self.log(person, .needGroups, set.members.map(\.student.id), division: code, tx)
            return (set, try tx.referentials.target(id: set.referentialID).competencyTitles)
        }
    }

    /// The school's thresholds and holiday zone.
    public func thresholds(uai: String? = nil, by person: ActingPerson) async throws -> (thresholds: VigilanceThresholds, zone: HolidayCalendar.Zone?) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            return (try tx.vigilance.thresholds(schoolID: schoolID), try tx.vigilance.holidayZone(schoolID: schoolID))
        }
    }

    /// Changes thresholds (typed values by setting key) and the holiday zone ("" for none),
    /// all or nothing.
    public func saveThresholds(_ typed: [String: String], zone: String?, uai: String? = nil, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            let settings = VigilanceThresholds.default.settings
            for key in typed.keys.sorted() where !settings.contains(where: { $0.key == key }) { throw ThresholdError.unknownSetting(key) }
            for setting in settings {
                guard let text = typed[setting.key] else { continue }
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ThresholdError.notANumber(label: setting.label, text: text)
                }
                try tx.vigilance.setThreshold(setting.key, to: value, schoolID: schoolID)
            }
            if let zone {
                guard zone.isEmpty || HolidayCalendar.Zone(rawValue: zone) != nil else { throw ThresholdError.unknownZone(zone) }
                try tx.vigilance.setHolidayZone(HolidayCalendar.Zone(rawValue: zone), schoolID: schoolID)
            }
        }
    }

    private static func log(_ person: ActingPerson, _ subject: SensitiveSubject, _ studentIDs: [Int64],
                            division: String?, _ tx: any StorageTransaction) throws {
        guard !studentIDs.isEmpty else { return }
        try tx.viewLog.record(viewer: person.signature ?? "console", subject: subject, studentIDs: studentIDs,
                              division: division, at: Date())
    }
}

extension App {
    /// Early warning: lists, follow-ups, tutoring, need groups, thresholds.
    public var vigilance: Vigilance { Vigilance(app: self) }
}

/// Students to follow, counted: per class (in the order the person's classes are listed) and
/// among the person's tutees; `total` counts each student once.
public struct VigilanceCounts: Sendable {
    public var classes: [(code: String, flagged: Int)] = []
    public var tutees = 0
    public var total = 0
}
