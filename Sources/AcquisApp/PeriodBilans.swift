import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation

/// A period's bilan, written together: the student's own part first, the team's synthesis
/// and next goals beside the levels, and the family's « Vu ».
public struct PeriodBilan: Sendable {
    public var period: Period
    public var reflection: StudentReflection?
    public var synthesis: StoredSynthesis?
    public var acknowledgements: [FamilyAcknowledgement]
    /// The class's main teacher closed the period: the bilan is final until direction reopens it.
    public var closed: Bool
}

/// Why a bilan cannot be written or acknowledged, in words that say what to do.
public enum PeriodBilanError: Error, Equatable, CustomStringConvertible {
    case tooLong(field: String, maximum: Int)
    case empty
    case nothingToAcknowledge

    public var description: String {
        switch self {
        case let .tooLong(field, maximum): "« \(field) » dépasse \(maximum) caractères"
        case .empty: "écrivez au moins quelques mots"
        case .nothingToAcknowledge: "l’équipe n’a pas encore écrit le bilan de cette période"
        }
    }
}

extension Students {
    /// The most a bilan's text may hold: the LSU takes 1,500 characters for a synthesis.
    public static let bilanMaximum = 1500

    /// A student's bilan of a period, for those who follow them.
    public func bilan(studentID: Int64, period: Period, by person: ActingPerson) async throws -> PeriodBilan {
        let access = app.access(person)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return PeriodBilan(period: period, reflection: try tx.syntheses.reflection(studentID: studentID, period: period),
                               synthesis: try tx.syntheses.synthesis(studentID: studentID, period: period),
                               acknowledgements: try tx.syntheses.acknowledgements(studentID: studentID, period: period),
                               closed: try access.closedClass(studentID: studentID, period: period, in: tx) != nil)
        }
    }

    /// The student writes their own part: only about themselves.
    public func writeReflection(studentID: Int64, period: Period, proud: String, toWork: String, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.student)
        let (proud, toWork) = (proud.trimmingCharacters(in: .whitespacesAndNewlines), toWork.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !proud.isEmpty || !toWork.isEmpty else { throw PeriodBilanError.empty }
        for (field, text) in [("Ce dont je suis fier·e", proud), ("Ce que je veux travailler", toWork)] where text.count > Self.bilanMaximum {
            throw PeriodBilanError.tooLong(field: field, maximum: Self.bilanMaximum)
        }
        try await app.write { tx in
            if case let .account(account) = person, account.studentID != studentID { throw AccessRefusal.student }
            try access.requireOpenPeriod(studentID: studentID, period: period, in: tx)
            try tx.syntheses.saveReflection(StudentReflection(proud: proud, toWork: toWork, writtenAt: Date()), studentID: studentID, period: period)
        }
    }

    /// The team writes the synthesis and the next goals, for a student they follow.
    public func writeSynthesis(studentID: Int64, period: Period, text: String, goals: [String], by person: ActingPerson) async throws {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let goals = goals.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !text.isEmpty else { throw PeriodBilanError.empty }
        guard text.count <= Self.bilanMaximum else { throw PeriodBilanError.tooLong(field: "Synthèse", maximum: Self.bilanMaximum) }
        try await app.write { tx in
            try access.requireStudent(studentID, in: tx)
            try access.requireOpenPeriod(studentID: studentID, period: period, in: tx)
            try tx.syntheses.save(studentID: studentID, period: period, text: text, goals: Array(goals.prefix(10)),
                                  author: person.signature ?? "", on: today)
        }
    }

    /// A family says it read the bilan (« Vu par la famille »), once the team wrote it.
    public func acknowledge(studentID: Int64, period: Period, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.family)
        try await app.write { tx in
            try access.requireStudent(studentID, in: tx)
            guard case let .account(account) = person else { throw AccessRefusal.role }
            guard try tx.syntheses.synthesis(studentID: studentID, period: period) != nil else { throw PeriodBilanError.nothingToAcknowledge }
            try tx.syntheses.acknowledge(studentID: studentID, period: period, accountID: account.id, at: Date())
        }
    }
}

/// Where a class's bilans of a period stand, for its main teacher and the school's team.
public struct ClassBilans: Sendable {
    /// One student's bilan, as far as it is written.
    public struct Row: Sendable {
        public var student: StoredStudent
        public var wroteTheirPart: Bool
        public var synthesis: Bool
        public var seenByFamily: Bool
    }

    public var division: String
    public var period: Period
    public var rows: [Row]
    /// Every closing and reopening, the first first.
    public var history: [PeriodClosing]
    /// The person may close the period: the class's main teacher, or the school's team.
    public var canClose: Bool
    /// The person may reopen it: the school's team only.
    public var canReopen: Bool

    public var isClosed: Bool { history.last?.closed ?? false }
}

extension PeriodBilanError {
    /// Why a period cannot be closed or reopened, or a bilan of a closed one written.
    public enum Closing: Error, Equatable, CustomStringConvertible {
        case closed(division: String)
        case alreadyClosed
        case notClosed
        case reasonRequired
        case notMainTeacher

