import CXMLSec
import Foundation

/// What a verified assertion says, read only from the element whose signature was checked.
public struct SAMLAssertion: Equatable, Sendable {
    /// The assertion's id: kept until ``notOnOrAfter`` so that it is accepted once.
    public var id: String
    public var nameID: String?
    /// Values by attribute `Name` (`urn:oid:…`) and by `FriendlyName` when there is one.
    public var attributes: [String: [String]]
    /// The last instant the assertion may be used.
    public var notOnOrAfter: Date

    public func attribute(_ names: String...) -> String? {
        names.lazy.compactMap { self.attributes[$0]?.first { !$0.isEmpty } }.first
    }
}

/// Why a SAML response is refused, for each front end to word. None carries message content.
public enum SAMLRefusal: Error, Equatable, Sendable {
    /// Not base64, not XML, a DOCTYPE, or not a `samlp:Response`.
    case malformed
    /// The identity provider says the sign-in failed (its status code).
    case failedStatus(String)
    /// No `InResponseTo`: a response Acquis did not ask for.
    case unsolicited
    /// `InResponseTo` names no request still waiting (unknown, expired or already answered).
    case unknownRequest
    /// The response answers a request another browser started (a sign-in forced on someone).
    case otherBrowser
    /// An encrypted assertion that our key does not open.
    case undecryptable
    /// Two elements share an `ID`.
    case duplicateID
    /// The assertion is not signed.
    case unsigned
    /// A signature does not verify with the identity provider's certificate.
    case badSignature
    /// Not exactly one assertion, or a signature elsewhere than on the response or the assertion.
    case unexpectedStructure
    case wrongIssuer
    /// `Destination` or `Recipient` is not our consumer address.
    case wrongDestination
    case wrongAudience
    case notBearer
    case expired
    case notYetValid
    /// The assertion was already used.
    case replayed
}

/// A `SAMLResponse` posted to the consumer address, parsed but not yet trusted.
public final class SAMLResponseMessage {
    private let tree: XMLTree

    /// The form field's value: base64 of the response document.
    public init(base64: String) throws(SAMLRefusal) {
        guard base64.utf8.count < 1 << 22,
              let bytes = Data(base64Encoded: base64.filter { !$0.isWhitespace }),
              let tree = XMLTree(Array(bytes)),
              tree.root.is("Response", in: XMLNamespace.protocol_)
        else { throw .malformed }
        self.tree = tree
    }

    /// The request the response says it answers: only to find which request and school it is
    /// about. The signed assertion must say the same.
    public var inResponseTo: String? { tree.root.attribute("InResponseTo").flatMap { $0.isEmpty ? nil : $0 } }

    /// Every check of a response, in order; the assertion, read from its verified element only.
    public func verify(serviceProvider: SAMLServiceProvider, identityProvider: SAMLIdentityProvider, requestID: String,
                       now: Date = Date(), skew: TimeInterval = 120) throws(SAMLRefusal) -> SAMLAssertion
    {
        guard SAMLCrypto.ready else { throw .malformed }
        let response = tree.root
        let status = response.child("Status", in: XMLNamespace.protocol_)?.child("StatusCode", in: XMLNamespace.protocol_)?.attribute("Value")
        guard status == SAMLBinding.success else { throw .failedStatus(status ?? "") }
        guard let inResponseTo else { throw .unsolicited }
        guard inResponseTo == requestID else { throw .unknownRequest }
        if let destination = response.attribute("Destination"), destination != serviceProvider.assertionConsumerURL {
            throw .wrongDestination
        }
        try decryptAssertions(with: serviceProvider)
        // Exactly one assertion, a direct child of the response (clear) or of its encrypted wrapper.
        let assertions = response.children("Assertion", in: XMLNamespace.assertion)
            + response.children("EncryptedAssertion", in: XMLNamespace.assertion).flatMap { $0.children("Assertion", in: XMLNamespace.assertion) }
        guard assertions.count == 1, let assertion = assertions.first, response.children.count == Set(response.children.map(\.node)).count
        else { throw .unexpectedStructure }
        try refuseDuplicateIDs()
        acquis_xmlsec_add_ids(tree.document, response.node)
        // Signatures only where they belong: on the assertion (required) and on the response.
        let signatures = tree.root.descendants.filter { $0.is("Signature", in: XMLNamespace.signature) }
        let placed = signatures.filter { signature in
            [response.node, assertion.node].contains(signature.node.pointee.parent)
        }
        guard placed.count == signatures.count else { throw .unexpectedStructure }
        guard let assertionSignature = assertion.child("Signature", in: XMLNamespace.signature) else { throw .unsigned }
        try verify(assertionSignature, of: assertion, with: identityProvider)
        if let responseSignature = response.child("Signature", in: XMLNamespace.signature) {
            try verify(responseSignature, of: response, with: identityProvider)
        }
        return try read(assertion, serviceProvider: serviceProvider, identityProvider: identityProvider, requestID: requestID,
                        now: now, skew: skew)
    }

