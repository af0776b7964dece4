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
