import Foundation

/// A list passed to SQL as one JSON text, read with `IN (SELECT value FROM json_each(?))`
/// (PostgreSQL's dialect reads it as an array).
enum JSONList {
    /// `["a","b"]`, escaped as JSON: a `String(describing:)` of the array is not JSON for every
    /// text (control characters).
    static func text(_ values: [String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: values, options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
