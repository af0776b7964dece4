import Foundation

/// Files written for one test and removed with their folder when the test process ends.
public enum Fixtures {
    /// A fresh temporary folder for this process.
    public static let folder: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("acquis-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `contents` to a new file and returns its path.
    public static func file(_ contents: String, named name: String = "fixture.xml") -> String {
        file(bytes: Array(contents.utf8), named: name)
    }

    public static func file(bytes: [UInt8], named name: String = "fixture.xml") -> String {
        let url = folder.appendingPathComponent(UUID().uuidString + "-" + name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }

    /// The repository's root, found from this source file.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A production's file from `Tests/AcquisMediaTests/Fixtures` (a phone photo with its GPS
    /// position, a transparent drawing, a pixel bomb).
    public static func production(_ name: String) throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/AcquisMediaTests/Fixtures").appendingPathComponent(name))
    }

    /// Paths of the referential files shipped in `Referentiels/`.
    public static var shippedReferentials: [String] {
        let folder = repositoryRoot.appendingPathComponent("Referentiels")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// A minimal valid referential in the Acquis format, with `body` as its nodes.
    public static func acquisReferential(
        code: String = "TEST", version: String = "1", scale: String = "acquis-4", body: String
    ) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <referential xmlns="urn:acquis:referential:1" code="\(code)" version="\(version)" kind="diplome" scale="\(scale)">
          <title>Référentiel d’essai</title>
        \(body)
        </referential>
        """
    }
}

extension Array where Element == UInt8 {
    /// Whether these bytes hold `subsequence` somewhere: a marker (« Exif », a name) in a file.
    public func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}
