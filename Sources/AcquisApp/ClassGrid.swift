import AcquisCore
import AcquisStorage

/// Students × competencies of a class for one referential, with each current level: what a
/// teacher fills in.
public struct ClassGrid: Sendable {
    public struct Column: Sendable {
        public var code: String
        public var title: String
        /// The block or domain it belongs to, for grouping headers.
        public var group: String
    }

    /// A competency's current level: its explanation is read when a cell is opened
    /// (`Students.standing`), not for the whole class.
    public struct Cell: Sendable {
        public var code: String
        public var level: Scale.Level?
    }

    public struct Row: Sendable {
        public var student: StoredStudent
        public var cells: [Cell]
    }

    public var division: String
    public var target: ReferentialTarget
    /// Every stored version of the referential, oldest first: the school may move the class on.
    public var versions: [String] = []
    public var columns: [Column]
    public var rows: [Row]
    /// Students who left the class: not in the grid, listed apart with the day they left.
    public var leavers: [StoredStudent] = []

    /// The grid, and the referentials the class is offered (``ReferentialOffer``): the grid's
    /// is the one `referential` names, else the first a `search` finds, else the first offered.
    static func load(_ ref: DivisionRef, today: CalendarDate, referential: String?, search: String? = nil, group: String?,
                     in tx: any StorageTransaction) throws -> (grid: ClassGrid, offer: ReferentialOffer) {
        let students = try tx.schools.students(in: ref, asOf: today)
        let offer = try ReferentialOffer.load(ref, students: students.map(\.id), search: search, asked: referential, in: tx)
        guard let code = referential ?? offer.found?.first ?? offer.choices.first?.code else {
            throw ClassGridError.nothingOffered(division: ref.code, searchable: offer.searchable)
        }
        let target = try tx.referentials.target(code: code, version: nil, divisionID: ref.id)
        var columns: [Column] = []
        for entry in target.referential.entries where entry.node.isEvaluable {
            let top = entry.ancestorCodes.first ?? entry.node.code
            if let group, top != group { continue }
            columns.append(Column(code: entry.node.code, title: entry.node.title, group: top))
        }
        let scale = target.scale
        let ranks = try tx.masteries.ranks(studentIDs: students.map(\.id), referentialID: target.id)
        let nodeIDs = columns.map { target.nodes[$0.code]?.id ?? 0 }
        let rows = students.map { student in
            Row(student: student, cells: zip(columns, nodeIDs).map { column, nodeID in
                let level = ranks[StudentNode(studentID: student.id, nodeID: nodeID)]
                    .flatMap { scale.levels.indices.contains($0) ? scale.levels[$0] : nil }
                return Cell(code: column.code, level: level)
            })
        }
        return (ClassGrid(division: ref.code, target: target, versions: offer.versions(of: code).map(\.version), columns: columns,
                          rows: rows, leavers: try tx.schools.leavers(in: ref, asOf: today)), offer)
    }
}

/// Why a class has no grid to show.
public enum ClassGridError: Error, Equatable, CustomStringConvertible {
    /// No referential is stored, or (in an académie's database) none is followed by the class
    /// or its school and none was asked for.
    case nothingOffered(division: String, searchable: Bool)

    public var description: String {
        switch self {
        case let .nothingOffered(division, false):
            "Aucun référentiel n’est encore publié : un inspecteur ou la direction en importe un, puis la grille de \(division) s’affiche."
        case let .nothingOffered(division, true):
            "La classe \(division) ne suit encore aucun référentiel : la direction choisit ceux qu’elle suit (page « Élèves de l’établissement », colonne Référentiels)."
        }
    }
}

extension StoredStudent {
    /// How files and the store name the student: the INE, else the school's own id.
    public var reference: StudentReference {
        if let ine = student.ine { return .ine(ine) }
        return .localID(student.localID ?? "#\(id)")
    }

    /// « MARTIN Léa », as class lists read.
    public var fullName: String { "\(student.lastName) \(student.firstName)" }
}
