import AcquisApp
import AcquisEngines
import AcquisStorage
import Foundation
import Testing

@Suite("A signed-in request finds its session and account")
struct SignInSessionTests {
    static func app() throws -> App {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-signin-\(UUID().uuidString).sqlite").path
        return App(storage: try StorageLocation(path).open())
    }

    static func account(_ app: App) async throws -> Account {
        try await app.storage.write { tx in
            try tx.accounts.create(NewAccount(login: "inspection", passwordHash: "x", role: .inspector, displayName: "Inspection"), at: Date())
        }
    }

    @Test("the account comes with the session, without the front end reading it from the session's value")
    func accountWithTheSession() async throws {
        let app = try Self.app()
        let account = try await Self.account(app)
        #expect(try await app.signIn.createSession(key: "k", value: Data([1]), accountID: account.id, expiresAt: nil))
        let live = try await app.signIn.session(key: "k") { _ in Issue.record("the value was read for the account"); return nil }
        #expect(live?.account == account)
    }

    @Test("a session stored before sessions named their account apart still finds it, from its value")
    func sessionOfAnEarlierVersion() async throws {
        let app = try Self.app()
        let account = try await Self.account(app)
        _ = try await app.signIn.createSession(key: "k", value: Data("\(account.id)".utf8), accountID: nil, expiresAt: nil)
        let live = try await app.signIn.session(key: "k") { Int64(String(decoding: $0, as: UTF8.self)) }
        #expect(live?.account == account)
        let anonymous = try await app.signIn.session(key: "k") { _ in nil }
        #expect(anonymous != nil && anonymous?.account == nil)
    }
}
