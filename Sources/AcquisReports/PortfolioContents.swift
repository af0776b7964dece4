import AcquisCore
import Foundation

/// What a student's portfolio package holds: their progress file of the school year, their
/// badges as a signed CLR 2.0, and their productions with their files. Built by the
/// application core; written as a ZIP by the front ends (`PortfolioPackage` in AcquisExport).
public struct PortfolioContents: Sendable {
    /// A production as the package keeps it.
    public struct Production: Sendable {
        public var title: String
        public var day: CalendarDate
        /// « en atelier », as the student reads it.
        public var context: String
        /// « CAP-EPC B1.1 – Réceptionner ».
        public var competencies: [String]
        public var reflection: String?
        public var mediaType: String
        public var bytes: [UInt8]

        public init(title: String, day: CalendarDate, context: String, competencies: [String], reflection: String?,
                    mediaType: String, bytes: [UInt8]) {
            self.title = title
            self.day = day
            self.context = context
            self.competencies = competencies
            self.reflection = reflection
            self.mediaType = mediaType
            self.bytes = bytes
        }
    }

    public var progressFile: ProgressFile
    /// The badges in force as a signed CLR 2.0 (compact JWS); nil without a badge or a key.
    public var learnerRecord: String?
    public var productions: [Production]
    public var exportedAt: Date

    public init(progressFile: ProgressFile, learnerRecord: String?, productions: [Production], exportedAt: Date) {
        self.progressFile = progressFile
        self.learnerRecord = learnerRecord
        self.productions = productions
        self.exportedAt = exportedAt
    }
}

/// A portfolio package read back and checked: every file listed in the manifest with the same
/// SHA-256, nothing else, no unsafe name, nothing expanding beyond the limits.
public struct OpenedPortfolioPackage: Sendable {
    public struct Production: Sendable {
        public var title: String
        public var day: String
        public var context: String
        public var competencies: [String]
        public var path: String

        public init(title: String, day: String, context: String, competencies: [String], path: String) {
            self.title = title
            self.day = day
            self.context = context
            self.competencies = competencies
            self.path = path
        }
    }

    public var schoolName: String
    public var schoolUAI: String
    public var studentINE: String
    public var studentName: String
    public var exportedAt: String
    public var productions: [Production]
    /// The signed CLR 2.0, when the package has one.
    public var learnerRecord: String?
    /// The school's signature of the manifest (`portfolio.jws`), and the manifest's SHA-256.
    public var signature: String
    public var manifestSHA256: String
    /// The package as received, kept whole once its signature is verified.
    public var package: [UInt8]

    public init(schoolName: String, schoolUAI: String, studentINE: String, studentName: String, exportedAt: String,
                productions: [Production], learnerRecord: String?, signature: String, manifestSHA256: String, package: [UInt8]) {
        self.schoolName = schoolName
        self.schoolUAI = schoolUAI
        self.studentINE = studentINE
        self.studentName = studentName
        self.exportedAt = exportedAt
        self.productions = productions
        self.learnerRecord = learnerRecord
        self.signature = signature
        self.manifestSHA256 = manifestSHA256
        self.package = package
    }
}
