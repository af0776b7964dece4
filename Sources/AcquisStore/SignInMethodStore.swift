import AcquisStorage
import Foundation
import GRDB

/// Sign-in through the ENT and EduConnect, in SQLite.
struct SignInMethodStore: SignInMethodRepository {
    let db: any SQLConnection

    func methods(schoolID: Int64) throws -> StoredSignInMethods {
        guard let row = try db.row(sql: "SELECT * FROM signInMethods WHERE schoolId = ?", arguments: [schoolID])
        else { return StoredSignInMethods() }
        return StoredSignInMethods(passwordsOpen: row["passwordsOpen"], casURL: row["casURL"], casAttribute: row["casAttribute"],
                                   entOpen: row["entOpen"], samlMetadata: row["samlMetadata"], educonnectOpen: row["educonnectOpen"])
    }

    func save(_ methods: StoredSignInMethods, schoolID: Int64) throws {
        try db.run(sql: """
            INSERT INTO signInMethods (schoolId, passwordsOpen, casURL, casAttribute, entOpen, samlMetadata, educonnectOpen)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (schoolId) DO UPDATE SET passwordsOpen = excluded.passwordsOpen, casURL = excluded.casURL,
                casAttribute = excluded.casAttribute, entOpen = excluded.entOpen, samlMetadata = excluded.samlMetadata,
                educonnectOpen = excluded.educonnectOpen
            """, arguments: [schoolID, methods.passwordsOpen, methods.casURL, methods.casAttribute, methods.entOpen,
                             methods.samlMetadata, methods.educonnectOpen])
    }

    func accounts(provider: IdentityProvider, subject: String, schoolID: Int64) throws -> [Account] {
        try db.rows(sql: """
            SELECT account.* FROM externalIdentity JOIN account ON account.id = externalIdentity.accountId
            WHERE externalIdentity.schoolId = ? AND provider = ? AND subject = ? AND account.disabledAt IS NULL
            ORDER BY account.role, account.login
            """, arguments: [schoolID, provider.rawValue, subject]).map(AccountStore.account)
    }

    func link(accountID: Int64, provider: IdentityProvider, subject: String, schoolID: Int64, at date: Date) throws {
        try db.run(sql: "DELETE FROM externalIdentity WHERE accountId = ? AND provider = ?", arguments: [accountID, provider.rawValue])
        try db.run(sql: """
            INSERT INTO externalIdentity (schoolId, provider, subject, accountId, linkedAt) VALUES (?, ?, ?, ?, ?)
            """, arguments: [schoolID, provider.rawValue, subject, accountID, date])
    }

    func linkCounts(schoolID: Int64) throws -> [IdentityProvider: Int] {
        var counts: [IdentityProvider: Int] = [:]
        for row in try db.rows(sql: "SELECT provider, COUNT(*) AS n FROM externalIdentity WHERE schoolId = ? GROUP BY provider",
                                    arguments: [schoolID]) {
            if let provider = IdentityProvider(rawValue: row["provider"]) { counts[provider] = row["n"] }
        }
        return counts
    }

    func studentAccounts(schoolID: Int64, bornOn day: String) throws -> [(account: Account, lastName: String, firstName: String)] {
        try db.rows(sql: """
            SELECT account.*, student.lastName AS studentLastName, student.firstName AS studentFirstName
            FROM account JOIN student ON student.id = account.studentId
            WHERE account.schoolId = ? AND account.role = 'student' AND account.disabledAt IS NULL AND student.birthDate = ?
            """, arguments: [schoolID, day]).map { (AccountStore.account($0), $0["studentLastName"], $0["studentFirstName"]) }
    }

    func requestLink(provider: IdentityProvider, subject: String, accountID: Int64, schoolID: Int64, at date: Date) throws {
        try db.run(sql: """
            INSERT INTO linkRequest (schoolId, provider, subject, accountId, requestedAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [schoolID, provider.rawValue, subject, accountID, date])
    }

    /// A request with its account, as both readers of the table select it.
    private static let requestSelection = """
        SELECT account.*, linkRequest.id AS requestId, linkRequest.provider, linkRequest.subject, linkRequest.requestedAt
        FROM linkRequest JOIN account ON account.id = linkRequest.accountId
        """

    func linkRequests(schoolID: Int64) throws -> [LinkRequest] {
        try db.rows(sql: Self.requestSelection + " WHERE linkRequest.schoolId = ? ORDER BY linkRequest.requestedAt, linkRequest.id",
                         arguments: [schoolID]).compactMap(Self.request)
    }

    func removeLinkRequest(id: Int64, schoolID: Int64) throws -> LinkRequest? {
        let request = try db.row(sql: Self.requestSelection + " WHERE linkRequest.id = ? AND linkRequest.schoolId = ?",
                                       arguments: [id, schoolID]).flatMap(Self.request)
        try db.run(sql: "DELETE FROM linkRequest WHERE id = ? AND schoolId = ?", arguments: [id, schoolID])
        return request
    }

    private static func request(_ row: SQLRow) -> LinkRequest? {
        IdentityProvider(rawValue: row["provider"]).map {
            LinkRequest(id: row["requestId"], provider: $0, subject: row["subject"], account: AccountStore.account(row),
                        requestedAt: row["requestedAt"])
        }
    }

    func saveRequest(id: String, schoolID: Int64, expiresAt: Date) throws {
        try db.run(sql: "DELETE FROM samlRequest WHERE expiresAt <= ?", arguments: [Date()])
        try db.run(sql: "INSERT INTO samlRequest (id, schoolId, expiresAt) VALUES (?, ?, ?)", arguments: [id, schoolID, expiresAt])
    }

    func consumeRequest(id: String, now: Date) throws -> Int64? {
        let school = try db.value(Int64.self, sql: "SELECT schoolId FROM samlRequest WHERE id = ? AND expiresAt > ?", arguments: [id, now])
        try db.run(sql: "DELETE FROM samlRequest WHERE id = ?", arguments: [id])
        return school
    }

    func recordAssertion(id: String, expiresAt: Date, now: Date) throws -> Bool {
        try db.run(sql: "DELETE FROM samlAssertion WHERE expiresAt <= ?", arguments: [now.addingTimeInterval(-600)])
        try db.run(sql: "INSERT INTO samlAssertion (id, expiresAt) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", arguments: [id, expiresAt])
        return db.changedRows == 1
    }

    func endSessions(ssoTicket: String) throws -> Int {
        try db.run(sql: "DELETE FROM webSession WHERE ssoTicket = ?", arguments: [ssoTicket])
        return db.changedRows
    }

    func serviceProviderKey() throws -> Data? {
        try db.value(Data.self, sql: "SELECT value FROM webSecret WHERE name = 'saml-sp'")
    }

    func saveServiceProviderKey(_ key: Data) throws {
        try db.run(sql: """
            INSERT INTO webSecret (name, value) VALUES ('saml-sp', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, arguments: [key])
    }
}
