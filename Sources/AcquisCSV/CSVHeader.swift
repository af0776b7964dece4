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
public struct CSVProblems: Sendable {
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

    /// These problems and `other`'s together in line order (these first on a line), the first
    /// ``limit`` only: as if one reader going down the file had added all of them.
    func merged(with other: CSVProblems) -> CSVProblems {
        var merged = CSVProblems(file: file)
        var mine = diagnostics[...], theirs = other.diagnostics[...]
        while merged.diagnostics.count < limit {
            let takesTheirs: Bool
            switch (mine.first, theirs.first) {
            case (nil, nil): return merged
            case (nil, _): takesTheirs = true
            case (_, nil): takesTheirs = false
            case let (first?, other?): takesTheirs = (other.line ?? 0) < (first.line ?? 0)
            }
            merged.diagnostics.append(takesTheirs ? theirs.removeFirst() : mine.removeFirst())
        }
        return merged
    }

    func check() throws(InvalidInput) {
        guard diagnostics.isEmpty else { throw InvalidInput(diagnostics) }
    }
}
