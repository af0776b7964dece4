import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import Foundation
import Testing

@Suite("The first run opens a blank database to its school, once, for 24 hours")
struct SetupTests {
    static let school = NewSchool(uai: " 0571234t ", name: "Lycée Émile Gallé", zone: .b)
    static let director = NewDirector(login: "Direction", displayName: "Mme Lefèvre", password: "un-mot-de-passe-long")

    @Test("a link is valid 24 hours: one second before it sets the school up, one second after it does not", arguments: Engine.all)
    func lifetime(engine: Engine) async throws {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        let late = App(storage: try TestDatabase(engine).storage)
        let token = try #require(try await late.setup.openLink(now: opened))
        await #expect(throws: SetupError.linkInvalid) {
            try await late.setup.install(token: token, school: Self.school, director: Self.director,
                                         now: opened.addingTimeInterval(Setup.linkLifetime + 1), hash: { $0 })
        }
        #expect(try await late.setup.isNeeded())
        let inTime = App(storage: try TestDatabase(engine).storage)
        let fresh = try #require(try await inTime.setup.openLink(now: opened))
        let account = try await inTime.setup.install(token: fresh, school: Self.school, director: Self.director,
                                                     now: opened.addingTimeInterval(Setup.linkLifetime - 1), hash: { "haché:" + $0 })
        #expect(account.login == "direction" && account.role == .admin)
        #expect(try await inTime.signIn.credentials(login: "direction")?.passwordHash == "haché:un-mot-de-passe-long")
    }

    @Test("the school is stored with its UAI in capitals, its name and its holiday zone", arguments: Engine.all)
    func school(engine: Engine) async throws {
        let database = try TestDatabase(engine).storage
        let app = App(storage: database)
        let token = try #require(try await app.setup.openLink())
        try await app.setup.install(token: token, school: Self.school, director: Self.director, hash: { $0 })
        let (uai, zone) = try await database.read { tx in
            let id = try tx.schools.schoolID(uai: "0571234T")
            return (try tx.schools.uai(schoolID: id), try tx.vigilance.holidayZone(schoolID: id))
        }
        #expect(uai == "0571234T" && zone == .b)
    }

    @Test("a refused field stores nothing and leaves the link usable", arguments: Engine.all)
    func refusedField(engine: Engine) async throws {
        let app = App(storage: try TestDatabase(engine).storage)
        let token = try #require(try await app.setup.openLink())
        var director = Self.director
        director.password = "court"
        await #expect(throws: SetupError.passwordTooShort(minimum: 10)) {
            try await app.setup.install(token: token, school: Self.school, director: director, hash: { $0 })
        }
        #expect(try await app.setup.isNeeded())
        #expect(try await app.setup.linkIsLive(token))
    }
}