        public var description: String {
            switch self {
            case let .closed(division): "la période est close pour la classe \(division) : demandez à la direction de la rouvrir pour modifier ce bilan"
            case .alreadyClosed: "cette période est déjà close pour cette classe"
            case .notClosed: "cette période n’est pas close pour cette classe"
            case .reasonRequired: "indiquez pourquoi la période est rouverte : la raison est gardée"
            case .notMainTeacher: "seul le professeur principal de la classe (ou la direction) clôt la période"
            }
        }
    }
}

extension Classes {
    /// The bilans of a class for a period: who wrote their part, which synthesis is written,
    /// which family said « Vu »; and whether the period is closed.
    public func bilans(_ code: String, period: Period, by person: ActingPerson) async throws -> ClassBilans {
        let taught = try await division(code, by: person)
        let (today, year) = (app.today, app.year)
        let access = app.access(person, year: year)
        return try await app.read { tx in
            let rows = try tx.schools.students(in: taught.ref, asOf: today).map { stored in
                ClassBilans.Row(student: stored,
                                wroteTheirPart: try tx.syntheses.reflection(studentID: stored.id, period: period) != nil,
                                synthesis: try tx.syntheses.synthesis(studentID: stored.id, period: period) != nil,
                                seenByFamily: !(try tx.syntheses.acknowledgements(studentID: stored.id, period: period)).isEmpty)
            }
            return ClassBilans(division: code, period: period, rows: rows,
                               history: try tx.syntheses.closings(divisionID: taught.ref.id, period: period.code),
                               canClose: try access.leads(taught.ref, in: tx), canReopen: access.isSchoolTeam)
        }
    }

    /// The main teacher (or the school's team) closes a class's period: its bilans are then
    /// final, and can no longer be changed until direction reopens it.
    public func closePeriod(_ code: String, period: Period, by person: ActingPerson) async throws {
        let taught = try await division(code, by: person)
        let access = app.access(person)
        try await app.write { tx in
            guard try access.leads(taught.ref, in: tx) else { throw PeriodBilanError.Closing.notMainTeacher }
            guard try tx.syntheses.closings(divisionID: taught.ref.id, period: period.code).last?.closed != true else {
                throw PeriodBilanError.Closing.alreadyClosed
            }
            try tx.syntheses.recordClosing(PeriodClosing(closed: true, actor: person.readableName, at: Date()),
                                           divisionID: taught.ref.id, period: period.code)
        }
    }

    /// Direction reopens a closed period, saying why; the closing and the reopening stay in the trace.
    public func reopenPeriod(_ code: String, period: Period, reason: String, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw PeriodBilanError.Closing.reasonRequired }
        guard reason.count <= 500 else { throw PeriodBilanError.tooLong(field: "Raison", maximum: 500) }
        let taught = try await division(code, by: person)
        try await app.write { tx in
            guard try tx.syntheses.closings(divisionID: taught.ref.id, period: period.code).last?.closed == true else {
                throw PeriodBilanError.Closing.notClosed
            }
            try tx.syntheses.recordClosing(PeriodClosing(closed: false, actor: person.readableName, reason: reason, at: Date()),
                                           divisionID: taught.ref.id, period: period.code)
        }
    }
}

extension ActingPerson {
    /// How a trace names who acted: the account's name, or the console's operator.
    var readableName: String {
        switch self {
        case let .account(account): account.displayName
        case let .console(name): name ?? "console"
        }
    }
}

extension Access {
    /// The school's team (or the console): they act for every class.
    var isSchoolTeam: Bool {
        guard case let .account(account) = person else { return true }
        return account.role == .admin
    }

    /// Whether the person may close a class's period: its main teacher, or the school's team.
    func leads(_ division: DivisionRef, in tx: any StorageTransaction) throws -> Bool {
        guard case let .account(account) = person else { return true }
        switch account.role {
        case .admin: return account.schoolID == division.schoolID
        case .teacher: return try account.teacherID.map { try tx.staff.leads(teacherID: $0, year: division.year).contains(division.code) } ?? false
        case .student, .family, .inspector, .academy: return false
        }
    }

    /// The class whose period closing holds a student's bilan, when that period is closed.
    func closedClass(studentID: Int64, period: Period, in tx: any StorageTransaction) throws -> String? {
        // A student without a class that year has no class period to close.
        guard let code = try tx.schools.student(studentID: studentID, year: period.schoolYear).student.division,
              let schoolID = try tx.schools.schoolID(studentID: studentID)
        else { return nil }
        let division = try tx.schools.division(code: code, schoolID: schoolID, year: period.schoolYear)
        return try tx.syntheses.closings(divisionID: division.id, period: period.code).last?.closed == true ? code : nil
    }

    /// Refuses a change to a student's bilan once their class's period is closed.
    func requireOpenPeriod(studentID: Int64, period: Period, in tx: any StorageTransaction) throws {
        if let code = try closedClass(studentID: studentID, period: period, in: tx) { throw PeriodBilanError.Closing.closed(division: code) }
    }
}
