import AcquisCore
import AcquisGrading
import AcquisStorage
import Foundation

/// What publishing referentials did, kept small: a national export is never held in memory.
public struct Publication: Sendable {
    /// How many versions were stored, and their nodes.
    public var inserted = 0
    public var nodes = 0
    /// The first versions stored, to name them.
    public var firstInserted: [Referential] = []
    /// Versions already stored with the same content.
    public var unchanged = 0

    static let named = 20
}

/// Publishing referentials and their versions, choosing how they compute levels, and which
/// version each class works with.
public struct Referentials: Sendable {
    let app: App

    /// Every stored version, grouped by code, oldest version first. Open to everyone signed in:
    /// referentials are public texts.
    public func summaries() async throws -> [ReferentialSummary] {
        try await app.read { tx in try tx.referentials.summaries() }
    }

    /// The versions an inspector's list shows: those whose referential `search` finds, else
    /// the ``Catalogue/shown`` imported last; with how many are stored. An académie that
    /// imported the national RNCP export stores more than 12,000: a page lists a few and
    /// finds the others. Open to everyone, as ``summaries()``: referentials are public texts.
    public func catalogue(search: String?) async throws -> Catalogue {
        let search = search.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return try await app.read { tx in
            let stored = try tx.referentials.versionCount()
            guard let search else {
                return Catalogue(versions: try tx.referentials.recentSummaries(limit: Catalogue.shown), stored: stored, found: nil)
            }
            let found = try tx.referentials.search(search, limit: Catalogue.shown)
            return Catalogue(versions: try tx.referentials.summaries(codes: found), stored: stored, found: found)
        }
    }

    /// Referential versions as an inspector's list shows them (``catalogue(search:)``).
    public struct Catalogue: Sendable {
        /// At most this many referentials in a list.
        public static let shown = 50
        public var versions: [ReferentialSummary]
        /// Every version stored.
        public var stored: Int
        /// The referentials a search found, by code; nil without a search.
        public var found: [String]?
    }

    /// The referentials of the person's school, newest version each (``ReferentialOffer``):
    /// those its classes follow or its students have evidence in, or every one in a school's
    /// own database. What its exports offer.
    public func ofSchool(by person: ActingPerson) async throws -> [ReferentialSummary] {
        let access = app.access(person), year = app.year
        try access.require(.teacher, .admin)
        return try await app.read { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            return try ReferentialOffer.school(schoolID, year: year, students: tx.accounts.studentIDs(schoolID: schoolID), in: tx)
        }
    }

    /// One version of a referential, or its newest.
    public func referential(code: String, version: String? = nil) async throws -> Referential {
        try await app.read { tx in try tx.referentials.referential(code: code, version: version) }
    }

    /// How a referential about to be published continues the version before it (nil without
    /// an earlier version), with the correspondence the publisher gives.
    public func continuity(of referential: Referential, correspondence: Correspondence? = nil) async throws -> VersionContinuity? {
        try await app.read { tx in try tx.referentials.continuity(of: referential, correspondence: correspondence) }
    }

    /// Publishes referentials in one transaction: one refused and none is stored. A new
    /// version continues the one before it, through `correspondence` when it is the version
    /// that correspondence leads to; the levels its competencies already have are computed,
    /// and the badge rules checked, in the same transaction.
    ///
    /// Referentials are read one at a time from `source`, so that a national RNCP export is
    /// never held in memory.
    ///
    /// - Returns: what was published, and what `source` returned (what a reader skipped).
    public func publish<Read: Sendable>(correspondence: Correspondence? = nil, by person: ActingPerson,
                                        _ source: @Sendable @escaping (_ each: (Referential, _ format: String) throws -> Void) throws -> Read)
        async throws -> (publication: Publication, read: Read)
    {
        try app.access(person).require(.inspector, .admin)
        return try await app.write { tx in
            var publication = Publication()
            var applied = false
            let read = try source { referential, format in
                let continues = correspondence.map {
                    $0.referentialCode == referential.code && $0.toVersion == referential.version
                } ?? false
                applied = applied || continues
                switch try tx.referentials.save(referential, format: format,
                                                   correspondence: continues ? correspondence : nil) {
                case .inserted:
                    publication.inserted += 1
                    publication.nodes += referential.nodeCount
                    if publication.firstInserted.count < Publication.named { publication.firstInserted.append(referential) }
                case .unchanged:
                    publication.unchanged += 1
                }
            }
            if let correspondence, !applied { throw VersionContinuityError.correspondenceUnused(correspondence) }
            return (publication, read)
        }
    }

