import AcquisCore

/// Something in a student's record that calls for a look, said in words with the evidence
/// behind it. A signal is a reason to talk with the student, never a judgement of them.
public struct Signal: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case silence
        case stagnation
        case regression
        case missedWork
        case unansweredRequest
        case selfAssessmentGap

        /// The French heading of the signal.
        public var title: String {
            switch self {
            case .silence: "Plus de nouvelle preuve"
            case .stagnation: "Progression arrêtée"
            case .regression: "Niveaux en baisse"
            case .missedWork: "Absences et travaux non rendus"
            case .unansweredRequest: "Demande d’évaluation sans réponse"
            case .selfAssessmentGap: "Auto-évaluation éloignée"
            }
        }
    }

    public var kind: Kind
    /// The referential the signal is about, if one.
    public var referential: String?
    /// One sentence that says what was seen, with the dates and the threshold.
    public var reason: String
    /// The evaluations or requests behind it, one line each.
    public var evidence: [String]

    public init(kind: Kind, referential: String? = nil, reason: String, evidence: [String]) {
        self.kind = kind
        self.referential = referential
        self.reason = reason
        self.evidence = evidence
    }
}

/// What the class (or group) as a whole is doing, to tell a student's silence or stagnation
/// apart from a class that is between two sequences.
public struct ClassContext: Hashable, Sendable {
    public struct Referential: Hashable, Sendable {
        public var code: String
        public var title: String
        /// The latest level any classmate received.
        public var lastEvidenceOn: CalendarDate
        /// The first level any classmate received: a student without a level is silent only
        /// once the class has been evaluated for the threshold.
        public var firstEvidenceOn: CalendarDate
        /// The median number of competencies that progressed in the window, among the students
        /// evaluated in the referential.
        public var medianProgress: Int
        /// How many students of the class have evidence in the referential, out of `classSize`.
        public var evaluatedStudents: Int
        public var classSize: Int

        /// Most of the class is evaluated in it: a student never evaluated there is worth a look.
        /// A referential only a few students follow (an individual track) says nothing of the others.
        public var isCommon: Bool { evaluatedStudents * 2 >= classSize }
    }

    public var referentials: [Referential]

    public init(referentials: [Referential]) {
        self.referentials = referentials
    }

    /// The context made by the activities of a class's students.
    public init(_ activities: [StudentActivity]) {
        var byCode: [String: (title: String, first: CalendarDate?, last: CalendarDate?, progress: [Int])] = [:]
        var order: [String] = []
        for activity in activities.flatMap(\.referentials) {
            if byCode[activity.code] == nil { order.append(activity.code) }
            var entry = byCode[activity.code] ?? (activity.title, nil, nil, [])
            if let last = activity.lastEvidence?.on, entry.last.map({ last > $0 }) ?? true { entry.last = last }
            if let first = activity.firstEvidenceOn, entry.first.map({ first < $0 }) ?? true { entry.first = first }
            entry.progress.append(activity.progressed.count)
            byCode[activity.code] = entry
        }
        referentials = order.compactMap { code in
            guard let entry = byCode[code], let last = entry.last else { return nil }
            let sorted = entry.progress.sorted()
            return Referential(code: code, title: entry.title, lastEvidenceOn: last, firstEvidenceOn: entry.first ?? last,
                               medianProgress: sorted[sorted.count / 2],
                               evaluatedStudents: entry.progress.count, classSize: activities.count)
        }
    }
}
