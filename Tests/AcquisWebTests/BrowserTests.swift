import AcquisApp
import AcquisCore
import AcquisTestSupport
import AcquisWeb
import Foundation
import Hummingbird
import Testing

/// The main flows of each role in headless Chromium (Debian's chromium and chromium-driver,
/// Selenium from PyPI), with axe checking WCAG 2.1 AA on each page. Screenshots of failing
/// pages are kept in `.build/artifacts/browser`.
enum Browser {
    static let python = "\(Validators.root)/browser/bin/python"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }
    static let artifacts = Fixtures.repositoryRoot.appendingPathComponent(".build/artifacts/browser").path
}

/// One browser at a time: two Chromiums and two servers on two cores time out.
@Suite("Web app in a real browser", .serialized)
struct BrowserTests {
    @Test("CI has Chromium and Selenium, so that browser tests are never skipped there")
    func installedInCI() {
        #expect(!Validators.runningInCI || Browser.available,
                "install chromium and chromium-driver, then run Tests/Validators/install.sh")
    }

    @Test("each role's main flow works in Chromium and every page passes axe (WCAG 2.1 AA)",
          .enabled(if: Browser.available, "chromium, chromium-driver or the browser venv missing"))
    func flows() async throws {
        let fixture = try await WebFixture()
        let run = try await Self.run("flows.py", serving: fixture)
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)")
        #expect(run.1.contains("ok   teacher: two cells typed and saved with Enter"))
    }

    @Test("every page of every role on a 390 px phone and a 1280 px desktop: kept as screenshots, no sideways scroll on the phone, axe at both widths, thumb-sized targets and an entry made by touch alone",
          .enabled(if: Browser.available, "chromium, chromium-driver or the browser venv missing"))
    func everyPage() async throws {
        let fixture = try await WebFixture()
        let run = try await Self.run("pages.py", serving: fixture)
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)/screens")
        #expect(run.1.contains("ok   phone entry: one level tapped and saved, on to the next student"))
        #expect(run.1.contains("ok   famille · progress at 390 px: no horizontal scroll"))
    }

    @Test("on a phone, a student adds a photo of their work with its competencies, writes about it and shares it; the teacher and the family find it; the teacher records levels from it and opens a PFMP whose tutor records on the link and reaches nothing else",
          .enabled(if: Browser.available, "chromium, chromium-driver or the browser venv missing"))
    func portfolio() async throws {
        let fixture = try await WebFixture()
        let photo = Fixtures.file(bytes: Array(try Fixtures.production("photo-gps.jpg")), named: "IMG_0042.jpg")
        let run = try await Self.run("portfolio.py", serving: fixture, arguments: [photo, CalendarDate.today.iso])
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)/screens/390")
        #expect(run.1.contains("ok   family: reads the production and what the student wrote"), "\(run.1)")
        #expect(run.1.contains("ok   tutor: thanked, and sees what was sent"), "\(run.1)")
        #expect(run.1.contains("ok   visitor: the shared production shows, without the student's name"), "\(run.1)")
    }

    @Test("a student who left signs in on a phone and on a desktop and lands on the download of their portfolio, nothing else",
          .enabled(if: Browser.available, "chromium, chromium-driver or the browser venv missing"))
    func leaver() async throws {
        let fixture = try await WebLeaverTests.fixture()
        let run = try await Self.run("leaver.py", serving: fixture, arguments: ["t-lea", WebFixture.password])
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)/screens")
        #expect(run.1.contains("ok   leaver at 390 px: lands on the download page"), "\(run.1)")
    }

    @Test("direction receives, on a phone and on a desktop, the portfolio of a student from a school of another installation: the key's fingerprint to compare, then the package once confirmed",
          .enabled(if: Browser.available, "chromium, chromium-driver or the browser venv missing"))
    func fingerprint() async throws {
        let (package, _) = try await WebPortfolioTests.packageFromAnotherInstallation()
        let fixture = try await WebFixture()
        let file = Fixtures.file(bytes: package, named: "portfolio-lea.zip")
        let lea = try await fixture.studentID("9000000001A")
        let run = try await Self.run("fingerprint.py", serving: fixture, arguments: ["t-direction", WebFixture.password, "\(lea)", file])
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)/screens")
        #expect(run.1.contains("ok   direction at 390 px: received once confirmed"), "\(run.1)")
    }

    @Test("from a blank database to a teacher grading: setup link, SIECLE students and guardians, STS-web teachers, class referentials, accounts and letters, first sign-ins, the period bilan closed, the class exported",
          .enabled(if: Browser.available && Poppler.available, "chromium, chromium-driver, pdftotext or the browser venv missing"))
    func newSchool() async throws {
        let fixture = try await WebFixture(blank: ())
        let token = try #require(try await AcquisApp.App(storage: fixture.database).setup.openLink())
        let referential = try #require(Fixtures.shippedReferentials.first { $0.hasSuffix("cap-equipier-polyvalent-commerce.xml") })
        let files = try Self.thisYear(Fixtures.repositoryRoot.appendingPathComponent("Tests/Browser/new-school"))
        let run = try await Self.run("new_school.py", serving: fixture, arguments: [token, files.path, referential])
        #expect(run.0 == 0, "\(run.1)\nscreenshots: \(Browser.artifacts)")
        #expect(run.1.contains("ok   teacher: the first evaluation of the school is recorded"), "\(run.1)")
    }

    /// Serves the fixture on a free loopback port and runs a script of `Tests/Browser` against
    /// it (base URL, artefacts folder, then `arguments`): its exit status and output.
    static func run(_ script: String, serving fixture: WebFixture, arguments: [String] = []) async throws -> (Int32, String) {
        let (stream, port) = AsyncStream.makeStream(of: Int.self)
        let app = try await WebApp.application(storage: fixture.database,
                                               configuration: WebConfiguration(port: 0, keys: .init(path: fixture.keys))) { bound in
            port.yield(bound)
        }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var ports = stream.makeAsyncIterator()
        let bound = try #require(await ports.next())
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/Browser/\(script)").path
        return try await Task.detached {
            try Validators.run(Browser.python, [path, "http://127.0.0.1:\(bound)", Browser.artifacts] + arguments)
        }.value
    }

    /// The school's files, written for 2026-2027, moved to the school year the test runs in:
    /// the classes they create are then this year's. Bytes are kept as they are (ISO-8859-15 too).
    static func thisYear(_ folder: URL) throws -> URL {
        let year = SchoolYear(containing: .today).startYear
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-nouvel-etablissement-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            var latin = String(data: try Data(contentsOf: folder.appendingPathComponent(name)), encoding: .isoLatin1)!
            latin = latin.replacingOccurrences(of: ">2026<", with: ">\(year)<").replacingOccurrences(of: "ANNEE=\"2026\"", with: "ANNEE=\"\(year)\"")
                .replacingOccurrences(of: "2027-07-04", with: "\(year + 1)-07-04")
            try latin.data(using: .isoLatin1)!.write(to: copy.appendingPathComponent(name))
        }
        return copy
    }
}
