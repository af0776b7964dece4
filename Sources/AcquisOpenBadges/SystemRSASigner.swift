import COpenSSL
import Foundation

/// RSA PKCS #1 v1.5 signatures with SHA-256 (RS256) through the system's OpenSSL 3. RS256 is
/// deterministic: the bytes are those swift-crypto would give for the same key and input (a
/// test holds the tokens equal), at about twice the speed.
final class SystemRSASigner: @unchecked Sendable {
    // Read-only after init: OpenSSL 3 signs with one key from several threads.
    private let key: OpaquePointer

    /// Nil when OpenSSL cannot read the PEM private key.
    init?(pem: String) {
        let bytes = Array(pem.utf8)
        let read: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let read else { return nil }
        key = read
    }

    deinit { EVP_PKEY_free(key) }

    struct Failure: Error {}

    func sign(_ input: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw Failure() }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw Failure() }
        var length = 0
        guard input.withUnsafeBufferPointer({ EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }) == 1 else {
            throw Failure()
        }
        var signature = [UInt8](repeating: 0, count: length)
        let status = signature.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { EVP_DigestSign(context, out.baseAddress, &length, $0.baseAddress, $0.count) }
        }
        guard status == 1 else { throw Failure() }
        return Array(signature.prefix(length))
    }
}

/// Base64url without padding (RFC 7515), as JWS segments are written.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encoded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        append(bytes, to: &out)
        return out
    }

    static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        let start = out.count, full = bytes.count / 3, rest = bytes.count % 3
        let length = full * 4 + (rest == 0 ? 0 : rest + 1)
        out += repeatElement(0, count: length)
        // Written through pointers: appending byte by byte checked capacity for each, and a
        // badge's token is several kilobytes.
        out.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBufferPointer { input in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var o = start
                    func put(_ value: UInt32, _ characters: Int) {
                        for shift in [18, 12, 6, 0].prefix(characters) {
                            output[o] = alphabet[Int(value >> UInt32(shift) & 63)]
                            o += 1
                        }
                    }
                    for group in 0..<full {
                        let i = group * 3
                        let value = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        output[o] = alphabet[Int(value >> 18)]
                        output[o + 1] = alphabet[Int(value >> 12 & 63)]
                        output[o + 2] = alphabet[Int(value >> 6 & 63)]
                        output[o + 3] = alphabet[Int(value & 63)]
                        o += 4
                    }
                    let i = full * 3
                    switch rest {
                    case 1: put(UInt32(input[i]) << 16, 2)
                    case 2: put(UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8, 3)
                    default: break
                    }
                }
            }
        }
    }
}
