import AcquisCore
import AcquisSSO
import AcquisStorage
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Someone the ENT or EduConnect vouched for, before (or instead of) an Acquis account: kept in
/// a short-lived signed cookie by the web app while they link it or choose a role. The subject
/// is never logged nor shown.
public struct ExternalIdentity: Codable, Equatable, Sendable {
    public var provider: IdentityProvider
    public var schoolID: Int64
    /// The school's UAI, as its sign-in addresses name it.
    public var uai: String?
    public var subject: String
    /// The CAS ticket that opened it, so that single logout can end the session it opens.
    public var casTicket: String?
    /// Who EduConnect says a student is, to ask direction for the link without a letter.
    public var claimed: ClaimedStudent?

    public init(provider: IdentityProvider, schoolID: Int64, subject: String, casTicket: String? = nil, claimed: ClaimedStudent? = nil) {
        self.provider = provider
        self.schoolID = schoolID
        self.subject = subject
        self.casTicket = casTicket
        self.claimed = claimed
    }
}

/// A student's names and birth date as EduConnect gives them.
public struct ClaimedStudent: Codable, Equatable, Sendable {
    public var lastName: String
    public var firstName: String
    /// `YYYY-MM-DD`.
    public var birthDate: String

    public init(lastName: String, firstName: String, birthDate: String) {
        self.lastName = lastName
        self.firstName = firstName
        self.birthDate = birthDate
    }

    /// The same person on paper: names compared without case, accents, spaces or hyphens.
    func matches(lastName: String, firstName: String) -> Bool {
        Self.folded(lastName) == Self.folded(self.lastName) && Self.folded(firstName) == Self.folded(self.firstName)
    }

    static func folded(_ name: String) -> String {
        String(name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).filter(\.isLetter))
    }
}

/// What a sign-in through the ENT or EduConnect leads to.
public enum ExternalSignIn: Sendable {
    /// One account: signed in.
    case account(Account, ExternalIdentity)
    /// Several accounts (a teacher who is also a parent): the person chooses.
    case choice([Account], ExternalIdentity)
    /// No account yet: the person links it with their letter's code or their Acquis password,
    /// or asks the school. Never an account made by itself.
    case unlinked(ExternalIdentity)
}

/// Why a sign-in through the ENT or EduConnect, or its settings, were refused. Each front end
/// words it; none carries personal data.
public enum SingleSignOnError: Error, Equatable, Sendable {
    case notOpen(IdentityProvider)
    case unknownSchool
    case casAddress
    case casUnreachable
    /// The CAS server refused the ticket (its code: INVALID_TICKET, INVALID_SERVICE, …).
    case casRefused(String)
    case casNoIdentifier
    case metadata(SAMLIdentityProvider.MetadataError)
    case saml(SAMLRefusal)
    /// Closing passwords would leave no way in.
    case lastWayIn
    case passwordsClosed
}

extension SingleSignOnError {
    /// A short code for logs: what went wrong, never whom it was about.
    public var code: String {
        switch self {
        case let .notOpen(provider): "not-open-\(provider.rawValue)"
        case .unknownSchool: "unknown-school"
        case .casAddress: "cas-address"
        case .casUnreachable: "cas-unreachable"
        case let .casRefused(code): "cas-refused-" + String(code.prefix(32).filter { $0.isLetter || $0 == "_" })
        case .casNoIdentifier: "cas-no-identifier"
        case let .metadata(error): "metadata-\(error)"
        case let .saml(refusal): if case .failedStatus = refusal { "saml-failed-status" } else { "saml-\(refusal)" }
        case .lastWayIn: "last-way-in"
        case .passwordsClosed: "passwords-closed"
        }
    }
}

/// What a school offers on its sign-in page.
public struct SignInOptions: Equatable, Sendable {
    public var uai: String
    public var passwords: Bool
    public var ent: Bool
    public var educonnect: Bool
}

/// A school's settings as direction sees them.
public struct SignInSettings: Equatable, Sendable {
    public var methods: StoredSignInMethods
    public var cas: CASServer?
    public var identityProvider: SAMLIdentityProvider?
    public var linked: [IdentityProvider: Int]
}

