import AcquisCore
import AcquisGrading
import Foundation

/// What the team did about a student: an action decided on a day, with a note.
public struct FollowUp: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var action: String
    public var decidedOn: CalendarDate
    public var note: String?
    /// The login of who decided it, kept for the record.
    public var author: String
    /// Who decided it, as people read it: their name, not their login.
    public var authorName: String
    public var recordedAt: Date

    public init(id: Int64, studentID: Int64, action: String, decidedOn: CalendarDate, note: String? = nil, author: String, authorName: String, recordedAt: Date) {
        self.id = id
        self.studentID = studentID
        self.action = action
        self.decidedOn = decidedOn
        self.note = note
        self.author = author
        self.authorName = authorName
        self.recordedAt = recordedAt
    }
}

public enum FollowUpError: Error, Equatable, CustomStringConvertible {
    case emptyAction
    case inTheFuture(CalendarDate)

    public var description: String {
        switch self {
        case .emptyAction: "indiquez l’action décidée (entretien, contact avec la famille, tutorat…)"
        case let .inTheFuture(day): "la date du suivi (\(day.french)) est dans le futur ; indiquez le jour où l’action a été décidée"
        }
    }
}

/// What sensitive records a person was shown: every view is kept, by student.
public enum SensitiveSubject: String, Sendable {
    case signals = "signaux"
    case followUps = "suivi"
    case needGroups = "groupes"
}

extension FollowUp {
    /// Actions teams commonly take, offered as suggestions; any other wording is accepted.
    public static let usualActions = [
        "Entretien avec l’élève", "Contact avec la famille", "Tutorat", "Groupe de besoin", "PPRE",
        "Équipe éducative", "Aménagement du travail",
    ]
}
