import AcquisCore
import Foundation

/// A PFMP (période de formation en milieu professionnel): weeks a student spends in a company,
/// observed by a workplace tutor who has no account. The tutor reaches one page through a
/// link; the database keeps only the link's hash.
public struct PFMPPeriod: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var company: String
    public var tutorName: String
    public var tutorEmail: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var referentialCode: String
    /// The competencies the tutor is asked to observe.
    public var competencies: [CompetencyRef]
    /// The tutor's words about the period, with when they were last written.
    public var appreciation: String?
    public var appreciationAt: Date?
    public var revokedAt: Date?
    public var createdBy: String
    public var createdAt: Date

    /// How long the tutor's link lives after the period's last day.
    public static let linkGrace = 15

    /// The last day the tutor's link opens: the period's end plus ``linkGrace`` days.
    public var linkLastDay: CalendarDate { endsOn.adding(days: Self.linkGrace) }

    public init(id: Int64, studentID: Int64, company: String, tutorName: String, tutorEmail: String, startsOn: CalendarDate,
                endsOn: CalendarDate, referentialCode: String, competencies: [CompetencyRef], appreciation: String?,
                appreciationAt: Date?, revokedAt: Date?, createdBy: String, createdAt: Date) {
        self.id = id
        self.studentID = studentID
        self.company = company
        self.tutorName = tutorName
        self.tutorEmail = tutorEmail
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.referentialCode = referentialCode
        self.competencies = competencies
        self.appreciation = appreciation
        self.appreciationAt = appreciationAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What a tutor observed, waiting for a teacher: it counts once a teacher confirms it.
public struct PFMPObservation: Hashable, Sendable {
    public enum Status: String, Sendable {
        /// Waiting for a teacher.
        case pending = "attente"
        /// A teacher confirmed it: it is evidence now (an evaluation in PFMP, by the tutor).
        case confirmed = "confirmee"
        /// A teacher set it aside, to talk it over with the tutor or the student.
        case setAside = "ecartee"
    }

    public var id: Int64
    public var periodID: Int64
    public var competency: CompetencyRef
    public var code: String
    public var observedOn: CalendarDate
    public var recordedAt: Date
    public var status: Status
    public var decidedBy: String?

    public init(id: Int64, periodID: Int64, competency: CompetencyRef, code: String, observedOn: CalendarDate, recordedAt: Date,
                status: Status, decidedBy: String?) {
        self.id = id
        self.periodID = periodID
        self.competency = competency
        self.code = code
        self.observedOn = observedOn
        self.recordedAt = recordedAt
        self.status = status
        self.decidedBy = decidedBy
    }
}

/// A PFMP to keep.
public struct NewPFMP: Sendable {
    public var studentID: Int64
    public var company: String
    public var tutorName: String
    public var tutorEmail: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var referentialID: Int64
    public var nodeIDs: [Int64]
    public var linkHash: String
    public var createdBy: String
    public var createdAt: Date

    public init(studentID: Int64, company: String, tutorName: String, tutorEmail: String, startsOn: CalendarDate, endsOn: CalendarDate,
                referentialID: Int64, nodeIDs: [Int64], linkHash: String, createdBy: String, createdAt: Date) {
        self.studentID = studentID
        self.company = company
        self.tutorName = tutorName
        self.tutorEmail = tutorEmail
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.referentialID = referentialID
        self.nodeIDs = nodeIDs
        self.linkHash = linkHash
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// PFMP periods, their tutors' observations and appreciations.
public protocol PFMPRepository {
    func create(_ period: NewPFMP) throws -> Int64
    func period(_ id: Int64) throws -> PFMPPeriod?
    /// The period a tutor's link opens (by the link's hash); nil for an unknown link.
    func period(linkHash: String) throws -> PFMPPeriod?
    /// A student's periods, the latest first.
    func periods(studentID: Int64) throws -> [PFMPPeriod]
    func revoke(_ id: Int64, at date: Date) throws
    /// Keeps what a tutor observed on a competency node, waiting for a teacher.
    func observe(periodID: Int64, nodeID: Int64, code: String, on day: CalendarDate, at date: Date) throws
    func observations(periodID: Int64) throws -> [PFMPObservation]
    func observation(_ id: Int64) throws -> PFMPObservation?
    func decide(_ observationID: Int64, status: PFMPObservation.Status, by teacher: String, at date: Date) throws
    func setAppreciation(_ periodID: Int64, text: String?, at date: Date) throws
    /// The tutors' appreciations of a school's PFMP periods in one referential that overlap
    /// `from`…`to`, by student INE, each as « Entreprise : appréciation », the earliest first:
    /// what the LSL Pro export carries, in one query for a whole school.
    func appreciations(schoolID: Int64, referentialCode: String, from: CalendarDate, to: CalendarDate) throws -> [String: [String]]
}