    private func decryptAssertions(with serviceProvider: SAMLServiceProvider) throws(SAMLRefusal) {
        let encrypted = tree.root.children("EncryptedAssertion", in: XMLNamespace.assertion)
        guard !encrypted.isEmpty else { return }
        guard let key = SAMLCrypto.privateKey(serviceProvider.privateKeyPEM) else { throw .undecryptable }
        defer { xmlSecKeyDestroy(key) }
        for wrapper in encrypted {
            guard let data = wrapper.child("EncryptedData", in: XMLNamespace.encryption),
                  acquis_xmlsec_decrypt(data.node, key) == 0
            else { throw .undecryptable }
        }
    }

    private func refuseDuplicateIDs() throws(SAMLRefusal) {
        var seen = Set<String>()
        for element in [tree.root] + tree.root.descendants {
            guard let id = element.attribute("ID") else { continue }
            guard seen.insert(id).inserted else { throw .duplicateID }
        }
    }

    /// A signature of `element` by one of the identity provider's certificates, referencing
    /// that element and nothing else.
    private func verify(_ signature: XMLElement, of element: XMLElement, with identityProvider: SAMLIdentityProvider) throws(SAMLRefusal) {
        guard let id = element.attribute("ID"), !id.isEmpty else { throw .badSignature }
        for certificate in identityProvider.signingCertificates {
            guard let key = SAMLCrypto.publicKey(certificate: certificate) else { continue }
            defer { xmlSecKeyDestroy(key) }
            if acquis_xmlsec_verify(signature.node, key, "#" + id) == 1 { return }
        }
        throw .badSignature
    }

    private func read(_ assertion: XMLElement, serviceProvider: SAMLServiceProvider, identityProvider: SAMLIdentityProvider,
                      requestID: String, now: Date, skew: TimeInterval) throws(SAMLRefusal) -> SAMLAssertion
    {
        let saml = XMLNamespace.assertion
        guard assertion.child("Issuer", in: saml)?.text == identityProvider.entityID else { throw .wrongIssuer }
        guard let id = assertion.attribute("ID") else { throw .malformed }
        let subject = assertion.child("Subject", in: saml)
        let bearer = subject?.children("SubjectConfirmation", in: saml).first { $0.attribute("Method") == SAMLBinding.bearer }
        guard let bearer, let data = bearer.child("SubjectConfirmationData", in: saml) else { throw .notBearer }
        guard data.attribute("Recipient") == serviceProvider.assertionConsumerURL else { throw .wrongDestination }
        guard data.attribute("InResponseTo") == requestID else { throw .unknownRequest }
        guard let conditions = assertion.child("Conditions", in: saml) else { throw .malformed }
        if let notBefore = SAMLTime.parse(conditions.attribute("NotBefore")), now.addingTimeInterval(skew) < notBefore {
            throw .notYetValid
        }
        let limits = [data.attribute("NotOnOrAfter"), conditions.attribute("NotOnOrAfter")].compactMap { $0 }
        let parsed = limits.compactMap(SAMLTime.parse)
        guard !parsed.isEmpty, parsed.count == limits.count, let notOnOrAfter = parsed.min() else { throw .malformed }
        guard now.addingTimeInterval(-skew) < notOnOrAfter else { throw .expired }
        let restrictions = conditions.children("AudienceRestriction", in: saml)
        guard !restrictions.isEmpty,
              restrictions.allSatisfy({ $0.children("Audience", in: saml).contains { $0.text == serviceProvider.entityID } })
        else { throw .wrongAudience }
        var attributes: [String: [String]] = [:]
        for statement in assertion.children("AttributeStatement", in: saml) {
            for attribute in statement.children("Attribute", in: saml) {
                let values = attribute.children("AttributeValue", in: saml).map(\.text)
                for name in [attribute.attribute("Name"), attribute.attribute("FriendlyName")].compactMap({ $0 }) {
                    attributes[name, default: []].append(contentsOf: values)
                }
            }
        }
        return SAMLAssertion(id: id, nameID: subject?.child("NameID", in: saml)?.text, attributes: attributes,
                             notOnOrAfter: notOnOrAfter)
    }
}

/// xmlsec, started once per process, and keys loaded for one check.
enum SAMLCrypto {
    static let ready: Bool = acquis_xmlsec_init() == 0

    static func publicKey(certificate: Data) -> xmlSecKeyPtr? {
        let pem = Array(PEM.armour(certificate, label: "CERTIFICATE").utf8)
        return pem.withUnsafeBufferPointer { acquis_xmlsec_key_from_certificate($0.baseAddress, $0.count) }
    }

    static func privateKey(_ pem: String) -> xmlSecKeyPtr? {
        let bytes = Array(pem.utf8)
        return bytes.withUnsafeBufferPointer { acquis_xmlsec_key_from_private_pem($0.baseAddress, $0.count) }
    }
}

/// EduConnect's attributes (`urn:oid:1.3.6.1.4.1.20326.10.999.1.N`), as the SP reads them.
public enum EduConnectAttribute {
    public static let identifier = "urn:oid:1.3.6.1.4.1.20326.10.999.1.57"
    public static let affiliation = "urn:oid:1.3.6.1.4.1.20326.10.999.1.7"
    public static let birthDate = "urn:oid:1.3.6.1.4.1.20326.10.999.1.67"
    public static let uai = "urn:oid:1.3.6.1.4.1.20326.10.999.1.72"
    public static let lastName = "urn:oid:2.5.4.4"
    public static let firstName = "urn:oid:2.5.4.42"
}
