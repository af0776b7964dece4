import Foundation

/// A file sent to be imported, kept until the person who sent it confirms the preview.
public struct PendingUpload: Hashable, Sendable {
    /// What the file is for (`eleves`…): a preview never confirms a file as something else.
    public enum Kind: String, Sendable {
        case roster = "eleves"
        /// Account letters just created, with their codes in clear, for their PDF and CSV.
        case letters = "lettres"
    }

    public var id: Int64
    public var kind: Kind
    public var schoolID: Int64
    public var fileName: String
    public var content: [UInt8]
    public var uploadedBy: String
    public var uploadedAt: Date

    public init(id: Int64, kind: Kind, schoolID: Int64, fileName: String, content: [UInt8], uploadedBy: String, uploadedAt: Date) {
        self.id = id
        self.kind = kind
        self.schoolID = schoolID
        self.fileName = fileName
        self.content = content
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}
