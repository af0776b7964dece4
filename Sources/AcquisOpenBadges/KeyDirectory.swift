import AcquisBadges
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the issuer's private keys live: one PEM file per key, readable by its owner only,
/// outside the database and every export. The database keeps the public halves.
public struct KeyDirectory: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public func file(for keyID: String) -> String { "\(path)/\(keyID).pem" }

    /// Writes a new key file with mode 0600 (in a folder created with mode 0700 when missing;
    /// an existing folder keeps its mode). Never overwrites a key.
    public func store(_ key: PrivateSigningKey) throws(KeyFileError) {
        try writeFile(Array(key.pemRepresentation.utf8), keyID: key.key.id)
    }

    /// Copies the key file `keyID` into `other` (a school's keys joining the académie's), with
    /// the same care as ``store(_:)``. A file already there with the same bytes is left as it
    /// is (`false`); one with other bytes is never replaced.
    @discardableResult
    public func copyKey(_ keyID: String, to other: KeyDirectory) throws(KeyFileError) -> Bool {
        let source = file(for: keyID)
        guard let bytes = FileManager.default.contents(atPath: source) else { throw .missing(source, keyID) }
        if let existing = FileManager.default.contents(atPath: other.file(for: keyID)) {
            guard existing == bytes else { throw .cannotWrite(other.file(for: keyID), EEXIST) }
            return false
        }
        try other.writeFile(Array(bytes), keyID: keyID)
        return true
    }

    private func writeFile(_ bytes: [UInt8], keyID: String) throws(KeyFileError) {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectoryIfMissing(path)
            guard chmod(path, 0o700) == 0 else { throw .cannotWrite(path, errno) }
        }
        let target = file(for: keyID)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(target, errno) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw .cannotWrite(target, errno) }
    }

    /// Reads the private half of a published key. Refuses a file others can read.
    public func load(_ key: IssuerKey) throws(KeyFileError) -> PrivateSigningKey {
        let target = file(for: key.id)
        var status = stat()
        guard stat(target, &status) == 0 else { throw .missing(target, key.id) }
        guard status.st_mode & 0o077 == 0 else { throw .tooOpen(target) }
        guard let pem = try? String(contentsOfFile: target, encoding: .utf8),
              let signingKey = try? PrivateSigningKey(pem: pem, for: key) else { throw .unreadable(target) }
        return signingKey
    }
}

public enum KeyFileError: Error, Equatable, CustomStringConvertible {
    case cannotWrite(String, Int32)
    case missing(String, String)
    case tooOpen(String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let code):
            "impossible d’écrire la clé privée \(path) : \(String(cString: strerror(code)))"
        case .missing(let path, let id):
            "clé privée \(id) introuvable (\(path)) : indiquez le dossier des clés avec --cles ou ACQUIS_KEYS"
        case .tooOpen(let path):
            "la clé privée \(path) est lisible par d’autres utilisateurs : rendez-la privée avec « chmod 600 \(path) »"
        case .unreadable(let path):
            "la clé privée \(path) est illisible ou ne correspond pas à la clé publiée"
        }
    }
}

extension FileManager {
    func createDirectoryIfMissing(_ path: String) throws(KeyFileError) {
        do {
            try createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotWrite(path, EACCES)
        }
    }
}
