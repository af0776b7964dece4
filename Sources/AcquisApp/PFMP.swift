import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation

/// A PFMP as a teacher describes it.
public struct PFMPDraft: Sendable {
    public var student: StudentReference
    public var company: String
    public var tutorName: String
    public var tutorEmail: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var referential: String
    public var competencies: [String]

    public init(student: StudentReference, company: String, tutorName: String, tutorEmail: String, startsOn: CalendarDate,
                endsOn: CalendarDate, referential: String, competencies: [String]) {
        self.student = student
        self.company = company
        self.tutorName = tutorName
        self.tutorEmail = tutorEmail
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.referential = referential
        self.competencies = competencies
    }
}

/// Why a PFMP or a tutor's word was refused. Each front end words it; `description` is French.
public enum PFMPError: Error, Equatable, CustomStringConvertible {
    case missing(field: String)
    case email(String)
    case dates(CalendarDate, CalendarDate)
    case noCompetency
    /// A tutor's link that is unknown, revoked or past its last day: the same answer for all
    /// three, so that a link cannot be probed.
    case linkClosed
    /// A level that is not one of the scale's, or a competency the PFMP does not observe.
    case notObserved(String)
    case appreciationTooLong(limit: Int)
    /// A tutor writing before the period's first day.
    case notStarted(CalendarDate)

    public var description: String {
        switch self {
        case let .missing(field): "Indiquez \(field)."
        case let .email(text): "« \(text) » n’est pas une adresse électronique : elle s’écrit nom@entreprise.fr."
        case let .dates(start, end): "La PFMP finit le \(end.french), avant de commencer le \(start.french) : vérifiez les dates."
        case .noCompetency: "Choisissez au moins une compétence que le tuteur observera."
        case .linkClosed:
            "Ce lien n’ouvre plus la PFMP : il a expiré ou l’établissement l’a retiré. Demandez un nouveau lien à l’enseignant qui suit l’élève."
        case let .notObserved(what): "« \(what) » ne fait pas partie de ce qui est demandé pour cette PFMP."
        case let .appreciationTooLong(limit): "L’appréciation dépasse \(limit) caractères : raccourcissez-la."
        case let .notStarted(day): "La PFMP commence le \(day.french) : vos observations seront les bienvenues à partir de ce jour."
        }
    }
}

/// What the tutor's page shows: the student's first name, the company, the competencies with
/// the scale's words, and what this tutor already wrote. Nothing else of the student.
public struct TutorView: Sendable {
    public var period: PFMPPeriod
    public var studentFirstName: String
    public var studentLastInitial: String
    public var scale: Scale
    /// This period's observations (the tutor's own, the only ones a period holds).
    public var observations: [PFMPObservation]
}

/// PFMP: the teacher creates a period and gives its tutor a link; the tutor observes and writes
/// an appreciation without an account; the teacher confirms what counts.
public struct PFMP: Sendable {
    let app: App

    public static let appreciationLimit = 2_000

    /// Creates a period and returns it with the tutor's link secret (shown once, kept hashed).
    public func create(_ draft: PFMPDraft, by person: ActingPerson) async throws -> (period: PFMPPeriod, token: String) {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        let company = draft.company.trimmingCharacters(in: .whitespacesAndNewlines)
        let tutor = draft.tutorName.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = draft.tutorEmail.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !company.isEmpty else { throw PFMPError.missing(field: "l’entreprise") }
        guard !tutor.isEmpty else { throw PFMPError.missing(field: "le nom du tuteur ou de la tutrice") }
        guard Self.isEmail(email) else { throw email.isEmpty ? PFMPError.missing(field: "le courriel du tuteur ou de la tutrice") : PFMPError.email(email) }
        guard draft.startsOn <= draft.endsOn else { throw PFMPError.dates(draft.startsOn, draft.endsOn) }
        guard !draft.competencies.isEmpty else { throw PFMPError.noCompetency }
        let token = StoredSecret.newToken()
        let period = try await app.write { tx in
            let studentID = try tx.schools.student(draft.student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            let target = try tx.referentials.target(code: draft.referential, version: nil, studentID: studentID)
            let nodeIDs = try draft.competencies.map { try target.evaluableNode($0) }
            let id = try tx.pfmp.create(NewPFMP(studentID: studentID, company: company, tutorName: tutor, tutorEmail: email,
                                                startsOn: draft.startsOn, endsOn: draft.endsOn, referentialID: target.id,
                                                nodeIDs: nodeIDs, linkHash: StoredSecret.hash(token),
                                                createdBy: person.signature ?? "console", createdAt: Date()))
            return try tx.pfmp.period(id)!
        }
        return (period, token)
    }

    /// A student's periods with their observations, for those who follow the student.
    public func periods(studentID: Int64, by person: ActingPerson) async throws -> [(period: PFMPPeriod, observations: [PFMPObservation])] {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return try tx.pfmp.periods(studentID: studentID).map { ($0, try tx.pfmp.observations(periodID: $0.id)) }
        }
    }

    /// The student of a period, for those who follow the student.
    public func studentID(ofPeriod id: Int64, by person: ActingPerson) async throws -> Int64 {
        let access = app.access(person)
        return try await app.read { tx in try Self.period(id, access: access, in: tx).studentID }
    }

