import AcquisSSO
import AcquisTestSupport
import Foundation
import Testing

/// The service provider's checks on responses of a real identity provider (pysaml2, from
/// PyPI), each variant asked of the IdP or made from a genuine response.
@Suite("SAML responses from a real identity provider", .serialized,
       .enabled(if: SSOServers.available, "the sso venv or xmlsec1 missing: run Tests/Validators/install.sh"))
struct SAMLResponseTests {
    static let student = SSOServers.Person(password: "mot-de-passe", attributes: [
        EduConnectAttribute.identifier: ["a1b2c3d4e5"],
        EduConnectAttribute.affiliation: ["eleve2d"],
        EduConnectAttribute.lastName: ["BONNET"],
        EduConnectAttribute.firstName: ["Emma"],
        EduConnectAttribute.birthDate: ["2010-03-14"],
    ])

    /// A service provider whose metadata the IdP reads from a file, and the IdP.
    final class Pair: @unchecked Sendable {
        let serviceProvider: SAMLServiceProvider
        let identityProvider: SAMLIdentityProvider
        let server: SSOServers.Running
        let folder: URL

        init() async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-sp-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let key = try SAMLServiceProvider.newKey(commonName: "Acquis (test)")
            serviceProvider = SAMLServiceProvider(entityID: "http://127.0.0.1:9/saml/metadonnees",
                                                  assertionConsumerURL: "http://127.0.0.1:9/saml/acs",
                                                  privateKeyPEM: key.privateKeyPEM, certificate: key.certificate)
            let metadata = folder.appendingPathComponent("sp.xml")
            try Data(serviceProvider.metadata.utf8).write(to: metadata)
            server = try SSOServers.identityProvider(people: ["emma.bonnet": SAMLResponseTests.student],
                                                     serviceProviderMetadata: metadata.absoluteString)
            let idpMetadata = try await PlainHTTP().get(server.base + "/idp.xml")
            identityProvider = try SAMLIdentityProvider(metadata: Array(idpMetadata.body.utf8))
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        /// Signs in at the IdP and returns the request id and the posted `SAMLResponse`.
        func response(variant: String = "") async throws -> (requestID: String, response: String) {
            let browser = PlainHTTP()
            let request = try serviceProvider.authenticationRequest(to: identityProvider, relayState: "etat")
            let form = try await browser.get(request.url.absoluteString)
            let key = try #require(PlainHTTP.field("cle", in: form.body), "\(form.body)")
            let posted = try await browser.post(server.base + "/sso/login",
                                                form: ["cle": key, "utilisateur": "emma.bonnet", "mot_de_passe": "mot-de-passe", "variante": variant])
            let response = try #require(PlainHTTP.field("SAMLResponse", in: posted.body), "\(posted.body)")
            return (request.id, response)
        }

        func verify(_ response: String, requestID: String, now: Date = Date()) throws -> SAMLAssertion {
            try SAMLResponseMessage(base64: response).verify(serviceProvider: serviceProvider, identityProvider: identityProvider,
                                                            requestID: requestID, now: now)
        }
    }

