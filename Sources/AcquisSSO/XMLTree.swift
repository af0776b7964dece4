import CXMLSec
import Foundation

/// A parsed XML document of a sign-in protocol, read through libxml2's tree. Parsing refuses
/// any DOCTYPE (no entity, no DTD, nothing fetched): CAS and SAML messages never carry one.
final class XMLTree {
    let document: xmlDocPtr

    /// Nil when the bytes are not well-formed XML or declare a document type.
    init?(_ bytes: [UInt8]) {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue)
        guard bytes.count < 1 << 22,
              let document = bytes.withUnsafeBufferPointer({ buffer in
                  buffer.baseAddress.map { base in
                      base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                          xmlReadMemory($0, Int32(buffer.count), "message.xml", "UTF-8", options)
                      }
                  } ?? nil
              })
        else { return nil }
        guard document.pointee.intSubset == nil, document.pointee.extSubset == nil, xmlDocGetRootElement(document) != nil else {
            xmlFreeDoc(document)
            return nil
        }
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    var root: XMLElement { XMLElement(node: xmlDocGetRootElement(document)) }
}

/// An element of an ``XMLTree``, valid while its tree lives.
struct XMLElement {
    let node: xmlNodePtr

    var name: String { String(cString: node.pointee.name) }
    var namespace: String? { node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } } }

    func `is`(_ name: String, in namespace: String) -> Bool { self.name == name && self.namespace == namespace }

    /// Element children, in order.
    var children: [XMLElement] {
        var found: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { found.append(XMLElement(node: current)) }
            child = current.pointee.next
        }
        return found
    }

    func children(_ name: String, in namespace: String) -> [XMLElement] { children.filter { $0.is(name, in: namespace) } }
    func child(_ name: String, in namespace: String) -> XMLElement? { children.first { $0.is(name, in: namespace) } }

    /// Every element below this one (not itself), depth first.
    var descendants: [XMLElement] {
        children.flatMap { [$0] + $0.descendants }
    }

    /// An attribute without namespace.
    func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(node, name) else { return nil }
        defer { acquis_xmlFree(value) }
        return String(cString: value)
    }

    /// The text inside, trimmed.
    var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { acquis_xmlFree(content) }
        return String(cString: content).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Namespaces of the messages read here.
enum XMLNamespace {
    static let cas = "http://www.yale.edu/tp/cas"
    static let protocol_ = "urn:oasis:names:tc:SAML:2.0:protocol"
    static let assertion = "urn:oasis:names:tc:SAML:2.0:assertion"
    static let metadata = "urn:oasis:names:tc:SAML:2.0:metadata"
    static let signature = "http://www.w3.org/2000/09/xmldsig#"
    static let encryption = "http://www.w3.org/2001/04/xmlenc#"
}
