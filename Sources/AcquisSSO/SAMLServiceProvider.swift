import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509
import ZIPFoundation

/// Acquis as a SAML 2.0 service provider: its name and addresses, and the RSA key it signs
/// requests with and receives encrypted assertions for.
public struct SAMLServiceProvider: Sendable {
    /// The SP's entity id: the address of its metadata.
    public var entityID: String
    /// Where the identity provider posts responses (HTTP-POST).
    public var assertionConsumerURL: String
    /// The RSA private key, PEM (PKCS #8).
    public var privateKeyPEM: String
    /// The self-signed certificate of that key, DER, published in the metadata.
    public var certificate: Data

    public init(entityID: String, assertionConsumerURL: String, privateKeyPEM: String, certificate: Data) {
        self.entityID = entityID
        self.assertionConsumerURL = assertionConsumerURL
        self.privateKeyPEM = privateKeyPEM
        self.certificate = certificate
    }

    /// A new RSA-2048 key and its self-signed certificate, valid 20 years: identity providers
    /// pin the certificate of the metadata, not a chain.
    public static func newKey(commonName: String, now: Date = Date()) throws -> (privateKeyPEM: String, certificate: Data) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let privateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(String(commonName.prefix(64))) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(20 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
            issuerPrivateKey: privateKey)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (key.pemRepresentation, Data(serializer.serializedBytes))
    }

    /// The metadata identity providers are given: entity id, signed requests, the POST
    /// consumer, and the certificate for signing and for encryption.
    public var metadata: String {
        let certificate = certificate.base64EncodedString()
        let key = { (use: String) in
            "<md:KeyDescriptor use=\"\(use)\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(certificate)</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <md:EntityDescriptor xmlns:md="\(XMLNamespace.metadata)" xmlns:ds="\(XMLNamespace.signature)" entityID="\(Self.escaped(entityID))">\
            <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="\(XMLNamespace.protocol_)">\
            \(key("signing"))\(key("encryption"))\
            <md:AssertionConsumerService Binding="\(SAMLBinding.post)" Location="\(Self.escaped(assertionConsumerURL))" index="0" isDefault="true"/>\
            </md:SPSSODescriptor></md:EntityDescriptor>

            """
    }

    /// A sign-in request for `identityProvider`: its id (to match the response) and the address
    /// the browser is sent to (HTTP-Redirect binding, signed with RSA-SHA256).
    public func authenticationRequest(to identityProvider: SAMLIdentityProvider, relayState: String, now: Date = Date()) throws
        -> (id: String, url: URL)
    {
        let id = "_" + (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let xml = """
            <samlp:AuthnRequest xmlns:samlp="\(XMLNamespace.protocol_)" xmlns:saml="\(XMLNamespace.assertion)" \
            ID="\(id)" Version="2.0" IssueInstant="\(SAMLTime.format(now))" \
            Destination="\(Self.escaped(identityProvider.signOnURL.absoluteString))" \
            AssertionConsumerServiceURL="\(Self.escaped(assertionConsumerURL))" ProtocolBinding="\(SAMLBinding.post)">\
            <saml:Issuer>\(Self.escaped(entityID))</saml:Issuer></samlp:AuthnRequest>
            """
        let deflated = try Self.deflate(Array(xml.utf8))
        var query = "SAMLRequest=\(CASServer.formEncoded(Data(deflated).base64EncodedString()))"
        query += "&RelayState=\(CASServer.formEncoded(relayState))&SigAlg=\(CASServer.formEncoded(SAMLBinding.rsaSHA256))"
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        let signature = try key.signature(for: SHA256.hash(data: Data(query.utf8)), padding: .insecurePKCS1v1_5)
        query += "&Signature=\(CASServer.formEncoded(signature.rawRepresentation.base64EncodedString()))"
        var components = URLComponents(url: identityProvider.signOnURL, resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = [components.percentEncodedQuery, query].compactMap { $0 }.joined(separator: "&")
        return (id, components.url!)
    }

    /// Raw DEFLATE (RFC 1951), as the HTTP-Redirect binding wants it.
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        _ = try Data.compress(size: Int64(bytes.count), bufferSize: 64 * 1024, provider: { position, size in
            Data(bytes[Int(position)..<min(bytes.count, Int(position) + size)])
        }, consumer: { output.append(contentsOf: $0) })
        return output
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// SAML's dateTime: UTC, seconds, optional fraction.
enum SAMLTime {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
