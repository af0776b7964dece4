import AcquisCore
import AcquisStorage

/// The referentials a class or group is offered, on its grid, its need groups and direction's
/// page, in order: those direction chose for it (in their version), those its students have
/// evidence in (most used first), those the school's other classes follow, then the others.
///
/// A school's database holds a handful of referentials and offers them all. An académie's
/// holds every national one (12,644 after an RNCP export): beyond ``listedInFull`` the others
/// are not listed, and a page finds them by searching.
public struct ReferentialOffer: Sendable {
    /// Beyond this many referentials stored, only those the class or its school uses are listed.
    public static let listedInFull = 30
    /// At most this many referentials found by one search.
    public static let searchLimit = 20

    /// The referentials offered, one version each: the one the class works with, else the
    /// newest its students have evidence in, else the newest.
    public var choices: [ReferentialSummary]
    /// Every version of the referentials offered, grouped by code, oldest first.
    public var versions: [ReferentialSummary]
    /// The versions direction chose for the class, by code.
    public var followed: [String: Int64]
    /// Whether stored referentials are left out of ``choices``: the page offers a search.
    public var searchable: Bool
    /// What a search found, in order (empty when it found nothing); nil without a search.
    public var found: [String]?

    /// The offer of the class `division`, whose `students` are given, with what `search`
    /// finds and the referential the reader `asked` for, when stored.
    static func load(_ division: DivisionRef, students: [Int64], search: String? = nil, asked: String? = nil,
                     in tx: any StorageTransaction) throws -> ReferentialOffer {
        let basis = try tx.referentials.offerBasis(division: division)
        let (followed, school) = (basis.followed, basis.schoolCodes)
        let used = try tx.referentials.referentialsInUse(studentIDs: students)
        let search = search.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let found = try search.map { try tx.referentials.search($0, limit: searchLimit) }
        let searchable = basis.storedCount > listedInFull
        let versions = searchable
            ? try tx.referentials.summaries(codes: Array(Set(followed.keys).union(used.map(\.code)).union(school)
                .union(found ?? []).union(asked.map { [$0] } ?? [])))
            : try tx.referentials.summaries()
        let byID = Dictionary(uniqueKeysWithValues: versions.map { ($0.id, $0) })
        let newest = Dictionary(grouping: versions, by: \.code).compactMapValues(\.last)
        var choices: [ReferentialSummary] = []
        let ordered = followed.sorted { $0.key < $1.key }.compactMap { byID[$0.value] }
            + used.compactMap { byID[$0.id] }
            + (school + (found ?? []) + (asked.map { [$0] } ?? []) + newest.keys.sorted()).compactMap { newest[$0] }
        for summary in ordered where !choices.contains(where: { $0.code == summary.code }) {
            choices.append(summary)
        }
        return ReferentialOffer(choices: choices, versions: versions, followed: followed, searchable: searchable, found: found)
    }

    /// The referentials of a school, newest version each, by code: those its classes follow
    /// and those its `students` have evidence in; in a school's own database, every one.
    static func school(_ schoolID: Int64, year: SchoolYear, students: [Int64],
                       in tx: any StorageTransaction) throws -> [ReferentialSummary] {
        let versions = try tx.referentials.codeCount() > listedInFull
            ? try tx.referentials.summaries(codes: Array(Set(try tx.referentials.codesFollowed(schoolID: schoolID, year: year))
                .union(try tx.referentials.referentialsInUse(studentIDs: students).map(\.code))))
            : try tx.referentials.summaries()
        return Dictionary(grouping: versions, by: \.code).values.compactMap(\.last).sorted { $0.code < $1.code }
    }

    /// The stored versions of `code`, oldest first.
    public func versions(of code: String) -> [ReferentialSummary] {
        versions.filter { $0.code == code }
    }
}
