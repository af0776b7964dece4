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

    /// The referentials a class is offered in, first those direction chose for it (in their
    /// version), then those its students have evidence in, most used first, then the others.
    static func referentials(of students: [Int64], division: Int64, in tx: any StorageTransaction) throws -> [ReferentialSummary] {
        try referentials(of: students, division: division, among: tx.referentials.summaries(), in: tx)
    }

    /// ``referentials(of:division:in:)`` among `all` the stored versions, already read.
    private static func referentials(of students: [Int64], division: Int64, among all: [ReferentialSummary],
                                     in tx: any StorageTransaction) throws -> [ReferentialSummary] {
        let newest = Dictionary(grouping: all, by: \.code).values.compactMap(\.last).sorted { $0.code < $1.code }
        let chosen = try tx.referentials.followed(divisionID: division).values.compactMap { id in all.first { $0.id == id } }
            .sorted { $0.code < $1.code }
        let used = try tx.referentials.referentialIDsInUse(studentIDs: students)
        var ordered = chosen
        for summary in used.compactMap({ id in all.first { $0.id == id } }) + newest where !ordered.contains(where: { $0.code == summary.code }) {
            ordered.append(summary)
        }
        return ordered
    }

    /// The grid, and the referentials the class is offered in (the first is the grid's when
    /// none is asked for).
    static func load(_ ref: DivisionRef, today: CalendarDate, referential: String?, group: String?,
                     in tx: any StorageTransaction) throws -> (grid: ClassGrid, choices: [ReferentialSummary]) {
        let students = try tx.schools.students(in: ref, asOf: today)
        let summaries = try tx.referentials.summaries()
        let choices = try referentials(of: students.map(\.id), division: ref.id, among: summaries, in: tx)
        let code = referential ?? choices.first?.code
        guard let code else { throw ReferentialStoreError.notFound(code: "(aucun)", version: nil) }
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
        let versions = summaries.filter { $0.code == code }.map(\.version)
        return (ClassGrid(division: ref.code, target: target, versions: versions, columns: columns, rows: rows,
                          leavers: try tx.schools.leavers(in: ref, asOf: today)), choices)
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
