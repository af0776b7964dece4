import Crypto
import Foundation

/// What the database keeps of a secret it must recognise but never give back — a session
/// key, a setup link, an activation code: its SHA-256, in hexadecimal. A copy of the
/// database then opens nothing.
public enum StoredSecret {
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
