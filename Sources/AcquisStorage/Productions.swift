import AcquisCore
import Foundation

/// Where a production was made.
public enum ProductionContext: String, Sendable, CaseIterable {
    case classe, atelier, pfmp, projet

    /// As a student reads it: « en classe », « en PFMP ».
    public var label: String {
        switch self {
        case .classe: "en classe"
        case .atelier: "en atelier"
        case .pfmp: "en PFMP (en entreprise)"
        case .projet: "dans un projet"
        }
    }
}

/// What a production's file is, read from its content when it was received.
public enum ProductionKind: String, Sendable {
    case image, pdf, text, audio, video

    /// As a list names it: « photo », « vidéo ».
    public var label: String {
        switch self {
        case .image: "photo"
        case .pdf: "document PDF"
        case .text: "texte"
        case .audio: "enregistrement audio"
        case .video: "vidéo"
        }
    }
}

/// A competency named by its referential, code and title: what a production shows, what a PFMP observes.
public struct CompetencyRef: Hashable, Sendable {
    public var referentialCode: String
    public var code: String
    public var title: String

    public init(referentialCode: String, code: String, title: String) {
        self.referentialCode = referentialCode
        self.code = code
        self.title = title
    }
}

/// Something a student made — a photo of their work, a document, a text — kept in their
/// portfolio with the competencies it shows. The file itself is read separately
/// (``ProductionRepository/file(_:thumbnail:)``): lists never carry it.
public struct Production: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var title: String
    /// The day it was made, as the student or the teacher said.
    public var day: CalendarDate
    public var context: ProductionContext
    public var kind: ProductionKind
    /// The media type the file is served with.
    public var mediaType: String
    /// The kept file's size in bytes (for a picture, after re-encoding).
    public var byteCount: Int
    public var hasThumbnail: Bool
    public var competencies: [CompetencyRef]
    /// The student's own words about it.
    public var reflection: String?
    /// The login of who added it (the student, or a teacher for them).
    public var addedBy: String
    public var addedAt: Date

    public init(id: Int64, studentID: Int64, title: String, day: CalendarDate, context: ProductionContext, kind: ProductionKind,
                mediaType: String, byteCount: Int, hasThumbnail: Bool, competencies: [CompetencyRef], reflection: String?,
                addedBy: String, addedAt: Date) {
        self.id = id
        self.studentID = studentID
        self.title = title
        self.day = day
        self.context = context
        self.kind = kind
        self.mediaType = mediaType
        self.byteCount = byteCount
        self.hasThumbnail = hasThumbnail
        self.competencies = competencies
        self.reflection = reflection
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

/// A production to keep: its description, its file and the competency nodes it shows.
public struct NewProduction: Sendable {
    public var studentID: Int64
    public var title: String
    public var day: CalendarDate
    public var context: ProductionContext
    public var kind: ProductionKind
    public var mediaType: String
    public var content: Data
    public var thumbnail: Data?
    /// Ids of evaluable competency nodes.
    public var nodeIDs: [Int64]
    public var addedBy: String
    public var addedAt: Date

    public init(studentID: Int64, title: String, day: CalendarDate, context: ProductionContext, kind: ProductionKind,
                mediaType: String, content: Data, thumbnail: Data?, nodeIDs: [Int64], addedBy: String, addedAt: Date) {
        self.studentID = studentID
        self.title = title
        self.day = day
        self.context = context
        self.kind = kind
        self.mediaType = mediaType
        self.content = content
        self.thumbnail = thumbnail
        self.nodeIDs = nodeIDs
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

/// Students' productions and their files.
public protocol ProductionRepository {
    /// Keeps a production with its file and competencies. Returns its id.
    func add(_ production: NewProduction) throws -> Int64

    /// One production, without its file; nil for an unknown id.
    func production(_ id: Int64) throws -> Production?

    /// A student's productions, the most recent day first.
    func productions(studentID: Int64) throws -> [Production]

    /// The kept file of a production, or its thumbnail; nil when there is none.
    func file(_ id: Int64, thumbnail: Bool) throws -> (mediaType: String, content: Data)?

    /// What a student's productions weigh in bytes, thumbnails included: the quota's measure.
    func storedBytes(studentID: Int64) throws -> Int

    /// The student's own words about a production; nil or empty removes them.
    func setReflection(_ id: Int64, text: String?) throws

    /// Marks observations as made from a production: their evidence, cited where they are shown.
    func cite(_ id: Int64, inEvaluations evaluationIDs: [Int64]) throws
}

/// A public link to productions a student chose to show (an employer, a jury): no account,
/// no name unless the student adds their first name, an expiry, withdrawable.
public struct ProductionShare: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var productionIDs: [Int64]
    /// The last day the link opens.
    public var expiresOn: CalendarDate
    /// Whether the page shows the student's first name.
    public var showsFirstName: Bool
    public var revokedAt: Date?
    public var createdAt: Date

    public init(id: Int64, studentID: Int64, productionIDs: [Int64], expiresOn: CalendarDate, showsFirstName: Bool,
                revokedAt: Date?, createdAt: Date) {
        self.id = id
        self.studentID = studentID
        self.productionIDs = productionIDs
        self.expiresOn = expiresOn
        self.showsFirstName = showsFirstName
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }
}

/// Public links to chosen productions; the database keeps only each link's hash.
public protocol ProductionShareRepository {
    func create(studentID: Int64, productionIDs: [Int64], expiresOn: CalendarDate, showsFirstName: Bool, linkHash: String,
                at date: Date) throws -> Int64
    func share(_ id: Int64) throws -> ProductionShare?
    func share(linkHash: String) throws -> ProductionShare?
    /// A student's links, the latest first.
    func shares(studentID: Int64) throws -> [ProductionShare]
    func revoke(_ id: Int64, at date: Date) throws

    /// Gives each production its public address (``CitedProduction/sharedKey``) unless it has
    /// one: `keys` by production id. An address once given stays, whatever the links.
    func giveEvidenceKeys(_ keys: [Int64: String]) throws

    /// The production behind a public address, while a link open on `day` shares it.
    func sharedProductionID(evidenceKey: String, openOn day: CalendarDate) throws -> Int64?

    /// The productions a student's observations made by `lastDay` were made from, on the
    /// competencies under `nodeCode` of a referential (in any version of it), the earliest
    /// first: what a badge earned on that node cites.
    func citedProductions(studentID: Int64, referentialID: Int64, nodeCode: String, observedBy lastDay: CalendarDate,
                          openOn day: CalendarDate) throws -> [CitedProduction]
}

/// A production as a badge's evidence cites it.
public struct CitedProduction: Hashable, Sendable {
    public var title: String
    public var day: CalendarDate
    /// Its public address, only while a link open that day shares it: otherwise the badge
    /// names it without pointing to it.
    public var sharedKey: String?

    public init(title: String, day: CalendarDate, sharedKey: String?) {
        self.title = title
        self.day = day
        self.sharedKey = sharedKey
    }
}

/// A portfolio received from the student's previous school, kept apart from this school's
/// evidence: shown as « établissement précédent », never counted in a level.
public struct PreviousPortfolio: Hashable, Sendable {
    public var id: Int64
    public var studentID: Int64
    public var schoolName: String
    public var schoolUAI: String
    /// The issuer whose key signed the package, as this installation knows it.
    public var verifiedBy: String
    public var exportedAt: String
    public var productionTitles: [String]
    public var importedAt: Date

    public init(id: Int64, studentID: Int64, schoolName: String, schoolUAI: String, verifiedBy: String, exportedAt: String,
                productionTitles: [String], importedAt: Date) {
        self.id = id
        self.studentID = studentID
        self.schoolName = schoolName
        self.schoolUAI = schoolUAI
        self.verifiedBy = verifiedBy
        self.exportedAt = exportedAt
        self.productionTitles = productionTitles
        self.importedAt = importedAt
    }
}

/// Portfolios received from previous schools, with their packages as received.
public protocol PreviousPortfolioRepository {
    func add(_ portfolio: PreviousPortfolio, package: [UInt8], importedBy: String) throws -> Int64
    func portfolios(studentID: Int64) throws -> [PreviousPortfolio]
    func package(_ id: Int64) throws -> (studentID: Int64, bytes: [UInt8])?

    /// The other schools whose packages a school receives: their keys, confirmed by its team.
    func signers(schoolID: Int64) throws -> [PackageSigner]
    /// Trusts a school's key for the packages `schoolID` receives. Returns its id.
    func trust(_ signer: PackageSigner, schoolID: Int64) throws -> Int64
    /// Stops trusting a key; false when `schoolID` had no such signer.
    func withdrawTrust(_ id: Int64, schoolID: Int64) throws -> Bool
}

/// Another school's key, trusted for the portfolio packages of students who come from it: its
/// team compared the key's fingerprint with that school before the first package was received.
public struct PackageSigner: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var uai: String
    /// Its issuer profile's URL, which its packages' signatures name.
    public var issuerURL: String
    /// The key's JWK thumbprint (SHA-256, upper-case hexadecimal).
    public var thumbprint: String
    public var addedBy: String
    public var addedAt: Date

    public init(id: Int64, name: String, uai: String, issuerURL: String, thumbprint: String, addedBy: String, addedAt: Date) {
        self.id = id
        self.name = name
        self.uai = uai
        self.issuerURL = issuerURL
        self.thumbprint = thumbprint
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}
