import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import AcquisXML
import Testing

@Suite("Referential store")
struct ReferentialStoreTests {
    let store = ReferentialStore()

    private func shipped() throws -> [Referential] {
        try Fixtures.shippedReferentials.map { try AcquisReferentialReader.read(path: $0) }
    }

    private func renamed(_ referential: Referential, version: String, firstTitle: String) -> Referential {
        var copy = referential
        copy.version = version
        copy.children[0].title = firstTitle
        return copy
    }

    @Test("a stored referential reads back identical, scale and reliability included", arguments: Engine.all)
    func roundTrip(engine: Engine) throws {
        let database = try TestDatabase(engine)
        for referential in try shipped() {
            let stored = try database.write { db in
                try store.save(referential, format: "acquis", in: db)
                return try store.referential(code: referential.code, in: db)
            }
            #expect(stored == referential)
        }
    }

    @Test("an embedded scale is kept with its referential", arguments: Engine.all)
    func embeddedScaleRoundTrip(engine: Engine) throws {
        var referential = try shipped()[0]
        var scale = Scale.benevolent
        scale.code = "ccf"
        scale.levels[0].teacherLabel = "Novice"
        referential.scaleCode = "ccf"
        referential.embeddedScale = scale
        let database = try TestDatabase(engine)
        let stored = try database.write { db in
            try store.save(referential, format: "acquis", in: db)
            return try store.referential(code: referential.code, in: db)
        }
        #expect(stored.embeddedScale == scale)
    }

    @Test("a newer version is added beside the older, which stays readable", arguments: Engine.all)
    func newVersionKeepsOlder(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let v2019 = try shipped()[0]
        let v2023 = renamed(v2019, version: "2023", firstTitle: "Bloc reformulé")
        try database.write { db in
            try store.save(v2023, format: "acquis", in: db)
            try store.save(v2019, format: "acquis", in: db)
        }
        let (latest, older, versions) = try database.read { db in
            (try store.referential(code: v2019.code, in: db),
             try store.referential(code: v2019.code, version: "2019", in: db),
             try store.summaries(in: db).filter { $0.code == v2019.code }.map(\.version))
        }
        #expect(latest == v2023)
        #expect(older == v2019)
        #expect(versions == ["2019", "2023"])
    }

    @Test("importing the same version again changes nothing", arguments: Engine.all)
    func sameContentIsUnchanged(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let referential = try shipped()[0]
        let outcomes = try database.write { db in
            [try store.save(referential, format: "acquis", in: db), try store.save(referential, format: "acquis", in: db)]
        }
        #expect(outcomes == [.inserted, .unchanged])
    }

    @Test("different content under an existing version is refused and the import stores nothing", arguments: Engine.all)
    func conflictingVersionRollsBack(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let all = try shipped()
        _ = try database.write { db in try store.save(all[0], format: "acquis", in: db) }
        let changed = renamed(all[0], version: all[0].version, firstTitle: "Autre libellé")
        #expect(throws: ReferentialStoreError.versionConflict(code: all[0].code, version: all[0].version)) {
            try database.write { db in
                _ = try store.save(all[1], format: "acquis", in: db)
                _ = try store.save(changed, format: "acquis", in: db)
            }
        }
        let (codes, kept) = try database.read { db in
            (try store.summaries(in: db).map(\.code), try store.referential(code: all[0].code, in: db))
        }
        #expect(codes == [all[0].code])
        #expect(kept == all[0])
    }

    @Test("summaries count nodes and evaluable nodes", arguments: Engine.all)
    func summaries(engine: Engine) throws {
        let database = try TestDatabase(engine)
        let referential = try shipped().first { $0.code == "LPC-PALIER3" }!
        let summary = try database.write { db in
            try store.save(referential, format: "acquis", in: db)
            return try store.summaries(in: db)[0]
        }
        #expect(summary.nodeCount == 7 + 26 + 98)
        #expect(summary.evaluableCount == 7 + 98)
    }

    @Test("asking for a missing referential says how to see what is stored", arguments: Engine.all)
    func notFound(engine: Engine) throws {
        let database = try TestDatabase(engine)
        #expect(throws: ReferentialStoreError.notFound(code: "X", version: nil)) {
            try database.read { db in try store.referential(code: "X", in: db) }
        }
    }

    @Test("the database file is created with its folder and migrated")
    func fileDatabase() throws {
        let path = Fixtures.folder.appendingPathComponent("nested/acquis.sqlite").path
        let database = try AcquisDatabase(path: path)
        _ = try database.writer.write { db in try store.save(try shipped()[0], format: "acquis", in: db) }
        let reopened = try AcquisDatabase(path: path)
        #expect(try reopened.writer.read { try store.summaries(in: $0).count } == 1)
    }
}
