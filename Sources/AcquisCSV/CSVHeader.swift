import AcquisCore
import Foundation

/// The header row of a CSV file, matched against the column names a format accepts.
/// Names are compared without case, accents, spaces, `_` or `-`: « Prénom », « PRENOM » and
/// « prenom » are one column.
public struct CSVHeader {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ row: CSVRow) {
        names = row.values
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[Self.normalized(name)] == nil {
            positions[Self.normalized(name)] = index
        }
        self.positions = positions
    }

    /// The position of the first column named like one of `aliases`.
    public func index(of aliases: String...) -> Int? {
        aliases.lazy.compactMap { positions[Self.normalized($0)] }.first
    }

    static func normalized(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .filter { $0.isLetter || $0.isNumber }
    }
}

/// Collects the problems of a whole file, so that a user fixes them all in one go.
public struct CSVProblems {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []
    /// Past this many, the rest of the file is still checked but not reported.
    let limit = 200

    init(file: String) {
        self.file = file
    }

    public mutating func add(line: Int, field: String?, _ message: String) {
        if diagnostics.count < limit {
            diagnostics.append(Diagnostic(file: file, line: line, field: field, message: message))
        }
    }

    func check() throws(InvalidInput) {
        guard diagnostics.isEmpty else { throw InvalidInput(diagnostics) }
    }
}