    @Test("an encrypted, signed assertion is decrypted with our key, verified with the IdP's certificate, and its attributes read")
    func genuine() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response()
        #expect(!String(decoding: Data(base64Encoded: response)!, as: UTF8.self).contains("BONNET"), "the assertion travels encrypted")
        let assertion = try pair.verify(response, requestID: id)
        #expect(assertion.attribute(EduConnectAttribute.identifier) == "a1b2c3d4e5")
        #expect(assertion.attribute(EduConnectAttribute.lastName) == "BONNET")
        #expect(assertion.attribute(EduConnectAttribute.birthDate) == "2010-03-14")
        #expect(assertion.notOnOrAfter > Date())
    }

    /// The verifier's answer for a response: the refusal, or nil when accepted.
    static func refusal(_ body: () throws -> SAMLAssertion) -> SAMLRefusal? {
        do { _ = try body(); return nil } catch let refusal as SAMLRefusal { return refusal } catch { return nil }
    }

    /// A genuine response in clear, as XML text to alter.
    static func clear(_ pair: Pair) async throws -> (requestID: String, xml: String) {
        let (id, response) = try await pair.response(variant: "clair")
        return (id, String(decoding: Data(base64Encoded: response)!, as: UTF8.self))
    }

    static func encoded(_ xml: String) -> String { Data(xml.utf8).base64EncodedString() }

    @Test("a response in clear verifies too, and the same with one attribute altered is refused: the signature no longer matches")
    func tampered() async throws {
        let pair = try await Pair()
        let (id, xml) = try await Self.clear(pair)
        #expect(Self.refusal { try pair.verify(Self.encoded(xml), requestID: id) } == nil)
        let altered = xml.replacingOccurrences(of: "a1b2c3d4e5", with: "a1b2c3d4e6")
        #expect(altered != xml)
        #expect(Self.refusal { try pair.verify(Self.encoded(altered), requestID: id) } == .badSignature)
    }

    @Test("an assertion signed by another key than the one of the IdP's metadata is refused, whatever certificate it carries")
    func otherKey() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response(variant: "autre-cle")
        #expect(Self.refusal { try pair.verify(response, requestID: id) } == .badSignature)
    }

    @Test("signature wrapping: a forged assertion beside or around the signed one is refused")
    func wrapped() async throws {
        let pair = try await Pair()
        let (id, xml) = try await Self.clear(pair)
        let start = try #require(xml.range(of: "<ns1:Assertion "))
        let end = try #require(xml.range(of: "</ns1:Assertion>"))
        let signed = String(xml[start.lowerBound..<end.upperBound])
        let forged = signed.replacingOccurrences(of: "a1b2c3d4e5", with: "f0f0f0f0f0")
            .replacingOccurrences(of: #"ID="id-"#, with: #"ID="evil-"#)
        // The forged assertion first, the genuine one kept beside it for the signature to find.
        let beside = xml.replacingOccurrences(of: signed, with: forged + signed)
        #expect(Self.refusal { try pair.verify(Self.encoded(beside), requestID: id) } == .unexpectedStructure)
        // The genuine assertion hidden inside the forged one's Advice.
        let inside = xml.replacingOccurrences(of: signed, with: forged.replacingOccurrences(
            of: "</ns1:Assertion>", with: "<ns1:Advice>\(signed)</ns1:Advice></ns1:Assertion>"))
        #expect(Self.refusal { try pair.verify(Self.encoded(inside), requestID: id) } != nil)
        // The signature moved onto the forged assertion: its reference names another element.
        let sigStart = try #require(signed.range(of: "<ns2:Signature"))
        let sigEnd = try #require(signed.range(of: "</ns2:Signature>"))
        let signature = String(signed[sigStart.lowerBound..<sigEnd.upperBound])
        let moved = xml.replacingOccurrences(of: signed, with: forged)
        #expect(moved.contains(signature))
        #expect(Self.refusal { try pair.verify(Self.encoded(moved), requestID: id) } == .badSignature)
    }

    @Test("two elements with the same ID are refused before any signature is checked")
    func duplicateIDs() async throws {
        let pair = try await Pair()
        let (id, xml) = try await Self.clear(pair)
        let assertionID = try #require(xml.firstMatch(of: /Assertion Version="2.0" ID="([^"]+)"/)?.1)
        let duplicated = xml.replacingOccurrences(of: "<ns0:Status>", with: "<ns0:Extensions><x ID=\"\(assertionID)\"/></ns0:Extensions><ns0:Status>")
        #expect(Self.refusal { try pair.verify(Self.encoded(duplicated), requestID: id) } == .duplicateID)
    }

    @Test("an assertion for another service provider is refused (Audience)")
    func wrongAudience() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response(variant: "audience")
        #expect(Self.refusal { try pair.verify(response, requestID: id) } == .wrongAudience)
    }

    @Test("an assertion past its NotOnOrAfter (beyond two minutes of clock skew) is refused; within the skew it passes")
    func expired() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response()
        let assertion = try pair.verify(response, requestID: id)
        #expect(Self.refusal { try pair.verify(response, requestID: id, now: assertion.notOnOrAfter.addingTimeInterval(60)) } == nil)
        #expect(Self.refusal { try pair.verify(response, requestID: id, now: assertion.notOnOrAfter.addingTimeInterval(121)) } == .expired)
        #expect(Self.refusal { try pair.verify(response, requestID: id, now: Date().addingTimeInterval(-600)) } == .notYetValid)
    }

    @Test("a response nobody asked for (no InResponseTo), or answering another request, is refused")
    func unsolicited() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response(variant: "non-sollicite")
        #expect(Self.refusal { try pair.verify(response, requestID: id) } == .unsolicited)
        let (_, other) = try await pair.response()
        #expect(Self.refusal { try pair.verify(other, requestID: id) } == .unknownRequest)
    }

    @Test("not base64, not XML, a DOCTYPE (entities), or another document than a Response: refused as malformed")
    func malformed() async throws {
        let pair = try await Pair()
        let (id, xml) = try await Self.clear(pair)
        let doctype = xml.replacingOccurrences(of: "<?xml version=\"1.0\"?>",
                                               with: "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]>")
        for input in ["%%%", Self.encoded("pas du XML"), Self.encoded(doctype), Self.encoded("<a/>"), ""] {
            #expect(Self.refusal { try pair.verify(input, requestID: id) } == .malformed)
        }
    }

    @Test("an assertion signed with RSA-SHA1 and SHA-1 digests is refused: only RSA-SHA256 and SHA-256 are enabled")
    func sha1Refused() async throws {
        let pair = try await Pair()
        let (id, response) = try await pair.response(variant: "sha1")
        #expect(Self.refusal { try pair.verify(response, requestID: id) } == .badSignature)
    }
}
