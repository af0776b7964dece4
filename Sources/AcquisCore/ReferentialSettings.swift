/// What a referential file does not say and the person importing it does: which RNCP fiches
/// to keep, the scale, and for a SACoche export (which holds a tree only) its code, title
/// and version.
public struct ReferentialSettings: Hashable, Sendable, Codable {
    /// RNCP fiche numbers to keep (`RNCP34947` or `34947`); empty keeps every active fiche.
    public var fiches: [String]
    /// The scale of referentials read from an RNCP or SACoche export, which name none.
    public var scaleCode: String
    /// SACoche: the referential's code, title and version.
    public var code: String?
    public var title: String?
    public var version: String

    public init(fiches: [String] = [], scaleCode: String = Scale.benevolent.code, code: String? = nil, title: String? = nil,
                version: String = "1") {
        self.fiches = fiches
        self.scaleCode = scaleCode
        self.code = code
        self.title = title
        self.version = version
    }
}
