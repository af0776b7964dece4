import AcquisCore
import AcquisStorage
import Foundation
import GRDB

/// Accounts that start with a one-time activation code instead of a password: the code's
/// hash and expiry are kept, the person chooses their password on first sign-in. Disabled
/// accounts keep their history and sign nobody in.
public struct ActivationStore: Sendable {
    public init() {}

    /// Gives an account a new code, valid until `expiresAt`; any password it had stops working.
    public func setCode(login: String, codeHash: String, expiresAt: Date, in db: any SQLConnection) throws {
        try db.run(sql: """
            UPDATE account SET passwordHash = '', activationHash = ?, activationExpiresAt = ?, activatedAt = NULL WHERE login = ?
            """, arguments: [codeHash, expiresAt, login])
        guard db.changedRows == 1 else { throw AccountStoreError.unknownAccount(login) }
    }

    /// Sets the password of an account whose code is live and matches, and uses the code up:
    /// the account, once; nil for a wrong, used or expired code, or a disabled account.
    public func activate(login: String, codeHash: String, passwordHash: String, now: Date, in db: any SQLConnection) throws -> Int64? {
        try db.run(sql: """
            UPDATE account SET passwordHash = ?, activationHash = NULL, activationExpiresAt = NULL, activatedAt = ?
            WHERE login = ? AND activationHash = ? AND activationExpiresAt > ? AND disabledAt IS NULL
            """, arguments: [passwordHash, now, login, codeHash, now])
        guard db.changedRows == 1 else { return nil }
        return try db.value(Int64.self, sql: "SELECT id FROM account WHERE login = ?", arguments: [login])
    }

    /// Disables an account (nil re-enables it): it signs in no more, its sessions end.
    public func setDisabled(login: String, at date: Date?, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE account SET disabledAt = ? WHERE login = ?", arguments: [date, login])
        guard db.changedRows == 1 else { throw AccountStoreError.unknownAccount(login) }
    }

    /// The accounts of a school with where each stands, by role then name.
    public func managedAccounts(schoolID: Int64, in db: any SQLConnection) throws -> [ManagedAccount] {
        try db.rows(sql: """
            SELECT * FROM account WHERE schoolId = ? ORDER BY role, displayName COLLATE NOCASE, login
            """, arguments: [schoolID]).map { row in
            let account = AccountStore.account(row)
            let state: ManagedAccount.State = if row["disabledAt"] as Date? != nil { .disabled }
                else if let expires = row["activationExpiresAt"] as Date? { .waiting(until: expires) }
                else { .active }
            return ManagedAccount(account: account, state: state)
        }
    }

    /// The student ids of a school that already have a student account.
    public func studentsWithAccount(schoolID: Int64, in db: any SQLConnection) throws -> Set<Int64> {
        Set(try db.values(Int64.self, sql: "SELECT studentId FROM account WHERE schoolId = ? AND role = 'student' AND studentId IS NOT NULL",
                               arguments: [schoolID]))
    }

    /// Whether a login is taken, by an account or by a teacher STS-web brought in who has none yet.
    public func loginTaken(_ login: String, in db: any SQLConnection) throws -> Bool {
        // Logins are unique across schools: behind PostgreSQL's wall between schools, the
        // server's `acquis_login_taken` looks past it, and says only yes or no.
        if db.engine == .postgres { return try db.value(Bool.self, sql: "SELECT acquis_login_taken(?)", arguments: [login])! }
        return try db.value(Bool.self, sql: Self.loginTakenSQL, arguments: [login, login])!
    }

    /// Whether an account or a teacher already has the login (the first two arguments).
    public static let loginTakenSQL = """
        SELECT EXISTS (SELECT 1 FROM account WHERE login = ?) OR EXISTS (SELECT 1 FROM teacher WHERE login = ?)
        """
}