/// Sign-in through the school's ENT (CAS) and EduConnect (SAML 2.0): direction's settings, the
/// checks of what comes back, and the link between an outside identity and an account.
public struct SingleSignOn: Sendable {
    let app: App
    /// How long a SAML request waits for its response.
    static let requestLifetime: TimeInterval = 10 * 60

    // MARK: - Settings

    /// What a school's sign-in page offers; the only school when `uai` is nil. Nil for a school
    /// that is not here (or when there is none, or several and none named).
    public func options(uai: String?) async throws -> SignInOptions? {
        try await app.read { tx in
            guard let uai = uai ?? (try? tx.schools.soleSchoolUAI()), let schoolID = try? tx.schools.schoolID(uai: uai) else {
                return nil
            }
            let methods = try tx.signInMethods.methods(schoolID: schoolID)
            return SignInOptions(uai: uai, passwords: methods.passwordsOpen, ent: methods.entOpen && methods.casURL != nil,
                                 educonnect: methods.educonnectOpen && methods.samlMetadata != nil)
        }
    }

    /// Whether an account may sign in with its Acquis password: its school keeps passwords open
    /// (accounts without a school, the académie's, always may).
    public func passwordsOpen(for account: Account) async throws -> Bool {
        guard let schoolID = account.schoolID else { return true }
        return try await passwordsOpen(schoolID: schoolID)
    }

    public func passwordsOpen(schoolID: Int64) async throws -> Bool {
        try await app.read { tx in try tx.signInMethods.methods(schoolID: schoolID).passwordsOpen }
    }

