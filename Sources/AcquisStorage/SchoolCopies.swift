import Foundation

/// What copying a school into another database did (`acquis base copier`).
public struct SchoolCopyReport: Sendable, Equatable {
    public var uai: String
    public var name: String?
    /// Whether the school existed in the destination, without data, and received the copy.
    public var mergedIntoExistingSchool = false
    /// Referentials the destination had already (code and version), which the school's rows now use.
    public var referentialsShared: [String] = []
    /// Referentials the destination did not have, copied with their competencies and scales.
    public var referentialsAdded: [String] = []
    /// Rows copied, by table.
    public var rows: [String: Int] = [:]
    /// Logins of the source's accounts of no school (inspection, académie), not copied.
    public var accountsLeft: [String] = []
    /// Ids of the school's signing keys: their private halves are files, outside any database.
    public var signingKeys: [String] = []

    public init(uai: String, name: String?) {
        self.uai = uai
        self.name = name
    }

    /// Rows copied in all.
    public var totalRows: Int { rows.values.reduce(0, +) }
}

/// Why a school was not copied. Nothing was written.
public enum SchoolCopyError: Error, Equatable, CustomStringConvertible {
    case noSuchSchool(Int64)
    /// The destination holds this school already, with students or classes: copied before.
    case schoolHoldsData(uai: String)
    /// Logins the destination gives other people (logins are unique across schools).
    case loginsTaken([String])
    /// INE of students of another school of the destination.
    case inesTaken([String])
    /// A referential of the same code and version differs in the destination.
    case referentialDiffers(code: String, version: String, what: String)
    /// A row whose key the destination holds already (a school's own settings set beforehand).
    case rowExists(table: String)
    /// A table of the schema that neither belongs to a school nor is known to stay behind.
    case unknownTable(String)
    /// A row of the school refers to a row the copy did not take (a table left behind).
    case danglingReference(table: String, column: String)

    public var description: String {
        switch self {
        case let .noSuchSchool(id):
            "aucun établissement n° \(id) dans la base d’origine"
        case let .schoolHoldsData(uai):
            "l’établissement \(uai) est déjà dans la base de destination, avec ses élèves ou ses classes : rien n’a été copié (une copie ne s’ajoute pas à une autre)"
        case let .loginsTaken(logins):
            "identifiants déjà pris dans la base de destination : \(Self.listed(logins)) ; renommez ces comptes dans la base d’origine, puis recommencez"
        case let .inesTaken(ines):
            "INE d’élèves d’un autre établissement de la base de destination : \(Self.listed(ines)) ; vérifiez-les, puis recommencez"
        case let .referentialDiffers(code, version, what):
            "le référentiel \(code) version \(version) n’est pas le même dans la base de destination (\(what)) : alignez-les, puis recommencez"
        case let .rowExists(table):
            "la base de destination a déjà, pour cet établissement, des données de la table \(table) : rien n’a été copié"
        case let .unknownTable(table):
            "la table \(table) n’appartient à aucun établissement : la copie ne sait pas quoi en faire"
        case let .danglingReference(table, column):
            "une ligne de la table \(table) renvoie (\(column)) à une ligne que la copie ne prend pas : rien n’a été copié"
        }
    }

    private static func listed(_ values: [String]) -> String {
        let shown = values.prefix(10).joined(separator: ", ")
        return values.count > 10 ? "\(shown) et \(values.count - 10) autres" : shown
    }
}
