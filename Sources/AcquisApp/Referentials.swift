import AcquisCore
import AcquisGrading
import AcquisStorage
import AcquisStore
import GRDB

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
        try await app.read { try ReferentialStore().summaries(in: $0) }
    }

    /// One version of a referential, or its newest.
    public func referential(code: String, version: String? = nil) async throws -> Referential {
        try await app.read { try ReferentialStore().referential(code: code, version: version, in: $0) }
    }

    /// How a referential about to be published continues the version before it (nil without
    /// an earlier version), with the correspondence the publisher gives.
    public func continuity(of referential: Referential, correspondence: Correspondence? = nil) async throws -> VersionContinuity? {
        try await app.read { try ReferentialStore().continuity(of: referential, correspondence: correspondence, in: $0) }
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
        try Access(person: person, year: app.year).require(.inspector, .admin)
        return try await app.write { db in
            var publication = Publication()
            var applied = false
            let read = try source { referential, format in
                let continues = correspondence.map {
                    $0.referentialCode == referential.code && $0.toVersion == referential.version
                } ?? false
                applied = applied || continues
                switch try ReferentialStore().save(referential, format: format,
                                                   correspondence: continues ? correspondence : nil, in: db) {
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

    /// Keeps a file an inspector sent, as sent, until it is published.
    public func saveDraft(fileName: String, content: [UInt8], by person: ActingPerson) async throws -> Int64 {
        try Access(person: person, year: app.year).require(.inspector, .admin)
        return try await app.write { db in
            try ReferentialDraftStore().save(fileName: fileName, content: content, uploadedBy: person.signature ?? "", in: db)
        }
    }

    /// A file an inspector sent.
    public func draft(id: Int64, by person: ActingPerson) async throws -> ReferentialDraft? {
        try Access(person: person, year: app.year).require(.inspector, .admin)
        return try await app.read { try ReferentialDraftStore().draft(id: id, in: $0) }
    }

    /// Publishes the referential read from a draft, and marks the draft published, in one
    /// transaction.
    @discardableResult
    public func publishDraft(id: Int64, as referential: Referential, correspondence: Correspondence? = nil,
                             by person: ActingPerson) async throws -> SaveOutcome {
        try Access(person: person, year: app.year).require(.inspector, .admin)
        return try await app.write { db in
            try Self.publish(referential, correspondence: correspondence, draft: id, db)
        }
    }

    /// Keeps a file sent in one request and publishes the referential read from it, in one
    /// transaction: a refused publication leaves no draft behind.
    @discardableResult
    public func publishUpload(fileName: String, content: [UInt8], as referential: Referential,
                              by person: ActingPerson) async throws -> SaveOutcome {
        try Access(person: person, year: app.year).require(.inspector, .admin)
        return try await app.write { db in
            let draft = try ReferentialDraftStore().save(fileName: fileName, content: content, uploadedBy: person.signature ?? "", in: db)
            return try Self.publish(referential, correspondence: nil, draft: draft, db)
        }
    }

    private static func publish(_ referential: Referential, correspondence: Correspondence?, draft: Int64,
                                _ db: Database) throws -> SaveOutcome {
        let outcome = try ReferentialStore().save(referential, format: "acquis", correspondence: correspondence, in: db)
        let stored = try ReferentialStore().target(code: referential.code, version: referential.version, in: db).id
        try ReferentialDraftStore().markPublished(id: draft, as: stored, in: db)
        return outcome
    }

    /// Chooses how a referential version computes levels and rolls them up, then recomputes
    /// them and checks its badge rules. Nil `method` or `rollUp` keeps the current one.
    public func setMethod(code: String, version: String?, method: MasteryMethod?, rollUp: RollUpRule?,
                          by person: ActingPerson) async throws -> (target: ReferentialTarget, recomputed: MasteryRecomputation?) {
        try Access(person: person, year: app.year).require(.admin)
        return try await app.write { db in
            var target = try ReferentialStore().target(code: code, version: version, in: db)
            guard method != nil || rollUp != nil else { return (target, nil) }
            target.policy.method = method ?? target.policy.method
            target.rollUpRule = rollUp ?? target.rollUpRule
            try ReferentialStore().setPolicy(method: target.policy.method, rollUp: target.rollUpRule, referentialID: target.id, in: db)
            return (target, try MasteryStore().recompute(referentialID: target.id, in: db))
        }
    }

    /// Moves classes or groups to a version of a referential: their grids show it and record
    /// in it. Levels need nothing recomputed: evidence of earlier versions already counts.
    /// The school's team decides (a teacher reads the choice on the grid).
    public func adopt(code: String, version: String, divisions: [String], uai: String? = nil, year: SchoolYear? = nil,
                      by person: ActingPerson) async throws {
        let access = Access(person: person, year: year ?? app.year)
        try access.require(.admin)
        try await app.write { db in
            for divisionCode in divisions {
                let division = try access.requireDivision(divisionCode, uai: uai, in: db)
                try ReferentialStore().chooseVersion(code: code, version: version, divisionID: division.id, in: db)
            }
        }
    }
}
