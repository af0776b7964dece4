import AcquisCore
import Foundation
import Mustache

/// Mustache templates that escape through ``Markup``: swift-mustache's own HTML escaper looks
/// every character up in a dictionary, which made rendering the bulk of a page's cost. The
/// entities are the same (`& < > " '`), so pages read exactly as before.
public enum MarkupTemplates {
    struct ContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { Markup.escaped(text) }
    }

    private static let contentTypeName = "ACQUIS_HTML"
    private static let registered: Void = MustacheContentTypes.register(ContentType(), named: contentTypeName)

    /// A template from its text, escaping through ``Markup``. Partials it includes render in
    /// its context, so they escape the same way.
    public static func template(_ text: String) throws -> MustacheTemplate {
        _ = registered
        return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(contentTypeName) }}" + text)
    }

    /// Every `.mustache` file of a folder, named by its file name without the extension.
    public static func library(directory: URL) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        where file.pathExtension == "mustache" {
            library.register(try template(String(contentsOf: file, encoding: .utf8)), named: file.deletingPathExtension().lastPathComponent)
        }
        return library
    }
}
