import AcquisCore
import AcquisGrading
import Foundation

/// A student's request to be evaluated on a competency, and the teacher's answer.
public struct EvaluationRequest: Hashable, Sendable {
    public enum Status: String, Sendable {
        case open = "ouverte"
        /// The teacher plans or has made the evaluation.
        case accepted = "acceptee"
        /// Not now, with an explanation for the student.
        case postponed = "reportee"
    }

    public var id: Int64
    public var studentID: Int64
    public var studentName: String
    public var referentialCode: String
    public var competencyCode: String
    public var competencyTitle: String
    public var message: String?
    public var requestedAt: Date
    public var status: Status
    public var answer: String?
    public var answeredBy: String?

    public init(id: Int64, studentID: Int64, studentName: String, referentialCode: String, competencyCode: String, competencyTitle: String, message: String? = nil, requestedAt: Date, status: Status, answer: String? = nil, answeredBy: String? = nil) {
        self.id = id
        self.studentID = studentID
        self.studentName = studentName
        self.referentialCode = referentialCode
        self.competencyCode = competencyCode
        self.competencyTitle = competencyTitle
        self.message = message
        self.requestedAt = requestedAt
        self.status = status
        self.answer = answer
        self.answeredBy = answeredBy
    }
}
