import AcquisStorage
import AcquisStore
import Foundation
import Synchronization
import Testing

/// What a request costs the database: on an académie's server every transaction is several
/// round trips, paid by every page of every teacher.
@Suite("Web app: transactions per request")
struct WebRequestCostTests {
    /// The storage the web app is given, counting the transactions it opens.
    final class CountingStorage: Storage {
        let base: any Storage
        let transactions = Mutex(0)

        init(_ base: any Storage) { self.base = base }

        var count: Int { transactions.withLock { $0 } }

        func read<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
            transactions.withLock { $0 += 1 }
            return try await base.read(body)
        }

        func write<T: Sendable>(_ body: @Sendable @escaping (any StorageTransaction) throws -> T) async throws -> T {
            transactions.withLock { $0 += 1 }
            return try await base.write(body)
        }
    }

    /// The web app on the demo school, and the storage counting its transactions.
    static func countingFixture() async throws -> (WebFixture, CountingStorage) {
        let counting = Mutex<CountingStorage?>(nil)
        let fixture = try await WebFixture(storage: { database in
            let storage = CountingStorage(database)
            counting.withLock { $0 = storage }
            return storage
        })
        return (fixture, try #require(counting.withLock { $0 }))
    }

    @Test("a signed-in request reads its session and its account in one transaction")
    func sessionAndAccountTogether() async throws {
        let (fixture, storage) = try await Self.countingFixture()
        try await fixture.test { client in
            try await client.signIn("t-lycee")
            let before = storage.count
            // The home address only sends each person to their own page: nothing but who asks is read.
            let page = try await client.get("/")
            #expect(page.status == .found)
            #expect(page.location == "/enseignant")
            #expect(storage.count - before == 1)
        }
    }

    @Test("recording an evaluation through the API is one transaction besides the identity's")
    func recordingThroughTheAPI() async throws {
        let (fixture, storage) = try await Self.countingFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.api("/api/v1/session", method: .post,
                                     json: #"{"identifiant": "t-lycee", "motDePasse": "\#(WebFixture.password)"}"#)
            let before = storage.count
            let response = try await client.api("/api/v1/evaluations", method: .post, json: """
                {"eleve": \(lea), "referentiel": "CAP-EPC", "competence": "B1.2", "niveau": "A"}
                """)
            #expect(response.status == .created)
            #expect(storage.count - before == 2)
        }
    }
}
