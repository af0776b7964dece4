import Crypto
import Foundation

/// What the database keeps of a secret it must recognise but never give back — a session
/// key, a setup link, an activation code: its SHA-256, in hexadecimal. A copy of the
/// database then opens nothing.
public enum StoredSecret {
    /// A new secret for a link: 256 random bits, URL-safe base64 without padding.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
