import AcquisBadges
import AcquisCore
import AcquisOpenBadges
import AcquisPublishing
import AcquisReports
import AcquisStorage
import Foundation

/// What exports print: class reports, official positions (LSU, LSL), progress files one
/// student after another. The school's team exports; the formats are the front end's.
public struct Exports: Sendable {
    let app: App

    /// A class on one referential for a period (the version the class works with unless one
    /// is named): columns are the given competencies, or the referential's.
    public func classReport(_ code: String, referential: String, version: String? = nil, period: Period, columns: [String]? = nil,
                            quietDays: Int = 30, uai: String? = nil, by person: ActingPerson) async throws -> ClassReport {
        let access = app.access(person, year: period.schoolYear), today = app.today
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let division = try access.requireDivision(code, uai: uai, in: tx)
            var context = ReportContext(today: today)
            let target = try tx.referentials.target(code: referential, version: version, divisionID: division.id)
            let uai = try tx.schools.uai(schoolID: division.schoolID) ?? ""
            return try tx.reports.classReport(division: code, uai: uai, target: target, period: period, columns: columns,
                                              quietDays: quietDays, context: &context)
        }
    }

    /// The LSU « bilan de cycle » of classes, on the socle's newest version.
    public func cycleAssessment(divisions: [String], cycle: Int, headOfSchool: String, referential: String, uai: String? = nil,
                                year: SchoolYear, by person: ActingPerson) async throws -> CycleAssessment {
        let access = app.access(person, year: year), today = app.today
        try access.require(.admin)
        return try await app.read { tx in
            var context = ReportContext(today: today)
            let uai = try tx.schools.uai(schoolID: access.schoolID(uai: uai, in: tx)) ?? ""
            return try tx.reports.cycleAssessment(divisions: divisions, uai: uai, year: year, cycle: cycle, headOfSchool: headOfSchool,
                                                  target: tx.referentials.target(code: referential, version: nil), context: &context)
        }
    }

    /// LSL Pro degrees of mastery of classes for a period.
    public func lslPositions(divisions: [String], referential: String, version: String? = nil, period: Period, uai: String? = nil,
                             by person: ActingPerson) async throws -> [LSLPosition] {
        let access = app.access(person, year: period.schoolYear), today = app.today
        try access.require(.admin)
        return try await app.read { tx in
            var context = ReportContext(today: today)
            let schoolID = try access.schoolID(uai: uai, in: tx)
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            var positions = try tx.reports.lslPositions(divisions: divisions, uai: uai, period: period,
                                                        target: tx.referentials.target(code: referential, version: version), context: &context)
            // The livret carries the tutors' word on the PFMP of the period, in this referential.
            let appreciations = try tx.pfmp.appreciations(schoolID: schoolID, referentialCode: referential, from: period.start, to: period.end)
            for index in positions.indices {
                guard let ine = positions[index].ine, let words = appreciations[ine] else { continue }
                positions[index].pfmpAppreciation = words.joined(separator: " / ")
            }
            return positions
        }
    }

    /// The students of a class, or of every class of the school, with their class: whom a
    /// batch of progress files is for. A teacher names one of their classes; the whole school
    /// is the school's team's.
    public func students(inDivision code: String? = nil, uai: String? = nil, year: SchoolYear,
                         by person: ActingPerson) async throws -> [(id: Int64, division: String)] {
        let access = app.access(person, year: year), today = app.today
        if code == nil { try access.require(.admin) } else { try access.require(.teacher, .admin) }
        return try await app.read { tx in
            let schoolID = if let code, case .account = person { try access.requireDivision(code, uai: nil, in: tx).schoolID }
                else { try access.schoolID(uai: uai, in: tx) }
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            let codes = try code.map { [$0] } ?? tx.schools.divisions(uai: uai, year: year).filter { $0.kind == "classe" }.map(\.code)
            return try codes.flatMap { division in
                try tx.schools.students(inDivision: division, uai: uai, year: year, asOf: today).map { ($0.id, division) }
            }
        }
    }

    /// A batch of progress files for a period: referentials are loaded once for all. Each
    /// file is read for a student the person follows (any of the school's, for its team).
    public func progressFiles(period: Period, by person: ActingPerson) throws -> ProgressFileBatch {
        let access = app.access(person, year: period.schoolYear)
        try access.require(.teacher, .admin)
        return ProgressFileBatch(app: app, access: access, period: period, context: ReportContext(today: app.today))
    }
}

/// Progress files of many students, one after another, sharing what was loaded.
public struct ProgressFileBatch: Sendable {
    let app: App
    let access: Access
    public let period: Period
    var context: ReportContext
    /// Whether a student who left is read still: for their portfolio's download only.
    var leaverMay = false
    var signers: [Int64: BadgeSigner] = [:]

    /// One student's progress file.
    public mutating func progressFile(studentID: Int64) async throws -> ProgressFile {
        let (context, period, access, leaverMay) = (self.context, self.period, self.access, self.leaverMay)
        let (file, loaded) = try await app.read { tx in
            try access.requireStudent(studentID, in: tx, leaverMay: leaverMay)
            var context = context
            let file = try tx.reports.progressFile(studentID: studentID, period: period, including: [], versions: [:],
                                                   context: &context)
            return (file, context)
        }
        self.context = loaded
        return file
    }

    /// The student's badges in force as a signed CLR 2.0 (Comprehensive Learner Record), for
    /// `email` or their INE; nil when they have no badge yet. Each school's signer is built
    /// once per batch: reading a key is not free.
    public mutating func learnerRecord(studentID: Int64, email: String?, keys: KeyDirectory) async throws -> String? {
        let (access, today, leaverMay) = (self.access, context.today, self.leaverMay)
        let (publishing, awards, key, recipient) = try await app.read { tx in
            try access.requireStudent(studentID, in: tx, leaverMay: leaverMay)
            guard let schoolID = try tx.schools.schoolID(studentID: studentID) else { throw AccessRefusal.student }
            let publishing = try BadgePublishing(schoolID: schoolID, in: tx)
            let identity = try publishing.identity(studentID: studentID, email: email, in: tx)
            let awards = try tx.badges.awards(studentID: studentID).filter { !$0.isRevoked }
                .map { try publishing.issued($0, to: identity, on: today, in: tx) }
            let key = try tx.badges.activeKey(schoolID: schoolID, algorithm: .rs256)
            return (publishing, awards, key, identity.hashed())
        }
        guard !awards.isEmpty else { return nil }
        let signer: BadgeSigner
        if let known = signers[publishing.schoolID] {
            signer = known
        } else {
            signer = try await BadgeSigner(issuer: publishing.issuer, signingKey: try keys.load(key))
            signers[publishing.schoolID] = signer
        }
        return try await signer.signLearnerRecord(LearnerRecord(recipient: recipient, awards: awards, issuedAt: Date()))
    }
}

extension App {
    /// Class reports, official positions, progress files.
    public var exports: Exports { Exports(app: self) }
}
