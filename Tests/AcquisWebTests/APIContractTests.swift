import AcquisStorage
import AcquisStore
import AcquisTestSupport
import Foundation
import GRDB
import HTTPTypes
import Testing

/// The OpenAPI document kept in the repository, checked against the running app: every
/// documented operation answers, with a documented status and a body of the documented shape.
@Suite("Web app: OpenAPI document")
struct APIContractTests {
    static let documentPath = Fixtures.repositoryRoot.appendingPathComponent("Sources/AcquisWeb/Public/openapi.json").path
    static let logins = ["teacher": "t-lycee", "student": "t-lea", "inspector": "t-inspection", "family": "t-famille-lea",
                         "admin": "t-direction"]

    @Test("every documented operation answers as documented")
    func operations() async throws {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.documentPath))) as! [String: Any]
        let schemas = (document["components"] as! [String: Any])["schemas"] as! [String: Any]
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let (uuid, request) = try await fixture.database.writer.read { db in
            (try BadgeStore().awards(studentID: lea, in: db).first!.uuid,
             try Int64.fetchOne(db, sql: "SELECT id FROM evaluationRequest WHERE status = 'ouverte' LIMIT 1")!)
        }
        let served = try await fixture.test { try await $0.get("/api/openapi.json").bytes }
        #expect(served == [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))), "served document is the repository's")

        var checked = 0
        var staged: String?
        var exported: String?
        let paths = document["paths"] as! [String: [String: Any]]
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, value) in operations.sorted(by: { $0.key > $1.key }) {
                let operation = value as! [String: Any]
                let role = operation["x-acquis-role"] as! String
                var target = path.replacingOccurrences(of: "{code}", with: "2CAP-EPC").replacingOccurrences(of: "{uuid}", with: uuid)
                target = target.replacingOccurrences(of: "{id}", with: path.contains("demandes") ? "\(request)"
                                                      : path.contains("imports") ? staged ?? "0"
                                                      : path.contains("exports") ? exported ?? "0" : "\(lea)")
                if path.hasSuffix("/grille") { target += "?referentiel=CAP-EPC" }
                let uri = target
                let (type, body) = Self.example(operation, lea: lea)
                let responses = operation["responses"] as! [String: Any]
                let answer = try await fixture.test { client -> WebClient.Page in
                    if role != "none" {
                        let session = try await client.api("/api/v1/session", method: .post,
                            json: #"{"identifiant": "\#(Self.logins[role]!)", "motDePasse": "\#(WebFixture.password)"}"#)
                        #expect(session.status == .ok)
                    }
                    // A file is there once its export ended: wait for it as a client would.
                    if path.hasSuffix("/fichier") {
                        for _ in 0..<200 where !(try await client.api(uri.replacingOccurrences(of: "/fichier", with: "")).text.contains("\"termine\"")) {
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    return try await client.api(uri, method: HTTPRequest.Method(rawValue: method.uppercased())!, body: body, type: type)
                }
                if path == "/api/v1/imports" { staged = answer.text.firstMatch(of: /"id":(\d+)/).map { String($0.1) } }
                if path == "/api/v1/exports/livrets" { exported = answer.text.firstMatch(of: /"id":"([0-9a-f]+)"/).map { String($0.1) } }
                let status = String(answer.status.code)
                #expect(status.hasPrefix("2"), "\(method.uppercased()) \(uri) → \(status): \(answer.text.prefix(300))")
                guard let documented = responses[status] as? [String: Any] else {
                    Issue.record("\(method.uppercased()) \(path): status \(status) is not documented")
                    continue
                }
                if let content = documented["content"] as? [String: Any], let json = content["application/json"] as? [String: Any] {
                    let value = try JSONSerialization.jsonObject(with: Data(answer.bytes), options: [.fragmentsAllowed])
                    let problems = SchemaCheck(schemas: schemas).problems(value, json["schema"]!, at: "$")
                    #expect(problems.isEmpty, "\(method.uppercased()) \(path): \(problems)")
                } else if documented["content"] != nil {
                    #expect(!answer.bytes.isEmpty, "\(method.uppercased()) \(path): a file is documented")
                } else {
                    #expect(answer.bytes.isEmpty, "\(method.uppercased()) \(path): documented without a body")
                }
                checked += 1
            }
        }
        #expect(checked == 43, "every operation of the document, the school's team's included")
    }

    @Test("a protected operation called signed out answers 401 with the documented error")
    func signedOut() async throws {
        let fixture = try await WebFixture()
        let answer = try await fixture.test { try await $0.api("/api/v1/classes") }
        #expect(answer.status == .unauthorized)
        #expect(answer.text.contains("\"erreur\""))
    }

    static func example(_ operation: [String: Any], lea: Int64) -> (type: String, body: [UInt8]?) {
        guard let body = operation["requestBody"] as? [String: Any], let content = body["content"] as? [String: Any],
              let (type, media) = content.first, let example = (media as? [String: Any])?["example"] else { return ("application/json", nil) }
        if let text = example as? String { return (type, Array(text.utf8)) }
        let data = try! JSONSerialization.data(withJSONObject: example)
        let json = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"{lea}\"", with: "\(lea)")
        return (type, Array(json.utf8))
    }
}

/// Enough of JSON Schema for the API's documents: types (with null), required and listed
/// properties, items, map values, enums and references.
struct SchemaCheck {
    var schemas: [String: Any]

    func problems(_ value: Any, _ schema: Any, at path: String) -> [String] {
        guard var schema = schema as? [String: Any] else { return [] }
        if let ref = schema["$ref"] as? String {
            schema = schemas[String(ref.split(separator: "/").last!)] as! [String: Any]
        }
        var found: [String] = []
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [types as! String]
            guard allowed.contains(where: { Self.matches(value, $0) }) else { return ["\(path): not \(allowed)"] }
        }
        if let choices = schema["enum"] as? [String], let text = value as? String, !choices.contains(text) {
            found.append("\(path): \(text) not in \(choices)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path).\(key): missing") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, item) in object {
                if let property = properties[key] {
                    found += problems(item, property, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] {
                    found += problems(item, extra, at: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { found += problems(item, items, at: "\(path)[\(index)]") }
        }
        return found
    }

    static func matches(_ value: Any, _ kind: String) -> Bool {
        switch kind {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        // Foundation reads JSON booleans as a boolean class that also passes `is Int`.
        case "boolean": return String(describing: type(of: value)).contains("Boolean")
        case "integer": return value is Int && !matches(value, "boolean")
        case "number": return value is NSNumber
        default: return false
        }
    }
}