    /// Withdraws a tutor's link: it opens nothing any more. What the tutor wrote stays.
    public func revoke(_ id: Int64, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.teacher, .admin)
        try await app.write { tx in
            let period = try Self.period(id, access: access, in: tx)
            try tx.pfmp.revoke(period.id, at: Date())
        }
    }

    /// A teacher confirms a tutor's observation — it becomes evidence, in PFMP, by the tutor,
    /// and the level follows — or sets it aside to talk it over.
    public func decide(observation id: Int64, confirm: Bool, by person: ActingPerson) async throws {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        try await app.write { tx in
            guard let observation = try tx.pfmp.observation(id), observation.status == .pending else { throw AccessRefusal.student }
            let period = try Self.period(observation.periodID, access: access, in: tx)
            if confirm {
                let student = try tx.schools.student(studentID: period.studentID, year: nil)
                let entry = EvaluationEntry(student: student.reference, referentialCode: observation.competency.referentialCode,
                                            competencyCode: observation.competency.code, code: observation.code,
                                            observedOn: observation.observedOn,
                                            context: .pfmp(company: period.company, tutor: period.tutorName),
                                            evaluator: period.tutorName)
                _ = try tx.evaluations.record(entry, studentID: period.studentID, recordedBy: person.signature, at: Date(), today: today)
            }
            try tx.pfmp.decide(id, status: confirm ? .confirmed : .setAside, by: person.signature ?? "console", at: Date())
        }
    }

    /// What the end-of-PFMP attestation states: for each competency, the scale's words for
    /// what the tutor observed last (set-aside observations left out), and the appreciation.
    public func attestation(_ id: Int64, by person: ActingPerson) async throws -> PFMPAttestation {
        let access = app.access(person), today = app.today, year = app.year
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let period = try Self.period(id, access: access, in: tx)
            let student = try tx.schools.student(studentID: period.studentID, year: year).student
            let school = try tx.schools.schoolID(studentID: period.studentID).flatMap { try tx.schools.name(schoolID: $0) } ?? ""
            let scale = try tx.referentials.target(code: period.referentialCode, version: nil, studentID: period.studentID).scale
            var latest: [String: String] = [:]
            for observation in try tx.pfmp.observations(periodID: id) where observation.status != .setAside {
                latest[observation.competency.code] = observation.code
            }
            let words = Dictionary(scale.levels.map { ($0.code, $0.teacherLabel) }, uniquingKeysWith: { first, _ in first })
            return PFMPAttestation(
                school: school, student: "\(student.firstName) \(student.lastName)", division: student.division ?? "",
                company: period.company, tutor: period.tutorName, startsOn: period.startsOn, endsOn: period.endsOn,
                referential: period.referentialCode,
                lines: period.competencies.map { .init(code: $0.code, title: $0.title, observed: latest[$0.code].map { words[$0] ?? $0 }) },
                appreciation: period.appreciation, issuedOn: today)
        }
    }

    // MARK: The tutor, without an account

    /// What the tutor's link opens; ``PFMPError/linkClosed`` for a link unknown, withdrawn or
    /// past the period's end plus 15 days.
    public func tutorView(token: String) async throws -> TutorView {
        let today = app.today
        return try await app.read { tx in
            let period = try Self.open(token, today: today, in: tx)
            let student = try tx.schools.student(studentID: period.studentID, year: nil).student
            let scale = try tx.referentials.target(code: period.referentialCode, version: nil, studentID: period.studentID).scale
            return TutorView(period: period, studentFirstName: student.firstName,
                             studentLastInitial: student.lastName.first.map { "\($0)." } ?? "",
                             scale: scale, observations: try tx.pfmp.observations(periodID: period.id))
        }
    }

    /// The tutor records levels (by competency code) and an appreciation. Observed today, or on
    /// the period's last day when the tutor writes after it.
    public func tutorRecord(token: String, levels: [String: String], appreciation: String?) async throws {
        let today = app.today
        if let appreciation, appreciation.count > Self.appreciationLimit { throw PFMPError.appreciationTooLong(limit: Self.appreciationLimit) }
        try await app.write { tx in
            let period = try Self.open(token, today: today, in: tx)
            let target = try tx.referentials.target(code: period.referentialCode, version: nil, studentID: period.studentID)
            let observed = Set(period.competencies.map(\.code))
            guard today >= period.startsOn else { throw PFMPError.notStarted(period.startsOn) }
            let day = min(today, period.endsOn)
            for (competency, level) in levels.sorted(by: { $0.key < $1.key }) {
                guard observed.contains(competency) else { throw PFMPError.notObserved(competency) }
                guard target.scale.levels.contains(where: { $0.code == level }) else { throw PFMPError.notObserved(level) }
                try tx.pfmp.observe(periodID: period.id, nodeID: try target.evaluableNode(competency), code: level, on: day, at: Date())
            }
            if let appreciation { try tx.pfmp.setAppreciation(period.id, text: appreciation, at: Date()) }
        }
    }

    private static func open(_ token: String, today: CalendarDate, in tx: any StorageTransaction) throws -> PFMPPeriod {
        guard let period = try tx.pfmp.period(linkHash: StoredSecret.hash(token)), period.revokedAt == nil,
              today <= period.linkLastDay else { throw PFMPError.linkClosed }
        return period
    }

    private static func period(_ id: Int64, access: Access, in tx: any StorageTransaction) throws -> PFMPPeriod {
        guard let period = try tx.pfmp.period(id) else { throw AccessRefusal.student }
        try access.requireStudent(period.studentID, in: tx)
        return period
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }
}
