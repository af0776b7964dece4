import AcquisCore
import AcquisGrading
import Foundation

/// Who accompanies a student this school year: a teacher-tutor (« enseignant-tuteur »), an
/// older student as peer sponsor (« parrain »), or both.
public struct Tutoring: Hashable, Sendable {
    public var teacher: Teacher?
    public var sponsor: StoredStudent?

    public init(teacher: Teacher? = nil, sponsor: StoredStudent? = nil) {
        self.teacher = teacher
        self.sponsor = sponsor
    }
}

public enum TutoringError: Error, Equatable, CustomStringConvertible {
    case unknownTeacher(String)
    case otherSchool
    case selfSponsor
    case youngerSponsor

    public var description: String {
        switch self {
        case let .unknownTeacher(login): "aucun enseignant « \(login) » dans l’établissement de l’élève"
        case .otherSchool: "le parrain doit être un élève du même établissement"
        case .selfSponsor: "un élève ne peut pas être son propre parrain"
        case .youngerSponsor: "le parrain doit être un élève plus âgé que son filleul"
        }
    }
}
