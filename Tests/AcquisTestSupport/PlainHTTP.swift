import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small HTTP client for tests that act as a browser step by step: redirects are not
/// followed (the test reads `Location`), cookies are kept per client.
public final class PlainHTTP: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private var session: URLSession!
    /// Cookies received, by name: sent back to every host (tests talk to loopback servers).
    public private(set) var cookies: [String: String] = [:]
    private let lock = NSLock()

    public override init() {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String

        public var location: String? { headers["Location"] ?? headers["location"] }
    }

    public func get(_ url: String) async throws -> Reply {
        try await send(URLRequest(url: URL(string: url)!))
    }

    /// Posts a URL-encoded form.
    public func post(_ url: String, form: [String: String], headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        request.httpBody = Data(form.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
        return try await send(request)
    }

    /// Sends a JSON body, as the API's clients do.
    public func send(_ method: String, _ url: String, json: String, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Reply {
        var request = request
        let jar = lock.withLock { cookies }
        if !jar.isEmpty { request.setValue(jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        for cookie in HTTPCookie.cookies(withResponseHeaderFields: headers, for: http.url ?? request.url!) {
            lock.withLock { cookies[cookie.name] = cookie.value }
        }
        return Reply(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    /// The value of a named field of the first form of an HTML page (`name="…" value="…"`).
    public static func field(_ name: String, in html: String) -> String? {
        for pattern in ["name=\"\(name)\" value=\"", "name='\(name)' value='"] {
            guard let start = html.range(of: pattern) else { continue }
            let rest = html[start.upperBound...]
            guard let end = rest.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return nil }
            return String(rest[..<end]).replacingOccurrences(of: "&#x2B;", with: "+").replacingOccurrences(of: "&#43;", with: "+")
                .replacingOccurrences(of: "&#x3D;", with: "=").replacingOccurrences(of: "&#61;", with: "=")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        }
        return nil
    }
}
