import AcquisApp
import AcquisOpenBadges
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import AcquisWeb
import Foundation

/// A copy of the demo school of `Samples/`, for one test to read and write.
public struct DemoCopy: Sendable {
    public let database: AcquisDatabase
    /// The database file, for commands run on it.
    public let path: String
    /// The school's signing keys.
    public let keys: String

    /// The id of the student with this INE.
    public func studentID(_ ine: String) async throws -> Int64 {
        try await database.writer.read { try SchoolStore().student(.ine(ine), in: $0).id }
    }
}

/// The demo school loaded once, in process, by the application core (no binary), then copied
/// for each test so that tests may write.
public enum DemoDatabase {
    static let loaded = Task<(database: String, keys: String), any Error> {
        let folder = Fixtures.folder.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("acquis.sqlite").path, keys = folder.appendingPathComponent("cles").path
        let school = DemoSchool(root: Fixtures.repositoryRoot.path, keys: KeyDirectory(path: keys), publicURL: "http://acquis.test")
        // bcrypt's lowest cost: the demo's passwords are checked, not defended, in tests.
        try await school.load(into: App(storage: try AcquisDatabase(path: path)), hash: { Passwords.hash($0, cost: 4) })
        return (path, keys)
    }

    /// A fresh copy of the demo school.
    public static func copy() async throws -> DemoCopy {
        let source = try await loaded.value
        let folder = Fixtures.folder.appendingPathComponent("copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("acquis.sqlite").path, keys = folder.appendingPathComponent("cles").path
        try FileManager.default.copyItem(atPath: source.database, toPath: path)
        try FileManager.default.copyItem(atPath: source.keys, toPath: keys)
        return DemoCopy(database: try AcquisDatabase(path: path), path: path, keys: keys)
    }
}
