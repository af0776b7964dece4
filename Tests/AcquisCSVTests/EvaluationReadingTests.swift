import AcquisCore
import AcquisCSV
import AcquisTestSupport
import Foundation
import Testing

/// How a file of evaluations is handed to its reader: rows in file order, on the caller's
/// thread, with the problems the file has and those the caller finds reported together.
@Suite("Reading a file of evaluations")
struct EvaluationReadingTests {
    /// `count` rows of one student; with `problems`, every even line has an unknown context (a
    /// problem of the file, the row still handed out).
    private func file(rows count: Int, problems: Bool = true) -> String {
        var text = "INE;Référentiel;Compétence;Niveau;Date;Contexte\n"
        for index in 0..<count {
            let line = index + 2
            text += "9000000001A;CAP-EPC;B1.\(index % 7 + 1);A;12/03/2026;\(problems && line.isMultiple(of: 2) ? "plage" : "atelier")\n"
        }
        return Fixtures.file(text, named: "evaluations.csv")
    }

    @Test("the file's problems and the caller's come out in line order, the file's first on a line, the first 200 only")
    func problemsInLineOrder() throws {
        let error = try #require(throws: InvalidInput.self) {
            try EvaluationCSV().forEachRow(path: file(rows: 600)) { row, problems in
                if row.line.isMultiple(of: 3) { problems.add(line: row.line, field: row.field, "niveau refusé") }
            }
        }
        var expected: [String] = []
        for line in 2...601 {
            if line.isMultiple(of: 2) { expected.append("\(line) Contexte") }
            if line.isMultiple(of: 3) { expected.append("\(line) Niveau") }
        }
        #expect(error.diagnostics.map { "\($0.line ?? 0) \($0.field ?? "")" } == Array(expected.prefix(200)))
    }

    @Test("every row is handed out once, in file order, on the caller's thread")
    func rowsInOrder() throws {
        var lines: [Int] = []
        let caller = Thread.current
        var elsewhere = 0
        try EvaluationCSV().forEachRow(path: file(rows: 50_000, problems: false)) { row, _ in
            lines.append(row.line)
            if Thread.current != caller { elsewhere += 1 }
        }
        #expect(lines == Array(2...50_001))
        #expect(elsewhere == 0)
    }

    @Test("an error of the caller stops the reading at once and comes out unchanged")
    func callerErrorStops() throws {
        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) {
            try EvaluationCSV().forEachRow(path: file(rows: 200_000, problems: false)) { _, _ in
                calls += 1
                if calls == 10 { throw Stop() }
            }
        }
        #expect(calls == 10)
    }

    @Test("a missing file, an empty file and a file without a usable header are refused, naming the file")
    func unreadable() throws {
        let missing = NSTemporaryDirectory() + "/absent-\(UUID().uuidString).csv"
        for (path, words) in [(missing, "impossible d’ouvrir"), (Fixtures.file("", named: "vide.csv"), "vide"),
                              (Fixtures.file("Nom;Prénom\nA;B\n", named: "entete.csv"), "INE")] {
            var calls = 0
            let error = try #require(throws: InvalidInput.self) { try EvaluationCSV().forEachRow(path: path) { _, _ in calls += 1 } }
            #expect(calls == 0)
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].file == path)
            #expect(error.diagnostics[0].message.contains(words), "\(error.diagnostics[0].message)")
        }
    }

    @Test("a file saved by French Excel (Windows-1252) is read as the same rows")
    func windows1252() throws {
        let text = "INE;Référentiel;Compétence;Niveau;Date;Évaluateur\n9000000001A;CAP-EPC;B1.1;A;12/03/2026;Mme Léa Çelik\n"
        let bytes = Array(text.utf8), latin = Array(text.data(using: .windowsCP1252)!)
        #expect(bytes != latin)
        var read: [[EvaluationEntry]] = []
        for content in [bytes, latin] {
            var entries: [EvaluationEntry] = []
            try EvaluationCSV().forEachRow(path: Fixtures.file(bytes: content, named: "evaluations.csv")) { row, _ in entries.append(row.entry) }
            read.append(entries)
        }
        #expect(read[0].count == 1 && read[0] == read[1])
        #expect(read[0].first?.evaluator == "Mme Léa Çelik")
    }
}
