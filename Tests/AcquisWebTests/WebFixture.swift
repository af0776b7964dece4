import AcquisDemoSupport
import AcquisCore
import AcquisOpenBadges
import AcquisStorage
import AcquisStore
import AcquisTestSupport
import AcquisWeb
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceLifecycle

/// The web app in process (HummingbirdTesting, no network, no binary) on a copy of the demo
/// school, with one test account per role.
struct WebFixture: Sendable {
    /// Test accounts, hashed cheaply: bcrypt's real cost is paid by the demo accounts.
    static let password = "mot-de-passe-de-test"
    static let accounts: [(login: String, role: Role, student: String?, divisions: [String])] = [
        ("t-direction", .admin, nil, []),
        ("t-lycee", .teacher, nil, ["2CAP-EPC"]),
        ("t-college", .teacher, nil, ["3A"]),
        ("t-lea", .student, "9000000001A", []),
        ("t-famille-lea", .family, "9000000001A", []),
        ("t-autre", .student, "9000000002B", []),
        ("t-inspection", .inspector, nil, []),
        ("t-academie", .academy, nil, []),
    ]

    let database: AcquisDatabase
    let keys: String
    let responder: RouterResponder<WebContext>
    let services: [any Service]

    init(loginAttempts: Int = 5, behindProxy: Bool = false, today: CalendarDate? = nil,
         storage: @Sendable (AcquisDatabase) -> any Storage = { $0 }) async throws {
        let copy = try await DemoDatabase.copy()
        keys = copy.keys
        database = copy.database
        let hash = Passwords.hash(Self.password, cost: 4)
        try await database.writer.write { db in
            for account in Self.accounts {
                try AccountStore().create(NewAccount(login: account.login, passwordHash: hash, role: account.role,
                                                     displayName: account.login, student: account.student.map(StudentReference.ine)), in: db)
                try AccountStore().assign(login: account.login, divisions: account.divisions, year: SchoolYear(containing: .today), in: db)
            }
        }
        let (router, services) = try await WebApp.router(
            storage: storage(database), configuration: WebConfiguration(keys: KeyDirectory(path: keys), loginAttempts: loginAttempts,
                                                              loginDelay: .seconds(60), behindProxy: behindProxy, today: today))
        self.responder = router.buildResponder()
        self.services = services
    }

    func studentID(_ ine: String) async throws -> Int64 {
        try await database.writer.read { try Int64.fetchOne($0, sql: "SELECT id FROM student WHERE ine = ?", arguments: [ine])! }
    }

    /// Runs `body` against the router, without a network.
    func test<T: Sendable>(_ body: @Sendable @escaping (WebClient) async throws -> T) async throws -> T {
        let app = Application(responder: responder, services: services)
        return try await app.test(.router) { client in try await body(WebClient(client: client)) }
    }

    /// Runs `body` against a fresh router on the same database, as after a restart of the server.
    func restarted() async throws -> WebFixture {
        try await WebFixture(reopening: self)
    }

    /// The web app on a blank database, as `acquis serve` finds it on the first run.
    init(blank: Void) async throws {
        database = try AcquisDatabase()
        keys = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-cles-\(UUID().uuidString)").path
        let (router, services) = try await WebApp.router(storage: database, configuration: WebConfiguration(keys: KeyDirectory(path: keys)))
        responder = router.buildResponder()
        self.services = services
    }

    private init(reopening other: WebFixture) async throws {
        database = other.database
        keys = other.keys
        let (router, services) = try await WebApp.router(storage: database, configuration: WebConfiguration(keys: KeyDirectory(path: keys)))
        responder = router.buildResponder()
        self.services = services
    }
}

/// A browser in tests: keeps its cookies and the CSRF token of the last page.
final class WebClient: @unchecked Sendable {
    let client: any TestClientProtocol
    /// Cookies by name, as the server last set them.
    var cookies: [String: String] = [:]
    var csrf: String?
    /// Headers sent with every request (a forwarded address, say).
    var extraHeaders: HTTPFields = [:]

    init(client: any TestClientProtocol) { self.client = client }

    /// The session cookie, `name=value`, or nil when signed out.
    var cookie: String? {
        get { cookies["acquis_session"].map { "acquis_session=\($0)" } }
        set { cookies["acquis_session"] = newValue.map { String($0.dropFirst("acquis_session=".count)) } }
    }

    /// Where a script or a browser puts the anti-forgery token.
    enum TokenPlace { case field, header, none }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var bytes: [UInt8]
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get)
    }

    /// A form post with the page's token, as a browser sends it (or a script, in the header).
    @discardableResult
    func post(_ uri: String, form: [String: String], token: Bool = true, tokenIn place: TokenPlace = .field) async throws -> Page {
        var fields = form
        let place = token ? place : .none
        if place == .field, let csrf { fields["_csrf"] = csrf }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(uri, method: .post, type: "application/x-www-form-urlencoded", body: Array(body.utf8),
                              apiToken: place == .header)
    }

    /// An API call: JSON in and out, the token in its header for writes.
    @discardableResult
    func api(_ uri: String, method: HTTPRequest.Method = .get, json: String? = nil, body: [UInt8]? = nil,
             type: String = "application/json") async throws -> Page {
        try await send(uri, method: method, type: json != nil || body != nil ? type : nil,
                       body: json.map { Array($0.utf8) } ?? body, apiToken: true)
    }

    func multipart(_ uri: String, fields: [String: String], repeated: [(name: String, value: String)] = [],
                   file: (field: String, name: String, bytes: [UInt8]), tokenIn place: TokenPlace = .field) async throws -> Page {
        let boundary = "----acquis-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        var all = fields.map { (name: $0.key, value: $0.value) } + repeated
        if place == .field, let csrf { all.append(("_csrf", csrf)) }
        for (name, value) in all {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file.bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        return try await send(uri, method: .post, type: "multipart/form-data; boundary=\(boundary)", body: body,
                              apiToken: place == .header)
    }

    /// A body sent as is, with the token in the header: what a script or a broken client sends.
    func send(raw uri: String, type: String, body: [UInt8]) async throws -> Page {
        try await send(uri, method: .post, type: type, body: body, apiToken: true)
    }

    func signIn(_ login: String, password: String = WebFixture.password) async throws -> Page {
        try await get("/connexion")
        return try await post("/connexion", form: ["identifiant": login, "mot_de_passe": password])
    }

    private func send(_ uri: String, method: HTTPRequest.Method, type: String? = nil, body: [UInt8]? = nil,
                      apiToken: Bool = false) async throws -> Page {
        var headers = extraHeaders
        if !cookies.isEmpty { headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let type { headers[.contentType] = type }
        if apiToken, method != .get, let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: body.map { ByteBuffer(bytes: $0) })
        for value in response.headers[values: .setCookie] {
            let pair = (value.split(separator: ";").first.map(String.init) ?? "").split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = pair.first else { continue }
            let content = pair.count > 1 ? pair[1] : ""
            cookies[name] = value.contains("Max-Age=0") || content.isEmpty ? nil : content
        }
        let bytes = Array(buffer: response.body)
        let text = String(decoding: bytes, as: UTF8.self)
        if let token = Self.token(in: text) { csrf = token }
        if let token = Self.apiToken(in: text) { csrf = token }
        return Page(status: response.status, headers: response.headers, text: text, bytes: bytes)
    }

    static func token(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func apiToken(in json: String) -> String? {
        guard json.hasPrefix("{"), let range = json.range(of: "\"csrf\":\"") else { return nil }
        return String(json[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