    /// Keeps a file an inspector sent, as sent, until it is published, with what they said of
    /// it: its format when not recognised from its content, and what the file does not say.
    public func saveDraft(fileName: String, content: [UInt8], format: String? = nil, settings: ReferentialSettings = .init(),
                          by person: ActingPerson) async throws -> Int64 {
        try app.access(person).require(.inspector, .admin)
        return try await app.write { tx in
            try tx.drafts.save(fileName: fileName, content: content, format: format, settings: settings,
                               uploadedBy: person.signature ?? "", at: Date())
        }
    }

    /// A file an inspector sent.
    public func draft(id: Int64, by person: ActingPerson) async throws -> ReferentialDraft? {
        try app.access(person).require(.inspector, .admin)
        return try await app.read { tx in try tx.drafts.draft(id: id) }
    }

    /// Publishes the referentials read from a draft (an RNCP export holds several), and marks
    /// the draft published, in one transaction: one refused and none is published.
    /// - Parameter format: the format they were read in, kept with each version.
    @discardableResult
    public func publishDraft(id: Int64, as referentials: [Referential], format: String, correspondence: Correspondence? = nil,
                             by person: ActingPerson) async throws -> [SaveOutcome] {
        try app.access(person).require(.inspector, .admin)
        return try await app.write { tx in
            try referentials.map { try Self.publish($0, format: format, correspondence: correspondence, draft: id, tx) }
        }
    }

    /// Keeps a file sent in one request and publishes the referential read from it, in one
    /// transaction: a refused publication leaves no draft behind.
    @discardableResult
    public func publishUpload(fileName: String, content: [UInt8], as referential: Referential, format: String = "acquis",
                              by person: ActingPerson) async throws -> SaveOutcome {
        try app.access(person).require(.inspector, .admin)
        return try await app.write { tx in
            let draft = try tx.drafts.save(fileName: fileName, content: content, format: format, settings: ReferentialSettings(),
                                           uploadedBy: person.signature ?? "", at: Date())
            return try Self.publish(referential, format: format, correspondence: nil, draft: draft, tx)
        }
    }

    private static func publish(_ referential: Referential, format: String, correspondence: Correspondence?, draft: Int64,
                                _ tx: any StorageTransaction) throws -> SaveOutcome {
        let outcome = try tx.referentials.save(referential, format: format, correspondence: correspondence)
        let stored = try tx.referentials.target(code: referential.code, version: referential.version).id
        try tx.drafts.markPublished(id: draft, as: stored)
        return outcome
    }

    /// Chooses how a referential version computes levels and rolls them up, then recomputes
    /// them and checks its badge rules. Nil `method` or `rollUp` keeps the current one.
    public func setMethod(code: String, version: String?, method: MasteryMethod?, rollUp: RollUpRule?,
                          by person: ActingPerson) async throws -> (target: ReferentialTarget, recomputed: MasteryRecomputation?) {
        try app.access(person).require(.admin)
        return try await app.write { tx in
            var target = try tx.referentials.target(code: code, version: version)
            guard method != nil || rollUp != nil else { return (target, nil) }
            target.policy.method = method ?? target.policy.method
            target.rollUpRule = rollUp ?? target.rollUpRule
            try tx.referentials.setPolicy(method: target.policy.method, rollUp: target.rollUpRule, referentialID: target.id)
            return (target, try tx.masteries.recompute(referentialID: target.id, now: Date(), cause: .methodChange))
        }
    }

    /// Moves classes or groups to a version of a referential: their grids show it and record
    /// in it. Levels need nothing recomputed: evidence of earlier versions already counts.
    /// The school's team decides (a teacher reads the choice on the grid).
    public func adopt(code: String, version: String, divisions: [String], uai: String? = nil, year: SchoolYear? = nil,
                      by person: ActingPerson) async throws {
        let access = app.access(person, year: year ?? app.year)
        try access.require(.admin)
        try await app.write { tx in
            for divisionCode in divisions {
                let division = try access.requireDivision(divisionCode, uai: uai, in: tx)
                try tx.referentials.chooseVersion(code: code, version: version, divisionID: division.id)
            }
        }
    }
}
