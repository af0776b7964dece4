import AcquisCore
import Foundation

/// What a file of evaluations does not say itself: the referential, the day, the context
/// and the evaluator given on the command line apply to every row that leaves them out.
public struct EvaluationDefaults: Sendable {
    public var referentialCode: String?
    public var referentialVersion: String?
    public var observedOn: CalendarDate?
    public var context: EvaluationContext
    public var evaluator: String?

    public init(referentialCode: String? = nil, referentialVersion: String? = nil, observedOn: CalendarDate? = nil,
                context: EvaluationContext = .classe, evaluator: String? = nil) {
        self.referentialCode = referentialCode
        self.referentialVersion = referentialVersion
        self.observedOn = observedOn
        self.context = context
        self.evaluator = evaluator
    }
}

/// Reads evaluations from CSV, in either of two shapes, told apart by the header:
///
/// - **one evaluation per row**: `INE` (or `Identifiant`), `Référentiel`, `Version`,
///   `Compétence`, `Niveau`, `Date`, `Contexte`, `Entreprise`, `Tuteur`, `Évaluateur`,
///   `Commentaire`, `Preuve` — only the student, the competency and the level are required
///   when the others come from ``EvaluationDefaults``;
/// - **a class grid**, as written by ``GridCSV``: `INE`, `Nom`, `Prénom`, then one column per
///   competency code; a cell holds a level code or stays empty. Rows whose first cell starts
///   with `#` (the titles row) are skipped.
///
/// Rows are handed out one at a time, so that a million evaluations are never all in memory.
/// Problems are collected for the whole file and thrown together at the end.
public struct EvaluationCSV: Sendable {
    public let defaults: EvaluationDefaults

    public init(defaults: EvaluationDefaults = EvaluationDefaults()) {
        self.defaults = defaults
    }

    /// One evaluation read from the file, with where it was read.
    public struct Row: Sendable {
        public var line: Int
        /// The column of the level, for messages about it: `Niveau`, or the competency code in a grid.
        public var field: String
        public var entry: EvaluationEntry
    }

    /// Calls `body` with each evaluation of the file, in file order, on the caller's thread;
    /// `body` reports problems it finds with a row through the ``CSVProblems`` it is given.
    /// Throws every problem at the end, in line order (the file's own first on a line); an
    /// error thrown by `body` stops the reading and propagates unchanged.
    ///
    /// The file is read and its rows built on a thread of their own while this one hands them
    /// to `body` (which stores them, here): both cores on a big import. Rows wait in a short
    /// queue of chunks, so memory stays that of a few thousand rows.
    public func forEachRow(path: String, _ body: (Row, inout CSVProblems) throws -> Void) throws {
        let reading = Handover<RowsRead>(capacity: 4)
        let reader = Thread { [self] in
            read(path: path, into: reading)
            reading.finishPutting()
        }
        reader.start()
        // However this ends, the reading thread stops putting and is waited for.
        defer { reading.close() }
        var found = CSVProblems(file: path)
        while true {
            // The reading thread always ends with `.end` or `.failure`: a file is never taken
            // as read when it was not.
            guard let read = reading.take() else { preconditionFailure("the reading thread ended without saying how") }
            switch read {
            case .rows(let rows):
                for row in rows { try body(row, &found) }
            case .end(let problems):
                try problems.merged(with: found).check()
                return
            case .failure(let invalid):
                throw invalid
            }
        }
    }

    /// What the reading thread hands over: rows in chunks, then the file's problems, or why
    /// the file cannot be read.
    private enum RowsRead: Sendable {
        case rows([Row])
        case end(CSVProblems)
        case failure(InvalidInput)
    }

    /// Rows handed over together: one queue operation per row cost more than building it.
    private static let rowsPerChunk = 256

