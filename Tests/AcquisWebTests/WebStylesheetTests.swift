import AcquisTestSupport
import Foundation
import Testing

/// One stylesheet built on design tokens: pages carry no style of their own, colours come
/// from the tokens, focus is always visible, and pages print without their navigation.
@Suite("Web app: one stylesheet with design tokens")
struct WebStylesheetTests {
    static let web = Fixtures.repositoryRoot.appendingPathComponent("Sources/AcquisWeb")
    static let stylesheet = (try? String(contentsOf: web.appendingPathComponent("Public/app.css"), encoding: .utf8)) ?? ""

    @Test("no template writes a style of its own (the security policy would block it anyway)")
    func noInlineStyles() throws {
        let folder = Self.web.appendingPathComponent("Templates")
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("style=") && !text.contains("<style"), "\(file.lastPathComponent)")
        }
    }

    @Test("every colour is a token: no colour is written outside the :root block")
    func coloursAreTokens() throws {
        let root = try #require(Self.stylesheet.range(of: ":root {"))
        let end = try #require(Self.stylesheet[root.upperBound...].firstIndex(of: "}"))
        let rest = Self.stylesheet[end...]
        #expect(rest.firstMatch(of: #/#[0-9a-fA-F]{3,6}\b|rgb\(/#) == nil)
        for token in ["--ink", "--accent", "--focus", "--lv0-bg", "--lv4-ink", "--space-4", "--text-lg", "--tap"] {
            #expect(Self.stylesheet.contains(token + ":"), "\(token)")
        }
    }

    @Test("focus is visible on every control, targets use the tap size, and a print style drops the navigation")
    func focusTouchAndPrint() {
        #expect(Self.stylesheet.contains(":focus-visible"))
        #expect(Self.stylesheet.contains("outline: var(--focus-ring)"))
        #expect(Self.stylesheet.contains("min-height: var(--tap)"))
        #expect(Self.stylesheet.contains("@media print"))
    }
}