    public func settings(uai: String?, by person: ActingPerson) async throws -> SignInSettings {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            let methods = try tx.signInMethods.methods(schoolID: schoolID)
            return SignInSettings(methods: methods, cas: methods.casURL.flatMap { CASServer(address: $0, identifierAttribute: methods.casAttribute) },
                                  identityProvider: methods.samlMetadata.flatMap { try? SAMLIdentityProvider(metadata: Array($0)) },
                                  linked: try tx.signInMethods.linkCounts(schoolID: schoolID))
        }
    }

    /// Sets the ENT's CAS server (nil address: none) and opens or closes it.
    public func configureENT(address: String?, attribute: String?, open: Bool, uai: String?, by person: ActingPerson) async throws {
        let ent = try Self.ent(address: address, attribute: attribute, open: open)
        try await change(uai: uai, by: person) { methods in ent(&methods) }
    }

    /// Sets EduConnect's metadata (nil: keep the one given before) and opens or closes it.
    public func configureEduConnect(metadata: [UInt8]?, open: Bool, uai: String?, by person: ActingPerson) async throws {
        let educonnect = try Self.educonnect(metadata: metadata, open: open)
        try await change(uai: uai, by: person) { methods in educonnect(&methods) }
    }

    /// Opens or closes Acquis passwords. Closing them needs another way in open.
    public func setPasswordsOpen(_ open: Bool, uai: String?, by person: ActingPerson) async throws {
        try await change(uai: uai, by: person) { methods in methods.passwordsOpen = open }
    }

    /// The settings page's form, all at once: each part checked first, then saved in one
    /// transaction, so that a refused part changes nothing.
    public func save(entAddress: String?, entAttribute: String?, entOpen: Bool, metadata: [UInt8]?, educonnectOpen: Bool,
                     passwordsOpen: Bool, uai: String?, by person: ActingPerson) async throws {
        let ent = try Self.ent(address: entAddress, attribute: entAttribute, open: entOpen)
        let educonnect = try Self.educonnect(metadata: metadata, open: educonnectOpen)
        try await change(uai: uai, by: person) { methods in
            ent(&methods)
            educonnect(&methods)
            methods.passwordsOpen = passwordsOpen
        }
    }

    /// The change an ENT setting makes, once its address is checked.
    private static func ent(address: String?, attribute: String?, open: Bool) throws -> @Sendable (inout StoredSignInMethods) -> Void {
        var server: CASServer?
        if let address, !address.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = CASServer(address: address, identifierAttribute: attribute) else { throw SingleSignOnError.casAddress }
            server = parsed
        }
        return { [server] methods in
            methods.casURL = server?.baseURL.absoluteString
            methods.casAttribute = server?.identifierAttribute
            methods.entOpen = open && server != nil
        }
    }

    /// The change an EduConnect setting makes, once its metadata is read.
    private static func educonnect(metadata: [UInt8]?, open: Bool) throws -> @Sendable (inout StoredSignInMethods) -> Void {
        if let metadata {
            do { _ = try SAMLIdentityProvider(metadata: metadata) } catch { throw SingleSignOnError.metadata(error) }
        }
        return { methods in
            if let metadata { methods.samlMetadata = Data(metadata) }
            methods.educonnectOpen = open && methods.samlMetadata != nil
        }
    }

    private func change(uai: String?, by person: ActingPerson, _ edit: @escaping @Sendable (inout StoredSignInMethods) -> Void) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            var methods = try tx.signInMethods.methods(schoolID: schoolID)
            edit(&methods)
            guard methods.passwordsOpen || (methods.entOpen && methods.casURL != nil)
                    || (methods.educonnectOpen && methods.samlMetadata != nil)
            else { throw SingleSignOnError.lastWayIn }
            try tx.signInMethods.save(methods, schoolID: schoolID)
        }
    }

    // MARK: - ENT (CAS)

    /// The school's open CAS server.
    public func casServer(uai: String) async throws -> CASServer {
        try await ent(uai: uai).server
    }

    /// The school of a UAI and its open CAS server.
    private func ent(uai: String) async throws -> (schoolID: Int64, server: CASServer) {
        try await app.read { tx in
            guard let schoolID = try? tx.schools.schoolID(uai: uai) else { throw SingleSignOnError.unknownSchool }
            let methods = try tx.signInMethods.methods(schoolID: schoolID)
            guard methods.entOpen, let address = methods.casURL,
                  let server = CASServer(address: address, identifierAttribute: methods.casAttribute)
            else { throw SingleSignOnError.notOpen(.ent) }
            return (schoolID, server)
        }
    }

    /// Validates a ticket the ENT gave for `service` with the school's CAS server, then finds
    /// the accounts of the identity.
    public func signInThroughENT(uai: String, service: String, ticket: String) async throws -> ExternalSignIn {
        let (schoolID, server) = try await ent(uai: uai)
        guard !ticket.isEmpty, ticket.count < 512 else { throw SingleSignOnError.casRefused("INVALID_REQUEST") }
        let validation: CASValidation
        do {
            var request = URLRequest(url: server.validationURL(service: service, ticket: ticket), timeoutInterval: 10)
            request.setValue("application/xml", forHTTPHeaderField: "Accept")
            let (data, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200, let parsed = CASValidation(response: Array(data))
            else { throw SingleSignOnError.casUnreachable }
            validation = parsed
        } catch let error as SingleSignOnError {
            throw error
        } catch {
            throw SingleSignOnError.casUnreachable
        }
        if case let .failure(code) = validation { throw SingleSignOnError.casRefused(code) }
        guard let subject = validation.identifier(for: server) else { throw SingleSignOnError.casNoIdentifier }
        var identity = ExternalIdentity(provider: .ent, schoolID: schoolID, subject: subject, casTicket: ticket)
        identity.uai = uai
        return try await resolve(identity)
    }

    /// Single logout: ends the sessions the ticket opened; how many.
    @discardableResult
    public func endSessions(casTicket: String) async throws -> Int {
        try await app.write { tx in try tx.signInMethods.endSessions(ssoTicket: StoredSecret.hash(casTicket)) }
    }

    // MARK: - EduConnect (SAML)

    /// This server as a SAML service provider at `base` (`https://acquis.example.fr`): its key
    /// and certificate are made on first use and kept.
    public func serviceProvider(base: String) async throws -> SAMLServiceProvider {
        let stored = try await app.write { tx -> Data in
            if let key = try tx.signInMethods.serviceProviderKey() { return key }
            let made = try SAMLServiceProvider.newKey(commonName: "Acquis")
            let key = try JSONEncoder().encode(StoredKey(privateKeyPEM: made.privateKeyPEM, certificate: made.certificate))
            try tx.signInMethods.saveServiceProviderKey(key)
            return key
        }
        let key = try JSONDecoder().decode(StoredKey.self, from: stored)
        return SAMLServiceProvider(entityID: base + "/saml/metadonnees", assertionConsumerURL: base + "/saml/acs",
                                   privateKeyPEM: key.privateKeyPEM, certificate: key.certificate)
    }

    struct StoredKey: Codable {
        var privateKeyPEM: String
        var certificate: Data
    }

    /// A sign-in request to the school's EduConnect: its id and where to send the browser. The
    /// id is kept until it is answered, or for ten minutes.
    public func educonnectRequest(uai: String, base: String) async throws -> (id: String, url: URL) {
        let serviceProvider = try await serviceProvider(base: base)
        return try await app.write { tx in
            guard let schoolID = try? tx.schools.schoolID(uai: uai) else { throw SingleSignOnError.unknownSchool }
            let identityProvider = try Self.identityProvider(schoolID: schoolID, tx)
            let request = try serviceProvider.authenticationRequest(to: identityProvider, relayState: uai)
            try tx.signInMethods.saveRequest(id: request.id, schoolID: schoolID, expiresAt: Date().addingTimeInterval(Self.requestLifetime))
            return (request.id, request.url)
        }
    }

    /// Every check of a posted `SAMLResponse` (see ``SAMLResponseMessage``), the request it
    /// answers used up, the assertion recorded against replay; then the accounts of the identity.
    /// `browserRequest`, when the front end knows it, is the request this browser started: a
    /// response to any other (someone else's, posted from their page) is refused.
    public func signInThroughEduConnect(response: String, base: String, browserRequest: String?? = .none,
                                        now: Date = Date()) async throws -> ExternalSignIn {
        let serviceProvider = try await serviceProvider(base: base)
        let (subject, schoolID, claimed) = try await app.write { tx -> (String, Int64, ClaimedStudent?) in
            do {
                let message = try SAMLResponseMessage(base64: response)
                guard let requestID = message.inResponseTo else { throw SAMLRefusal.unsolicited }
                if case let .some(started) = browserRequest, started != requestID { throw SAMLRefusal.otherBrowser }
                guard let schoolID = try tx.signInMethods.consumeRequest(id: requestID, now: now) else { throw SAMLRefusal.unknownRequest }
                let identityProvider = try Self.identityProvider(schoolID: schoolID, tx)
                let assertion = try message.verify(serviceProvider: serviceProvider, identityProvider: identityProvider,
                                                   requestID: requestID, now: now)
                guard try tx.signInMethods.recordAssertion(id: assertion.id, expiresAt: assertion.notOnOrAfter, now: now) else {
                    throw SAMLRefusal.replayed
                }
                guard let subject = assertion.attribute(EduConnectAttribute.identifier, "FrEduCtId") ?? assertion.nameID else {
                    throw SAMLRefusal.malformed
                }
                let isStudent = assertion.attributes[EduConnectAttribute.affiliation]?.contains { $0.hasPrefix("eleve") } ?? false
                let claimed = isStudent ? assertion.attribute(EduConnectAttribute.lastName).flatMap { last in
                    assertion.attribute(EduConnectAttribute.firstName).flatMap { first in
                        assertion.attribute(EduConnectAttribute.birthDate).flatMap { CalendarDate(iso: $0) }.map {
                            ClaimedStudent(lastName: last, firstName: first, birthDate: $0.iso)
                        }
                    }
                } : nil
                return (subject, schoolID, claimed)
            } catch let refusal as SAMLRefusal {
                throw SingleSignOnError.saml(refusal)
            }
        }
        return try await resolve(ExternalIdentity(provider: .educonnect, schoolID: schoolID, subject: subject, claimed: claimed))
    }

    private static func identityProvider(schoolID: Int64, _ tx: any StorageTransaction) throws -> SAMLIdentityProvider {
        let methods = try tx.signInMethods.methods(schoolID: schoolID)
        guard methods.educonnectOpen, let metadata = methods.samlMetadata,
              let identityProvider = try? SAMLIdentityProvider(metadata: Array(metadata))
        else { throw SingleSignOnError.notOpen(.educonnect) }
        return identityProvider
    }

    // MARK: - Linking

    private func resolve(_ identity: ExternalIdentity) async throws -> ExternalSignIn {
        let accounts = try await accounts(of: identity)
        switch accounts.count {
        case 0: return .unlinked(identity)
        case 1: return .account(accounts[0], identity)
        default: return .choice(accounts, identity)
        }
    }

    /// The accounts an identity is linked to.
    public func accounts(of identity: ExternalIdentity) async throws -> [Account] {
        try await app.read { tx in
            try tx.signInMethods.accounts(provider: identity.provider, subject: identity.subject, schoolID: identity.schoolID)
        }
    }

    /// The account an identity chose among its linked ones; nil when it is not one of them.
    public func chosen(accountID: Int64, for identity: ExternalIdentity) async throws -> Account? {
        try await accounts(of: identity).first { $0.id == accountID }
    }

    /// Links an identity with the one-time code of the account's letter: the code is used up and
    /// the account is active, signed in through the ENT or EduConnect only.
    public func link(_ identity: ExternalIdentity, login: String, code: String) async throws -> Account {
        let codeHash = SchoolAccounts.hash(code), login = login.trimmingCharacters(in: .whitespaces).lowercased()
        return try await app.write { tx in
            guard let id = try tx.accounts.activate(login: login, codeHash: codeHash, passwordHash: "", now: Date()),
                  let account = try tx.accounts.account(id: id), account.schoolID == identity.schoolID
            else { throw AccountError.wrongCode }
            try tx.signInMethods.link(accountID: account.id, provider: identity.provider, subject: identity.subject,
                                      schoolID: identity.schoolID, at: Date())
            return account
        }
    }

    /// Links an identity to an account whose password the front end has just verified.
    public func link(_ identity: ExternalIdentity, verifiedAccount account: Account) async throws {
        guard account.schoolID == identity.schoolID else { throw AccessRefusal.role }
        try await app.write { tx in
            try tx.signInMethods.link(accountID: account.id, provider: identity.provider, subject: identity.subject,
                                      schoolID: identity.schoolID, at: Date())
        }
    }

    /// A student without their letter asks the school to link their identity: the request goes
    /// to direction when exactly one student of the school has their names and birth date (one
    /// request per account of that student). False when none (or several) does; nothing is
    /// stored then.
    public func requestStudentLink(_ identity: ExternalIdentity) async throws -> Bool {
        guard let claimed = identity.claimed else { return false }
        return try await app.write { tx in
            let matching = try tx.signInMethods.studentAccounts(schoolID: identity.schoolID, bornOn: claimed.birthDate)
                .filter { claimed.matches(lastName: $0.lastName, firstName: $0.firstName) }
            guard Set(matching.map(\.account.studentID)).count == 1 else { return false }
            for candidate in matching {
                try tx.signInMethods.requestLink(provider: identity.provider, subject: identity.subject, accountID: candidate.account.id,
                                                 schoolID: identity.schoolID, at: Date())
            }
            return true
        }
    }

    /// The students' link requests waiting for direction.
    public func linkRequests(uai: String?, by person: ActingPerson) async throws -> [LinkRequest] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.signInMethods.linkRequests(schoolID: try access.schoolID(uai: uai, in: tx)) }
    }

    /// Direction accepts a request (the identity is linked to the account) or refuses it.
    public func decideLinkRequest(id: Int64, accept: Bool, uai: String?, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            guard let request = try tx.signInMethods.removeLinkRequest(id: id, schoolID: schoolID) else { throw AccessRefusal.student }
            if accept {
                try tx.signInMethods.link(accountID: request.account.id, provider: request.provider, subject: request.subject,
                                          schoolID: schoolID, at: Date())
            }
        }
    }

    /// Direction links ENT identifiers to accounts in bulk, from the ENT's export: one pair
    /// (ENT identifier, Acquis login) per line. Unknown logins are returned, nothing else changed
    /// for them.
    public func linkENT(_ pairs: [(subject: String, login: String)], uai: String?, by person: ActingPerson) async throws -> (linked: Int, unknown: [String]) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: uai, in: tx)
            var linked = 0, unknown: [String] = []
            for pair in pairs {
                guard let account = try tx.accounts.credentials(login: pair.login.lowercased())?.account, account.schoolID == schoolID else {
                    unknown.append(pair.login)
                    continue
                }
                try tx.signInMethods.link(accountID: account.id, provider: .ent, subject: pair.subject, schoolID: schoolID, at: Date())
                linked += 1
            }
            return (linked, unknown)
        }
    }
}

extension App {
    /// Sign-in through the ENT and EduConnect.
    public var singleSignOn: SingleSignOn { SingleSignOn(app: self) }
}
