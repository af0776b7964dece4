/// Where a student was observed. PFMP evidence names the company and the tutor, because a
/// level seen at work is worth saying so to an employer.
public enum EvaluationContext: Hashable, Sendable {
    case classe
    case atelier
    /// Période de formation en milieu professionnel, in a company with a tutor.
    case pfmp(company: String?, tutor: String?)
    case projet
    /// The student's own view: shown beside the computed level, never counted in it.
    case autoEvaluation

    /// « en PFMP (Boutique Dupont) », as it reads inside a sentence.
    public var inSentence: String {
        switch self {
        case .classe: "en classe"
        case .atelier: "en atelier"
        case let .pfmp(company?, _): "en PFMP (\(company))"
        case .pfmp: "en PFMP"
        case .projet: "en projet"
        case .autoEvaluation: "en auto-évaluation"
        }
    }

    /// The word stored and typed in files: `classe`, `atelier`, `pfmp`, `projet`, `auto`.
    public var kindName: String {
        switch self {
        case .classe: "classe"
        case .atelier: "atelier"
        case .pfmp: "pfmp"
        case .projet: "projet"
        case .autoEvaluation: "auto"
        }
    }

    public var company: String? {
        if case let .pfmp(company, _) = self { return company }
        return nil
    }

    public var tutor: String? {
        if case let .pfmp(_, tutor) = self { return tutor }
        return nil
    }

    /// Reads a context word (accents and case ignored; `auto-evaluation` accepted); the
    /// company and tutor are kept for `pfmp` only.
    public init?(kindName: String, company: String? = nil, tutor: String? = nil) {
        // Stored words are already lowercase: only typed ones need folding.
        let word = kindName.utf8.contains(where: { (65...90).contains($0) || $0 >= 128 }) ? kindName.lowercased() : kindName
        switch word {
        case "classe", "": self = .classe
        case "atelier": self = .atelier
        case "pfmp", "stage", "entreprise": self = .pfmp(company: company, tutor: tutor)
        case "projet": self = .projet
        case "auto", "auto-evaluation", "auto-évaluation", "autoevaluation", "autoévaluation": self = .autoEvaluation
        default: return nil
        }
    }

    public static let kindNames = "classe, atelier, pfmp, projet, auto"
}

/// Who an evaluation is about, as files name them: by INE, or by the school's own id.
public enum StudentReference: Hashable, Sendable, CustomStringConvertible {
    case ine(String)
    case localID(String)

    public var description: String {
        switch self {
        case let .ine(ine): "INE \(ine)"
        case let .localID(id): "élève n° \(id)"
        }
    }
}

/// One evaluation as entered: by a teacher in the grid, in a file, or by a student about
/// themselves. What the store keeps, with history, and what masteries are computed from.
public struct EvaluationEntry: Hashable, Sendable {
    public var student: StudentReference
    public var referentialCode: String
    /// Nil: the latest version of the referential.
    public var referentialVersion: String?
    public var competencyCode: String
    /// A level or special code of the referential's scale.
    public var code: String
    /// The day of the observation, not of typing.
    public var observedOn: CalendarDate
    public var context: EvaluationContext
    public var evaluator: String?
    public var comment: String?
    /// A link to the evidence, or the path of a file kept beside the database.
    public var evidence: String?
    /// A teacher's decision setting the level directly.
    public var isOverride: Bool

    public init(student: StudentReference, referentialCode: String, referentialVersion: String? = nil,
                competencyCode: String, code: String, observedOn: CalendarDate, context: EvaluationContext = .classe,
                evaluator: String? = nil, comment: String? = nil, evidence: String? = nil, isOverride: Bool = false) {
        self.student = student
        self.referentialCode = referentialCode
        self.referentialVersion = referentialVersion
        self.competencyCode = competencyCode
        self.code = code
        self.observedOn = observedOn
        self.context = context
        self.evaluator = evaluator
        self.comment = comment
        self.evidence = evidence
        self.isOverride = isOverride
    }
}
