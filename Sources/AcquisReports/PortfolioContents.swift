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
