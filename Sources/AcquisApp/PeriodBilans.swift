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
        let access = Access(person: person, year: app.year)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return PeriodBilan(period: period, reflection: try tx.syntheses.reflection(studentID: studentID, period: period),
                               synthesis: try tx.syntheses.synthesis(studentID: studentID, period: period),
                               acknowledgements: try tx.syntheses.acknowledgements(studentID: studentID, period: period))
        }
    }

    /// The student writes their own part: only about themselves.
    public func writeReflection(studentID: Int64, period: Period, proud: String, toWork: String, by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
        try access.require(.student)
        let (proud, toWork) = (proud.trimmingCharacters(in: .whitespacesAndNewlines), toWork.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !proud.isEmpty || !toWork.isEmpty else { throw PeriodBilanError.empty }
        for (field, text) in [("Ce dont je suis fier·e", proud), ("Ce que je veux travailler", toWork)] where text.count > Self.bilanMaximum {
            throw PeriodBilanError.tooLong(field: field, maximum: Self.bilanMaximum)
        }
        try await app.write { tx in
            if case let .account(account) = person, account.studentID != studentID { throw AccessRefusal.student }
            try tx.syntheses.saveReflection(StudentReflection(proud: proud, toWork: toWork, writtenAt: Date()), studentID: studentID, period: period)
        }
    }

    /// The team writes the synthesis and the next goals, for a student they follow.
    public func writeSynthesis(studentID: Int64, period: Period, text: String, goals: [String], by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year), today = app.today
        try access.require(.teacher, .admin)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let goals = goals.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !text.isEmpty else { throw PeriodBilanError.empty }
        guard text.count <= Self.bilanMaximum else { throw PeriodBilanError.tooLong(field: "Synthèse", maximum: Self.bilanMaximum) }
        try await app.write { tx in
            try access.requireStudent(studentID, in: tx)
            try tx.syntheses.save(studentID: studentID, period: period, text: text, goals: Array(goals.prefix(10)),
                                  author: person.signature ?? "", on: today)
        }
    }

    /// A family says it read the bilan (« Vu par la famille »), once the team wrote it.
    public func acknowledge(studentID: Int64, period: Period, by person: ActingPerson) async throws {
        let access = Access(person: person, year: app.year)
        try access.require(.family)
        try await app.write { tx in
            try access.requireStudent(studentID, in: tx)
            guard case let .account(account) = person else { throw AccessRefusal.role }
            guard try tx.syntheses.synthesis(studentID: studentID, period: period) != nil else { throw PeriodBilanError.nothingToAcknowledge }
            try tx.syntheses.acknowledge(studentID: studentID, period: period, accountID: account.id, at: Date())
        }
    }
}
