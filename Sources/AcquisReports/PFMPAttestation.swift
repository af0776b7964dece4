import AcquisCore

/// What the end-of-PFMP attestation states: where and when the student was trained, by whom,
/// what the tutor observed, and the tutor's appreciation.
public struct PFMPAttestation: Sendable {
    public struct Line: Sendable {
        public var code: String
        public var title: String
        /// The scale's words for what the tutor observed last; nil when not observed.
        public var observed: String?

        public init(code: String, title: String, observed: String?) {
            self.code = code
            self.title = title
            self.observed = observed
        }
    }

    public var school: String
    public var student: String
    public var division: String
    public var company: String
    public var tutor: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var referential: String
    public var lines: [Line]
    public var appreciation: String?
    public var issuedOn: CalendarDate

    public init(school: String, student: String, division: String, company: String, tutor: String, startsOn: CalendarDate,
                endsOn: CalendarDate, referential: String, lines: [Line], appreciation: String?, issuedOn: CalendarDate) {
        self.school = school
        self.student = student
        self.division = division
        self.company = company
        self.tutor = tutor
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.referential = referential
        self.lines = lines
        self.appreciation = appreciation
        self.issuedOn = issuedOn
    }
}
