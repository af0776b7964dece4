/// A competency framework ("référentiel"): the official list of what a student is
/// evaluated against, as a versioned tree.
///
/// A referential is identified by its ``code`` and ``version`` together. Publishing a
/// new version never replaces an older one: evaluations recorded against the older
/// version keep pointing at it.
public struct Referential: Hashable, Sendable {
    public var code: String
    public var version: String
    public var title: String
    public var kind: ReferentialKind
    /// Where the content comes from: the legal text, the RNCP fiche, the publisher.
    public var source: String?
    public var validity: Validity
    /// The code of the ``Scale`` the referential is evaluated with.
    public var scaleCode: String
    /// A scale shipped inside the referential file, when it is not one of the built-in scales.
    public var embeddedScale: Scale?
    public var externalCodes: [ExternalCode]
    public var children: [ReferentialNode]

    public init(
        code: String,
        version: String,
        title: String,
        kind: ReferentialKind,
        source: String? = nil,
        validity: Validity = Validity(),
        scaleCode: String,
        embeddedScale: Scale? = nil,
        externalCodes: [ExternalCode] = [],
        children: [ReferentialNode] = []
    ) {
        self.code = code
        self.version = version
        self.title = title
        self.kind = kind
        self.source = source
        self.validity = validity
        self.scaleCode = scaleCode
        self.embeddedScale = embeddedScale
        self.externalCodes = externalCodes
        self.children = children
    }
}

public enum ReferentialKind: String, CaseIterable, Sendable, Codable {
    /// A vocational diploma (CAP, Bac Pro) or any RNCP certification, organised in blocks.
    case diplome
    /// The socle commun de connaissances, de compétences et de culture (2015).
    case socle
    /// A livret (LPC 2006, livret scolaire): validated item by item.
    case livret

    /// What pages call it: « Diplôme », « Socle commun », « Livret ».
    public var label: String {
        switch self {
        case .diplome: "Diplôme"
        case .socle: "Socle commun"
        case .livret: "Livret"
        }
    }
}

/// The dates between which a referential is in force. Either bound may be unknown.
public struct Validity: Hashable, Sendable {
    public var from: CalendarDate?
    public var until: CalendarDate?

    public init(from: CalendarDate? = nil, until: CalendarDate? = nil) {
        self.from = from
        self.until = until
    }

    public func contains(_ date: CalendarDate) -> Bool {
        if let from, date < from { return false }
        if let until, date > until { return false }
        return true
    }
}

/// A node of a referential tree: a block, a domain, a competency or an observable item.
public struct ReferentialNode: Hashable, Sendable {
    public var kind: NodeKind
    /// Unique inside its referential, e.g. `C1.2`, `BC01`, `CPD_FRA`.
    public var code: String
    public var title: String
    /// How reliable the title is with respect to the official text.
    public var titleReliability: Reliability
    /// The word the official text uses for this node when it is not the kind's usual
    /// name, e.g. « Compétence » for a pillar of the LPC.
    public var term: String?
    /// Whether teachers record evaluations directly on this node.
    public var isEvaluable: Bool
    public var externalCodes: [ExternalCode]
    public var children: [ReferentialNode]

    public init(
        kind: NodeKind,
        code: String,
        title: String,
        titleReliability: Reliability = .verified,
        term: String? = nil,
        isEvaluable: Bool? = nil,
        externalCodes: [ExternalCode] = [],
        children: [ReferentialNode] = []
    ) {
        self.kind = kind
        self.code = code
        self.title = title
        self.titleReliability = titleReliability
        self.term = term
        self.isEvaluable = isEvaluable ?? kind.isEvaluableByDefault
        self.externalCodes = externalCodes
        self.children = children
    }

    /// The first external code of the given system, e.g. the RNCP block code.
    public func externalCode(_ system: ExternalCode.System) -> ExternalCode? {
        externalCodes.first { $0.system == system }
    }
}

public enum NodeKind: String, CaseIterable, Sendable, Codable {
    case block
    case domain
    case competency
    case item

    /// Competencies and items are what teachers observe; blocks and domains are computed
    /// from them unless a referential says otherwise.
    public var isEvaluableByDefault: Bool {
        switch self {
        case .block, .domain: false
        case .competency, .item: true
        }
    }

    /// The French word shown to users when the referential gives no ``ReferentialNode/term``.
    public var frenchName: String {
        switch self {
        case .block: "Bloc"
        case .domain: "Domaine"
        case .competency: "Compétence"
        case .item: "Item"
        }
    }
}

/// A code that identifies a node in another system: an RNCP block, an LSU socle
/// component, an exam unit.
public struct ExternalCode: Hashable, Sendable {
    public struct System: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }

        /// France Compétences RNCP fiche or block, e.g. `RNCP34947`, `RNCP34947BC01`.
        public static let rncp: System = "rncp"
        /// LSU code of a socle component, e.g. `CPD_FRA`.
        public static let lsu: System = "lsu"
        /// Exam unit of a diploma, e.g. `U31`.
        public static let examUnit: System = "unite"
        /// Code of the diploma in the scolarité nomenclature (CFD).
        public static let cfd: System = "cfd"
    }

    public var system: System
    public var value: String
    public var reliability: Reliability

    public init(system: System, value: String, reliability: Reliability = .verified) {
        self.system = system
        self.value = value
        self.reliability = reliability
    }
}

/// How far a piece of official data was checked against its source. Data files keep
/// this so that unverified wording is never presented as official.
public enum Reliability: String, CaseIterable, Sendable, Codable, Comparable {
    /// Checked in the official text or in real data.
    case verified
    /// Seen only in secondary sources.
    case partial
    /// Not checked: to be confirmed before it is relied upon.
    case unverified

    public static func < (lhs: Reliability, rhs: Reliability) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .verified: 0
        case .partial: 1
        case .unverified: 2
        }
    }
}
