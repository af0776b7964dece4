import AcquisApp
import AcquisCore
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import ServiceLifecycle

/// How the web app runs: where it listens, where it is reached from, where signing keys live.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Folder of the issuer's private keys, to sign badges students download.
    public var keys: KeyDirectory?
    /// Marks the session cookie `Secure`: set when the app is served over HTTPS.
    public var secureCookies: Bool
    /// Failed sign-ins allowed per login and address before each new attempt waits longer.
    public var loginAttempts: Int
    /// The wait after those attempts, doubled at each further failure (1 second).
    public var loginDelay: Duration
    /// Takes the client's address from `X-Forwarded-For`, for a server behind a reverse proxy
    /// that sets it; never otherwise, since a client could write any address there.
    public var behindProxy: Bool
    /// The day the app takes as today; nil for the real day. A demo or a test fixes it.
    public var today: CalendarDate?

    public init(host: String = "127.0.0.1", port: Int = 8080, keys: KeyDirectory? = nil, secureCookies: Bool = false,
                loginAttempts: Int = 5, loginDelay: Duration = .seconds(1), behindProxy: Bool = false,
                today: CalendarDate? = nil) {
        self.host = host
        self.port = port
        self.keys = keys
        self.secureCookies = secureCookies
        self.loginAttempts = loginAttempts
        self.loginDelay = loginDelay
        self.behindProxy = behindProxy
        self.today = today
    }
}

/// What every route needs, built once.
struct WebServices: Sendable {
    /// The use cases: what routes call to read and change anything.
    let app: App
    let templates: Templates
    let throttle: LoginThrottle
    let keys: KeyDirectory?
    let assets: [String: (type: String, bytes: [UInt8])]
    let behindProxy: Bool
    let secureCookies: Bool
    /// Exports running in the background, and their files once done.
    let exports = ExportJobs()

    /// The day and school year pages work on: the app's.
    var today: CalendarDate { app.today }
    var year: SchoolYear { app.year }

    /// The period a request names with `?periode=` (T1 … annee), the school year by default.
    func period(of request: Request) -> Period {
        Period.named(request.uri.queryParameters["periode"].map(String.init) ?? "annee", in: year) ?? .trimester(containing: today)
    }

    /// The bilan period a request names with `?periode=`, among the school's (trimesters or
    /// semesters); else the one holding today.
    func bilanPeriod(of request: Request, for account: Account) async throws -> Period {
        let scheme = try await app.school.periodScheme(by: .account(account))
        if let asked = request.uri.queryParameters["periode"].flatMap({ Period.named(String($0), in: year) }), scheme.codes.contains(asked.code) {
            return asked
        }
        return scheme.period(containing: today)
    }

    /// The address people reach this server at, as the request names it (`https://host` behind
    /// a proxy that says so): what letters print. Only host characters are kept.
    func publicAddress(of request: Request) -> String {
        let forwarded = behindProxy ? request.headers[HTTPField.Name("X-Forwarded-Proto")!] : nil
        let scheme = forwarded == "https" ? "https" : "http"
        let host = String((request.head.authority ?? "localhost").filter {
            $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0))
        }.prefix(253))
        return "\(scheme)://\(host.isEmpty ? "localhost" : host)"
    }

    /// The address a request comes from, as the sign-in throttle counts it.
    func clientAddress(of request: Request, context: WebContext) -> String {
        if behindProxy, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] {
            return forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? forwarded
        }
        return context.remoteAddress ?? "inconnue"
    }
}

public enum WebApp {
    /// The router with every page and API route, for the server and for tests.
    public static func router(storage: any Storage, configuration: WebConfiguration = .init()) async throws
        -> (router: Router<WebContext>, services: [any Service])
    {
        let app = App(storage: storage, today: configuration.today)
        let throttle = app.signInThrottle(freeAttempts: configuration.loginAttempts,
                                          firstDelay: Double(configuration.loginDelay.components.seconds)
                                              + Double(configuration.loginDelay.components.attoseconds) / 1e18)
        let services = WebServices(app: app, templates: try await Templates.load(), throttle: LoginThrottle(throttle: throttle), keys: configuration.keys,
                                   assets: try Assets.load(),
                                   behindProxy: configuration.behindProxy, secureCookies: configuration.secureCookies)
        let secret = try await services.app.signIn.secret(named: "formulaires")
        let sessions = DatabasePersistDriver(signIn: services.app.signIn)
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(templates: services.templates))
        router.add(middleware: SessionMiddleware(storage: sessions, configuration: .init(
            sessionCookieParameters: .init(name: "acquis_session", path: "/", secure: configuration.secureCookies,
                                           sameSite: .lax),
            defaultSessionExpiration: .seconds(8 * 3600))))
        router.add(middleware: IdentityMiddleware(app: services.app))
        // After the identity: only a signed-in account may send the larger bodies of productions.
        router.add(middleware: CollectedBodyMiddleware())
        router.add(middleware: CSRFMiddleware(anonymous: AnonymousFormToken(secret: secret), secureCookies: configuration.secureCookies))
        AuthRoutes(services: services).register(on: router)
        SetupRoutes(services: services).register(on: router)
        SchoolRoutes(services: services).register(on: router)
        AccountRoutes(services: services).register(on: router)
        PeriodBilanRoutes(services: services).register(on: router)
        TeacherRoutes(services: services).register(on: router)
        EntryRoutes(services: services).register(on: router)
        StudentRoutes(services: services).register(on: router)
        PortfolioRoutes(services: services).register(on: router)
        PFMPRoutes(services: services).register(on: router)
        InspectorRoutes(services: services).register(on: router)
        AcademyRoutes(services: services).register(on: router)
        PublicRoutes(services: services).register(on: router)
        VigilanceRoutes(services: services).register(on: router)
        IssuerRoutes(services: services).register(on: router)
        ExportRoutes(services: services).register(on: router)
        SettingsRoutes(services: services).register(on: router)
        SingleSignOnRoutes(services: services, identities: IdentityCookie(key: SymmetricKey(data: secret))).register(on: router)
        APIRoutes(services: services).register(on: router)
        return (router, [sessions])
    }

    /// The whole application, ready to run.
    /// `logger` receives what the server and every request log (`acquis` on standard output by
    /// default); a test passes its own to read what was logged.
    public static func application(storage: any Storage, configuration: WebConfiguration = .init(), logger: Logger? = nil,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws
        -> some ApplicationProtocol
    {
        let (router, services) = try await router(storage: storage, configuration: configuration)
        var logger = logger ?? Logger(label: "acquis")
        logger.logLevel = .info
        return Application(router: router,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: "Acquis"),
                           services: services,
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }
}

/// Style sheet and script, served from memory.
enum Assets {
    static func load() throws -> [String: (type: String, bytes: [UInt8])] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Public") else { return [:] }
        var assets: [String: (type: String, bytes: [UInt8])] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            assets[name] = (type, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
        }
        return assets
    }
}
