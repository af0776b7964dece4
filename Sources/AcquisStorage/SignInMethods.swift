import Foundation

/// Where people of a school sign in from.
public enum IdentityProvider: String, Sendable, Codable, CaseIterable {
    /// The school's ENT, through CAS.
    case ent
    /// EduConnect, the national identity provider of students and families, through SAML 2.0.
    case educonnect
}

/// Which ways of signing in a school opens, and how its ENT and EduConnect are reached. Stored
/// as given (an address, a metadata file); the application core checks and reads them.
public struct StoredSignInMethods: Equatable, Sendable {
    /// Acquis' own logins and passwords.
    public var passwordsOpen: Bool
    /// The ENT's CAS base address and the attribute naming a person (nil: `cas:user`).
    public var casURL: String?
    public var casAttribute: String?
    public var entOpen: Bool
    /// EduConnect's metadata file, as direction gave it.
    public var samlMetadata: Data?
    public var educonnectOpen: Bool

    public init(passwordsOpen: Bool = true, casURL: String? = nil, casAttribute: String? = nil, entOpen: Bool = false,
                samlMetadata: Data? = nil, educonnectOpen: Bool = false) {
        self.passwordsOpen = passwordsOpen
        self.casURL = casURL
        self.casAttribute = casAttribute
        self.entOpen = entOpen
        self.samlMetadata = samlMetadata
        self.educonnectOpen = educonnectOpen
    }
}

/// A student asked that an identity be linked to the account matching their name and birth date.
public struct LinkRequest: Equatable, Sendable {
    public var id: Int64
    public var provider: IdentityProvider
    public var subject: String
    public var account: Account
    public var requestedAt: Date

    public init(id: Int64, provider: IdentityProvider, subject: String, account: Account, requestedAt: Date) {
        self.id = id
        self.provider = provider
        self.subject = subject
        self.account = account
        self.requestedAt = requestedAt
    }
}

/// Sign-in through the ENT and EduConnect: each school's settings, the identities linked to
/// accounts, the SAML requests waiting for their answer and the assertions already used.
public protocol SignInMethodRepository {
    /// A school's settings; passwords only when nothing was set.
    func methods(schoolID: Int64) throws -> StoredSignInMethods

    func save(_ methods: StoredSignInMethods, schoolID: Int64) throws

    /// The accounts (not disabled) an outside identity is linked to in a school: usually one,
    /// several for a person with several roles.
    func accounts(provider: IdentityProvider, subject: String, schoolID: Int64) throws -> [Account]

    /// Links an outside identity to an account; an account keeps one identity per provider.
    func link(accountID: Int64, provider: IdentityProvider, subject: String, schoolID: Int64, at date: Date) throws

    /// How many accounts of a school are linked to each provider.
    func linkCounts(schoolID: Int64) throws -> [IdentityProvider: Int]

    /// The student accounts of a school whose student was born that day, with the names the
    /// school's files give: candidates for an EduConnect identity claiming that name.
    func studentAccounts(schoolID: Int64, bornOn day: String) throws -> [(account: Account, lastName: String, firstName: String)]

    /// Records a student's request to link an identity to an account (once).
    func requestLink(provider: IdentityProvider, subject: String, accountID: Int64, schoolID: Int64, at date: Date) throws

    /// A school's link requests, oldest first.
    func linkRequests(schoolID: Int64) throws -> [LinkRequest]

    /// Removes a request of the school; the request as it was, nil when there is none.
    func removeLinkRequest(id: Int64, schoolID: Int64) throws -> LinkRequest?

    /// Keeps a SAML request's id until it is answered or expires.
    func saveRequest(id: String, schoolID: Int64, expiresAt: Date) throws

    /// The school of a live request, removing it: a response answers its request once.
    func consumeRequest(id: String, now: Date) throws -> Int64?

    /// Records an assertion id until its expiry; false when it was already recorded (a replay).
    func recordAssertion(id: String, expiresAt: Date, now: Date) throws -> Bool

    /// Ends the sessions opened with a CAS ticket (single logout); how many ended.
    func endSessions(ssoTicket: String) throws -> Int

    /// The server's SAML key and certificate, once made.
    func serviceProviderKey() throws -> Data?
    func saveServiceProviderKey(_ key: Data) throws
}
