import AcquisBadges
import AcquisCore
import AcquisGrading
import Foundation

/// A badge class as stored for a school.
public struct StoredBadgeClass: Hashable, Sendable {
    public var id: Int64
    public var schoolID: Int64
    public var badgeClass: BadgeClass
    /// The referential version the rule reads; `nil` for a manual badge.
    public var referentialID: Int64?

    public init(id: Int64, schoolID: Int64, badgeClass: BadgeClass, referentialID: Int64? = nil) {
        self.id = id
        self.schoolID = schoolID
        self.badgeClass = badgeClass
        self.referentialID = referentialID
    }
}

/// An awarded badge, revoked or not.
public struct StoredAward: Hashable, Sendable {
    public struct Revocation: Hashable, Sendable {
        public var at: Date
        public var by: String
        public var reason: String

        public init(at: Date, by: String, reason: String) {
            self.at = at
            self.by = by
            self.reason = reason
        }
    }

    public var id: Int64
    /// Lower-case version 4 UUID: the public id of the badge (`urn:uuid:…`).
    public var uuid: String
    public var badge: StoredBadgeClass
    public var studentID: Int64
    public var awardedOn: CalendarDate
    public var awardedAt: Date
    /// `règle` when the rule awarded it, or the teacher's login.
    public var awardedBy: String
    public var evidence: [String]
    public var achievedLevel: String?
    /// Why the evidence no longer meets the rule, until a teacher keeps or revokes the badge.
    public var reviewReason: String?
    public var revocation: Revocation?

    public var isRevoked: Bool { revocation != nil }

    /// When the badge says it was issued: noon (UTC) of the day it was earned, which a rule
    /// may date before the day it was recorded. Every date shown for a badge — the list, the
    /// register page, the signed badge — is then the same day.
    public var issuedAt: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let noon = calendar.date(from: DateComponents(year: awardedOn.year, month: awardedOn.month, day: awardedOn.day, hour: 12))
        return min(noon ?? awardedAt, awardedAt)
    }

    /// The end of validity, when the badge class limits it.
    public var expiresAt: Date? {
        badge.badgeClass.validityMonths.flatMap { Calendar(identifier: .gregorian).date(byAdding: .month, value: $0, to: awardedAt) }
    }

    /// Who awarded it when a rule did.
    public static let ruleAwarder = "règle"

    public init(id: Int64, uuid: String, badge: StoredBadgeClass, studentID: Int64, awardedOn: CalendarDate, awardedAt: Date, awardedBy: String, evidence: [String], achievedLevel: String? = nil, reviewReason: String? = nil, revocation: Revocation? = nil) {
        self.id = id
        self.uuid = uuid
        self.badge = badge
        self.studentID = studentID
        self.awardedOn = awardedOn
        self.awardedAt = awardedAt
        self.awardedBy = awardedBy
        self.evidence = evidence
        self.achievedLevel = achievedLevel
        self.reviewReason = reviewReason
        self.revocation = revocation
    }
}

/// What changed a mastery, said in the reason of a badge flagged « à revoir ».
public enum MasteryChangeCause: Sendable {
    case newEvidence, correction, withdrawal, importedEvidence, methodChange, recomputation
    /// A new version of the referential, whose competencies continue those of the one before.
    case newVersion(String)

    package var phrase: String {
        switch self {
        case .newEvidence: "une observation plus récente"
        case .correction: "une évaluation corrigée"
        case .withdrawal: "une évaluation retirée"
        case .importedEvidence: "des évaluations importées"
        case .methodChange: "le nouveau mode de calcul du référentiel"
        case .recomputation: "le recalcul des niveaux"
        case let .newVersion(version): "la publication de la version \(version) du référentiel"
        }
    }
}

/// What a rule check changed for one student.
public struct RuleOutcome: Hashable, Sendable {
    public var awarded: [String] = []
    /// Badges whose evidence no longer meets the rule, now waiting for a teacher's decision.
    public var flagged: [String] = []
    public var cleared: [String] = []

    public init() {}

    package mutating func add(_ other: RuleOutcome) {
        awarded += other.awarded
        flagged += other.flagged
        cleared += other.cleared
    }
}

public enum BadgeStoreError: Error, Equatable, CustomStringConvertible {
    case noIssuer(uai: String)
    case issuerExists(uai: String)
    case noActiveKey(algorithm: String)
    case unknownBadge(String)
    case unknownAward(String)
    case alreadyAwarded(badge: String)
    case alreadyRevoked(String)
    case reasonRequired
    case ruleChangeRefused(String)
    case unknownReferential(String)
    case studentOfAnotherSchool
    case invalidIssuer(field: String, String)
    case unknownNode(String, referential: String)
    case unknownLevel(String, scale: [String])

    public var description: String {
        switch self {
        case .noIssuer(let uai):
            "l’établissement \(uai) n’est pas encore émetteur de badges"
        case .issuerExists(let uai):
            "l’établissement \(uai) est déjà émetteur de badges"
        case .noActiveKey(let algorithm):
            "aucune clé de signature \(algorithm) active"
        case .unknownBadge(let code): "badge « \(code) » inconnu"
        case .unknownAward(let id): "badge délivré \(id) introuvable"
        case .alreadyAwarded(let code): "l’élève a déjà le badge « \(code) »"
        case .alreadyRevoked(let id): "le badge \(id) est déjà révoqué"
        case .reasonRequired: "une révocation doit avoir un motif"
        case .ruleChangeRefused(let code):
            "le badge « \(code) » a déjà été délivré : sa règle ne peut plus changer ; créez un nouveau badge"
        case .unknownReferential(let key): "référentiel \(key) introuvable : importez-le d’abord"
        case .unknownNode(let node, let referential): "le référentiel \(referential) n’a pas de nœud « \(node) »"
        case .unknownLevel(let level, let scale):
            "niveau « \(level) » inconnu de l’échelle ; niveaux possibles : \(scale.joined(separator: ", "))"
        case .studentOfAnotherSchool: "cet élève n’est pas inscrit dans l’établissement qui délivre le badge"
        case .invalidIssuer(_, let message): message
        }
    }
}

/// A student and a referential version: the unit rules are checked for.
public struct StudentReferential: Hashable, Sendable {
    public var studentID: Int64
    public var referentialID: Int64

    public init(studentID: Int64, referentialID: Int64) {
        self.studentID = studentID
        self.referentialID = referentialID
    }
}
