import AcquisBadges
import AcquisReports
import AcquisCore
import AcquisGrading
import Foundation

/// Why an official export cannot be written yet, with every student concerned.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    case missingPositions([MissingPosition])
    case missingSchoolID([String])
    case noStudents(String)

    public var description: String {
        switch self {
        case let .missingPositions(missing):
            "bilan de cycle incomplet pour \(French.counted(missing.count, "élève")) :\n" + missing.map { "  \($0)" }.joined(separator: "\n")
        case let .missingSchoolID(names):
            "LSU identifie chaque élève par son ELEVE_ID de SIECLE ; il manque pour : \(names.joined(separator: ", ")) ; "
                + "importez l’export SIECLE de l’établissement"
        case let .noStudents(what):
            "aucun élève dans \(what)"
        }
    }
}

/// What exports read once and keep across a batch: each referential version, each school
/// and the names of people, so that a batch over a whole school loads each tree once.
/// The engine fills it; the application only keeps it from one student to the next.
public struct ReportContext: Sendable {
    public var generatedAt: Date
    public var today: CalendarDate
    package var targets: [Int64: ReferentialTarget] = [:]
    /// Each school read once per batch: its identity, and its issuer profile when it issues badges.
    package var schools: [Int64: (identity: SchoolIdentity, issuer: Issuer?)] = [:]
    /// Logins → the names people read, loaded once: evidence and syntheses name people, not accounts.
    package var names: [String: String]?

    public init(generatedAt: Date = Date(), today: CalendarDate) {
        self.generatedAt = generatedAt
        self.today = today
    }

    /// Levels are read at the end of the period, or today while it runs.
    public func asOf(_ period: Period) -> CalendarDate { min(period.end, today) }
}
