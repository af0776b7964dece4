import AcquisBadges
import Crypto
import Foundation

/// Who a badge is for, as the badge carries it: a salted SHA-256 hash, never the identifier
/// itself. A student proves the badge is theirs by giving the identifier to the verifier.
public struct HashedRecipient: Hashable, Sendable {
    public enum Kind: String, Sendable {
        /// An e-mail address the student chose when downloading the badge.
        case email
        /// The student's national identifier (INE), when no e-mail was given.
        case studentID

        /// The IdentityObject `type` of Open Badges 2.0.
        var ob2Type: String {
            switch self {
            case .email: "email"
            case .studentID: "id"
            }
        }

        /// The IdentityObject `identityType` of Open Badges 3.0.
        var ob3Type: String {
            switch self {
            case .email: "emailAddress"
            case .studentID: "sisSourcedId"
            }
        }

        init?(ob2Type: String) {
            switch ob2Type {
            case "email": self = .email
            case "id": self = .studentID
            default: return nil
            }
        }
    }

    public var kind: Kind
    public var salt: String
    /// `sha256$` + the lower-case hex digest of the identifier followed by the salt.
    public var identityHash: String

    public init(kind: Kind, salt: String, identityHash: String) {
        self.kind = kind
        self.salt = salt
        self.identityHash = identityHash
    }

    /// Hashes an identifier with a salt. E-mail addresses are trimmed and lower-cased first, as
    /// the student will type them again to prove the badge is theirs.
    public static func hashing(_ identifier: String, kind: Kind, salt: String) -> HashedRecipient {
        HashedRecipient(kind: kind, salt: salt, identityHash: hash(normalized(identifier, kind: kind), salt: salt))
    }

    /// A new random salt: 16 hexadecimal digits.
    public static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Whether `identifier` is the one this badge was issued to.
    public func matches(_ identifier: String) -> Bool {
        Self.hash(Self.normalized(identifier, kind: kind), salt: salt) == identityHash.lowercased()
    }

    static func normalized(_ identifier: String, kind: Kind) -> String {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .email: return trimmed.lowercased()
        case .studentID: return trimmed.uppercased()
        }
    }

    static func hash(_ identifier: String, salt: String) -> String {
        let digest = SHA256.hash(data: Data((identifier + salt).utf8))
        return "sha256$" + hex(Array(digest))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
