import AcquisStorage
import AcquisStore
import Foundation
import GRDB
import HTTPTypes
import Testing

/// Who reaches what: every page and API call is authorised on the server.
@Suite("Web app: role × resource authorisation")
struct WebAccessTests {
    /// The expected status of one request for each account; `nil` is signed out.
    struct Case {
        var uri: String
        var method: HTTPRequest.Method = .get
        var expected: [String?: Int]
    }

    @Test("each role reaches its own resources and nothing else")
    func matrix() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let other = try await fixture.studentID("9000000002B")
        let college = try await fixture.database.writer.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT e.studentId FROM enrollment e JOIN division d ON d.id = e.divisionId WHERE d.code = '3A' LIMIT 1
                """)!
        }
        let cases: [Case] = [
            Case(uri: "/eleves/\(lea)", expected: [nil: 302, "t-direction": 200, "t-lycee": 200, "t-college": 403,
                                                   "t-lea": 403, "t-famille-lea": 403, "t-autre": 403, "t-inspection": 403]),
            Case(uri: "/eleves/\(college)", expected: ["t-direction": 200, "t-lycee": 403, "t-college": 200]),
            Case(uri: "/classes/2CAP-EPC", expected: [nil: 302, "t-direction": 200, "t-lycee": 200, "t-college": 403,
                                                      "t-lea": 403, "t-famille-lea": 403, "t-inspection": 403]),
            Case(uri: "/classes/3A", expected: ["t-lycee": 403, "t-college": 200]),
            Case(uri: "/eleve", expected: [nil: 302, "t-lea": 200, "t-famille-lea": 200, "t-autre": 200, "t-lycee": 403,
                                           "t-inspection": 403]),
            Case(uri: "/eleves/\(lea)/livret.json", expected: ["t-lea": 200, "t-famille-lea": 200, "t-autre": 403,
                                                               "t-lycee": 200, "t-college": 403, "t-inspection": 403]),
            Case(uri: "/api/v1/eleves/\(lea)/progression", expected: [nil: 401, "t-lea": 200, "t-famille-lea": 200,
                                                                      "t-autre": 403, "t-college": 403, "t-inspection": 403]),
            Case(uri: "/api/v1/eleves/\(other)/badges", expected: ["t-lea": 403, "t-famille-lea": 403, "t-autre": 200,
                                                                   "t-lycee": 200]),
            Case(uri: "/api/v1/classes", expected: [nil: 401, "t-lycee": 200, "t-lea": 403, "t-inspection": 403]),
            Case(uri: "/inspection", expected: [nil: 302, "t-inspection": 200, "t-direction": 200, "t-lycee": 403,
                                                "t-lea": 403, "t-famille-lea": 403]),
            Case(uri: "/demandes", expected: ["t-lycee": 200, "t-lea": 403, "t-famille-lea": 403, "t-inspection": 403]),
            Case(uri: "/verifier", expected: [nil: 200, "t-lea": 200]),
            Case(uri: "/academie", expected: [nil: 302, "t-academie": 200, "t-inspection": 200, "t-direction": 403, "t-lycee": 403,
                                              "t-lea": 403, "t-famille-lea": 403]),
            Case(uri: "/academie/synthese.csv", expected: [nil: 302, "t-academie": 200, "t-inspection": 200, "t-direction": 403,
                                                           "t-lea": 403]),
            Case(uri: "/eleves/\(lea)", expected: ["t-academie": 403]),
            Case(uri: "/classes/2CAP-EPC", expected: ["t-academie": 403]),
            Case(uri: "/api/v1/eleves/\(lea)/progression", expected: ["t-academie": 403]),
            Case(uri: "/inspection", expected: ["t-academie": 403]),
            Case(uri: "/direction/enseignants", expected: [nil: 302, "t-direction": 200, "t-lycee": 403, "t-lea": 403,
                                                           "t-famille-lea": 403, "t-inspection": 403]),
            Case(uri: "/direction/etablissement", expected: [nil: 302, "t-direction": 200, "t-lycee": 403, "t-lea": 403, "t-inspection": 403]),
            Case(uri: "/classes/2CAP-EPC/periode", expected: [nil: 302, "t-direction": 200, "t-lycee": 200, "t-college": 403,
                                                              "t-lea": 403, "t-famille-lea": 403, "t-inspection": 403]),
            Case(uri: "/exports", expected: [nil: 302, "t-direction": 200, "t-lycee": 200, "t-lea": 403, "t-famille-lea": 403,
                                             "t-inspection": 403]),
            Case(uri: "/api/v1/enseignants", expected: [nil: 401, "t-direction": 200, "t-lycee": 403, "t-lea": 403, "t-inspection": 403]),
            Case(uri: "/api/v1/etablissement", expected: [nil: 401, "t-direction": 200, "t-lycee": 403, "t-famille-lea": 403]),
            Case(uri: "/api/v1/classes/2CAP-EPC/periode", expected: [nil: 401, "t-direction": 200, "t-lycee": 200, "t-college": 403,
                                                                     "t-lea": 403, "t-famille-lea": 403]),
            Case(uri: "/api/v1/classes/2CAP-EPC/professeur-principal", expected: ["t-direction": 200, "t-lycee": 403, "t-lea": 403]),
            Case(uri: "/api/v1/exports/0123456789abcdef", expected: [nil: 401, "t-lycee": 404, "t-lea": 403]),
        ]
        let logins = Set(cases.flatMap(\.expected.keys))
        for login in logins {
            try await fixture.test { client in
                if let login {
                    let signIn = try await client.signIn(login)
                    #expect(signIn.status == .found, "sign-in of \(login)")
                }
                for test in cases {
                    guard let expected = test.expected[login] else { continue }
                    let page = try await client.get(test.uri)
                    #expect(Int(page.status.code) == expected, "\(login ?? "signed out") GET \(test.uri)")
                }
            }
        }
    }

    @Test("a teacher records evaluations only for the students of their classes")
    func recordingIsScoped() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let body = #"{"eleve": \#(lea), "referentiel": "CAP-EPC", "competence": "B1.2", "niveau": "A", "contexte": "atelier"}"#
        for (login, status) in [("t-college", 403), ("t-lycee", 201), ("t-lea", 403)] {
            try await fixture.test { client in
                _ = try await client.api("/api/v1/session", method: .post,
                                         json: #"{"identifiant": "\#(login)", "motDePasse": "\#(WebFixture.password)"}"#)
                let response = try await client.api("/api/v1/evaluations", method: .post, json: body)
                #expect(Int(response.status.code) == status, "\(login)")
                // An id no student has is refused alike: ids cannot be probed.
                let unknown = try await client.api("/api/v1/evaluations", method: .post,
                                                   json: body.replacingOccurrences(of: "\(lea)", with: "987654321"))
                #expect(unknown.status == .forbidden, "\(login), unknown student")
            }
        }
    }

    @Test("a badge image is downloaded only by its holder, their family and their teachers")
    func badgeDownloads() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        let uuid = try await fixture.database.writer.read { try BadgeStore().awards(studentID: lea, in: $0).first!.uuid }
        for (login, status) in [("t-lea", 200), ("t-famille-lea", 200), ("t-lycee", 200), ("t-autre", 404), ("t-college", 404)] {
            try await fixture.test { client in
                _ = try await client.signIn(login)
                let image = try await client.get("/badges/\(uuid)/badge.png")
                #expect(Int(image.status.code) == status, "\(login)")
                if status == 200 { #expect(image.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])) }
            }
        }
    }
}

@Suite("Web app: sessions and forms")
struct WebSessionTests {
    @Test("the session cookie is HttpOnly and SameSite, and changes at sign-in")
    func cookie() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            let form = try await client.get("/connexion")
            let before = client.cookie
            #expect(before == nil, "no session before sign-in")
            #expect(form.headers[values: .setCookie].allSatisfy { $0.contains("HttpOnly") })
            let signIn = try await client.signIn("t-lycee")
            #expect(signIn.headers[values: .setCookie].contains { $0.contains("HttpOnly") && $0.contains("SameSite=Lax") })
            #expect(client.cookie != nil && client.cookie != before)
            #expect(signIn.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test("a form without the session's token is refused and changes nothing")
    func csrf() async throws {
        let fixture = try await WebFixture()
        let lea = try await fixture.studentID("9000000001A")
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            let forged = try await client.post("/eleves/\(lea)/badges", form: ["badge": "PFMP-ENGAGEMENT"], token: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("Ce formulaire a expiré"))
            let count = { @Sendable () async throws -> Int in
                try await fixture.database.writer.read { try BadgeStore().awards(studentID: lea, in: $0).count }
            }
            let before = try await count()
            _ = try await client.get("/eleves/\(lea)")
            let genuine = try await client.post("/eleves/\(lea)/badges", form: ["badge": "PFMP-ENGAGEMENT"])
            #expect(genuine.status == .found)
            #expect(try await count() == before + 1)
        }
    }

    @Test("after five wrong passwords from one address, the next attempt from it waits a moment, even with the right one")
    func throttle() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            for _ in 1...5 {
                let wrong = try await client.signIn("t-lycee", password: "pas-le-bon")
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("Identifiant ou mot de passe incorrect"))
            }
            let blocked = try await client.signIn("t-lycee")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("patientez "), "\(blocked.text.prefix(300))")
            let otherLogin = try await client.signIn("t-college")
            #expect(otherLogin.status == .found)
        }
    }

    @Test("signing out ends the session")
    func signOut() async throws {
        let fixture = try await WebFixture()
        try await fixture.test { client in
            _ = try await client.signIn("t-lycee")
            #expect(try await client.get("/enseignant").status == .ok)
            #expect(try await client.post("/deconnexion", form: [:]).status == .found)
            #expect(try await client.get("/enseignant").status == .found)
        }
    }
}