    /// Reads the file's rows into `reading` until the end, or until its taker has gone.
    private func read(path: String, into reading: Handover<RowsRead>) {
        let csv: CSVReader
        do {
            csv = try CSVReader(path: path)
        } catch {
            reading.put(.failure(error))
            return
        }
        var problems = CSVProblems(file: csv.file)
        var chunk: [Row] = []
        chunk.reserveCapacity(Self.rowsPerChunk)
        do {
            try forEachRow(of: csv, &problems) { row in
                chunk.append(row)
                if chunk.count == Self.rowsPerChunk {
                    guard reading.put(.rows(chunk)) else { throw StopReading() }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            // StopReading, the only error thrown here: a header that cannot be read (its
            // problem recorded), or the taker gone (nothing more is taken).
        }
        if !chunk.isEmpty { reading.put(.rows(chunk)) }
        reading.put(.end(problems))
    }

    /// Calls `add` with each evaluation of `csv`, recording the file's problems.
    private func forEachRow(of csv: CSVReader, _ problems: inout CSVProblems, _ add: (Row) throws -> Void) throws {
        var shape: Shape?
        try csv.forEachRow { row in
            guard let current = shape else {
                shape = try Shape(CSVHeader(row), line: row.line, defaults: defaults, problems: &problems)
                return
            }
            switch current {
            case let .long(columns):
                if let entry = longEntry(row, columns, &problems) {
                    try add(Row(line: row.line, field: "Niveau", entry: entry))
                }
            case let .grid(student, competencies, referential, observedOn):
                guard !row[0].hasPrefix("#") else { return }
                guard let reference = studentReference(row, student, &problems) else { return }
                for (index, code) in competencies {
                    guard let level = row.optional(index) else { continue }
                    let entry = EvaluationEntry(
                        student: reference, referentialCode: referential,
                        referentialVersion: defaults.referentialVersion, competencyCode: code, code: level,
                        observedOn: observedOn, context: defaults.context,
                        evaluator: defaults.evaluator)
                    try add(Row(line: row.line, field: code, entry: entry))
                }
            }
        }
    }

    private enum Shape {
        case long(LongColumns)
        case grid(student: StudentColumns, competencies: [(Int, String)], referential: String, observedOn: CalendarDate)

        init(_ header: CSVHeader, line: Int, defaults: EvaluationDefaults, problems: inout CSVProblems) throws {
            let student = StudentColumns(header)
            guard student.ine != nil || student.localID != nil else {
                problems.add(line: line, field: nil, "colonne INE (ou Identifiant) manquante dans l’en-tête")
                throw StopReading()
            }
            if header.index(of: "Niveau") != nil || header.index(of: "Compétence") != nil {
                let columns = LongColumns(header, student: student)
                var missing: [String] = []
                if columns.competency == nil { missing.append("Compétence") }
                if columns.level == nil { missing.append("Niveau") }
                if columns.referential == nil && defaults.referentialCode == nil { missing.append("Référentiel (ou --referentiel)") }
                if columns.date == nil && defaults.observedOn == nil { missing.append("Date (ou --date)") }
                guard missing.isEmpty else {
                    problems.add(line: line, field: nil, "colonnes manquantes : \(missing.joined(separator: ", "))")
                    throw StopReading()
                }
                self = .long(columns)
                return
            }
            // A grid: every column that is not about the student is a competency.
            let known = Set([student.ine, student.localID, header.index(of: "Nom"), header.index(of: "Prénom"),
                             header.index(of: "Classe")].compactMap { $0 })
            let competencies = header.names.enumerated().filter { !known.contains($0.offset) && !$0.element.isEmpty }
                .map { ($0.offset, $0.element) }
            var missing: [String] = []
            if competencies.isEmpty { missing.append("au moins une colonne de compétence") }
            if defaults.referentialCode == nil { missing.append("le référentiel (--referentiel)") }
            if defaults.observedOn == nil { missing.append("la date d’observation (--date)") }
            guard missing.isEmpty, let referential = defaults.referentialCode, let observedOn = defaults.observedOn else {
                problems.add(line: line, field: nil, "grille : il manque \(missing.joined(separator: ", "))")
                throw StopReading()
            }
            self = .grid(student: student, competencies: competencies, referential: referential, observedOn: observedOn)
        }
    }

    struct StudentColumns {
        var ine, localID: Int?
        init(_ header: CSVHeader) {
            ine = header.index(of: "INE", "ID_NATIONAL")
            localID = header.index(of: "Identifiant", "ELEVE_ID")
        }
    }

    struct LongColumns {
        var student: StudentColumns
        var referential, version, competency, level, date, context, company, tutor, evaluator, comment, evidence: Int?
        init(_ header: CSVHeader, student: StudentColumns) {
            self.student = student
            referential = header.index(of: "Référentiel")
            version = header.index(of: "Version")
            competency = header.index(of: "Compétence", "Code")
            level = header.index(of: "Niveau")
            date = header.index(of: "Date", "Date d’observation", "Date d'observation")
            context = header.index(of: "Contexte")
            company = header.index(of: "Entreprise")
            tutor = header.index(of: "Tuteur")
            evaluator = header.index(of: "Évaluateur")
            comment = header.index(of: "Commentaire")
            evidence = header.index(of: "Preuve")
        }
    }

    private func studentReference(_ row: CSVRow, _ columns: StudentColumns, _ problems: inout CSVProblems) -> StudentReference? {
        if let ine = row.optional(columns.ine) { return .ine(Student.normalizedINE(ine)) }
        if let id = row.optional(columns.localID) { return .localID(id) }
        problems.add(line: row.line, field: columns.ine == nil ? "Identifiant" : "INE", "identifiant de l’élève manquant")
        return nil
    }

    private func longEntry(_ row: CSVRow, _ columns: LongColumns, _ problems: inout CSVProblems) -> EvaluationEntry? {
        let student = studentReference(row, columns.student, &problems)
        let referential = row.optional(columns.referential) ?? defaults.referentialCode
        let competency = row.optional(columns.competency)
        let level = row.optional(columns.level)
        var observedOn = defaults.observedOn
        if let text = row.optional(columns.date) {
            observedOn = CalendarDate(iso: text) ?? CalendarDate(french: text)
            if observedOn == nil { problems.add(line: row.line, field: "Date", "date « \(text) » illisible ; attendu jj/mm/aaaa") }
        } else if observedOn == nil {
            problems.add(line: row.line, field: "Date", "date d’observation manquante")
        }
        var context = defaults.context
        let company = row.optional(columns.company), tutor = row.optional(columns.tutor)
        if let word = row.optional(columns.context) {
            if let read = EvaluationContext(kindName: word, company: company, tutor: tutor) {
                context = read
            } else {
                problems.add(line: row.line, field: "Contexte", "contexte « \(word) » inconnu ; attendu : \(EvaluationContext.kindNames)")
            }
        } else if company != nil || tutor != nil, case .pfmp = context {
            context = .pfmp(company: company ?? context.company, tutor: tutor ?? context.tutor)
        }
        if referential == nil { problems.add(line: row.line, field: "Référentiel", "référentiel manquant") }
        if competency == nil { problems.add(line: row.line, field: "Compétence", "code de compétence manquant") }
        if level == nil { problems.add(line: row.line, field: "Niveau", "niveau manquant") }
        guard let student, let referential, let competency, let level, let observedOn else { return nil }
        return EvaluationEntry(student: student, referentialCode: referential,
                               referentialVersion: row.optional(columns.version) ?? defaults.referentialVersion,
                               competencyCode: competency, code: level, observedOn: observedOn, context: context,
                               evaluator: row.optional(columns.evaluator) ?? defaults.evaluator,
                               comment: row.optional(columns.comment), evidence: row.optional(columns.evidence))
    }
}

/// Writes the grid of a class × a set of competencies, to be filled offline and read back
/// by ``EvaluationCSV``.
public struct GridCSV {
    public struct Column: Sendable {
        public var code: String
        public var title: String
        public init(code: String, title: String) {
            self.code = code
            self.title = title
        }
    }

    public init() {}

    /// The header names the competencies by code; the second row, starting with `#`, gives
    /// their titles and is skipped on import; then one empty row per student. Students
    /// without an INE are named by the school's id, in an `Identifiant` column.
    public func write(students: [Student], competencies: [Column]) -> String {
        var writer = CSVWriter()
        let needsLocalID = students.contains { $0.ine == nil }
        let identity = needsLocalID ? ["INE", "Identifiant", "Nom", "Prénom"] : ["INE", "Nom", "Prénom"]
        writer.appendRow(identity + competencies.map(\.code))
        writer.appendRow(["# intitulés"] + Array(repeating: "", count: identity.count - 1) + competencies.map(\.title))
        for student in students {
            let ids = needsLocalID ? [student.ine ?? "", student.localID ?? ""] : [student.ine ?? ""]
            writer.appendRow(ids + [student.lastName, student.firstName] + Array(repeating: "", count: competencies.count))
        }
        return writer.text
    }
}
