import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisPublishing
import AcquisReports
import AcquisStorage
import ArgumentParser
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Fichiers de progrès des élèves, bilans de classe, exports officiels (LSU, LSL Pro).",
        subcommands: [Student.self, Division.self, School.self, ClassReportCommand.self, LSU.self, LSL.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pdf, html, json, csv, clr
    }
}

/// The period a file covers: a named one of the school year, or two days.
struct PeriodOptions: ParsableArguments {
    @Option(name: .customLong("periode"), help: "T1, T2, T3, S1, S2 ou annee (par défaut : le trimestre en cours).")
    var name: String?

    @Option(name: .customLong("du"), help: "Début d’une période choisie (jj/mm/aaaa), avec --au.")
    var start: CalendarDate?

    @Option(name: .customLong("au"), help: "Fin d’une période choisie (jj/mm/aaaa).")
    var end: CalendarDate?

    func period(in year: SchoolYear?) throws -> Period {
        if let start, let end {
            guard start <= end else { throw Failure("--du doit précéder --au") }
            return .between(start, end)
        }
        if start != nil || end != nil { throw Failure("une période choisie demande --du et --au") }
        // A school year named alone means the whole year; nothing named, the current trimester.
        guard let name else { return year.flatMap { Period.named("annee", in: $0) } ?? Period.trimester(containing: .today) }
        guard let period = Period.named(name, in: year ?? SchoolYear(containing: .today)) else {
            throw Failure("période « \(name) » inconnue ; attendu : \(Period.names.joined(separator: ", "))")
        }
        return period
    }
}

/// What the progress-file commands share: formats, destination, recipient of the CLR.
struct ProgressFileOptions: ParsableArguments {
    @Option(name: .customLong("format"), parsing: .upToNextOption,
            help: "pdf, html, json, csv ou clr ; plusieurs à la fois possible (--format html json).")
    var formats: [ExportCommand.Format] = [.pdf]

    @Option(name: .customLong("courriel"), help: "CLR d’un seul élève : adresse à laquelle il est délivré, enregistrée hachée (par défaut : son INE).")
    var email: String?

    @Option(name: .customLong("pour"), help: "Qui lit le livret : eleve (« Mes progrès »), famille (« Les progrès de … ») ou equipe (« l’élève »).")
    var reader: ProgressFileReader = .student
}

extension ProgressFileReader: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension ExportCommand {
    struct Student: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eleve",
            abstract: "Le fichier de progrès d’un élève pour une période, dans un ou plusieurs formats.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions
        @Argument(help: "INE de l’élève, ou son identifiant dans l’établissement.")
        var student: StudentReference
        @OptionGroup var school: SchoolOptions
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var options: ProgressFileOptions

        @Option(name: .shortAndLong, help: "Fichier à écrire (un seul format), ou dossier.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                let period = try periodOptions.period(in: school.year)
                let app = try database.app()
                let studentID = try await app.students.student(of: student, by: .console(name: nil)).id
                var batch = ProgressFileRendering(files: try app.exports.progressFiles(period: period, by: .console(name: nil)),
                                                  keys: keys.directory(database: database), formats: options.formats,
                                                  email: options.email, reader: options.reader)
                let files = try await batch.files(studentID: studentID)
                if options.formats.count == 1, !output.hasSuffix("/"), let file = files.first, !isDirectory(output) {
                    try Data(file.bytes).write(to: URL(fileURLWithPath: output))
                    print("\(file.name) écrit dans \(output)")
                    return
                }
                var folder = try FolderDestination(path: output)
                for file in files { try folder.write(file.bytes, to: file.name) }
                try folder.finish()
                print("\(French.counted(files.count, "fichier", "écrit")) dans \(output)")
            }
        }
    }

    struct Division: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classe",
            abstract: "Les fichiers de progrès de chaque élève d’une classe, dans un dossier ou une archive ZIP.")

        @Argument(help: "Code de la classe ou du groupe.")
        var division: String
        @OptionGroup var batch: BatchOptions

        func run() async throws {
            try await reportingFailures {
                try await batch.export(division: division)
            }
        }
    }

    struct School: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "etablissement",
            abstract: "Les fichiers de progrès de tous les élèves de l’établissement, classe par classe.")

        @OptionGroup var batch: BatchOptions

        func run() async throws {
            try await reportingFailures {
                try await batch.export(division: nil)
            }
        }
    }
}

/// What the batch commands share: the files of many students, one folder per class, into a
/// folder or a ZIP archive, with a progress bar.
struct BatchOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeyOptions
    @OptionGroup var school: SchoolOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var options: ProgressFileOptions

    @Option(name: .shortAndLong, help: "Dossier, ou archive se terminant par .zip.")
    var output: String

    /// Exports the students of a class, or of every class when `division` is nil.
    func export(division: String?) async throws {
        let period = try periodOptions.period(in: school.year)
        let app = try database.app()
        let students = try await app.exports.students(inDivision: division, uai: school.uai, year: period.schoolYear,
                                                      by: .console(name: nil))
        guard !students.isEmpty else { throw Failure("aucun élève à exporter pour \(period.title)") }
        var destination: any ExportDestination = output.lowercased().hasSuffix(".zip")
            ? try ZIPDestination(path: output) : try FolderDestination(path: output)
        // One renderer per core, each on its own run of students; files are written in the
        // students' order by this task alone (a ZIP archive takes one writer).
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        var renderers = try (0..<lanes).map { _ in
            ProgressFileRendering(files: try app.exports.progressFiles(period: period, by: .console(name: nil)),
                                  keys: keys.directory(database: self.database), formats: options.formats,
                                  email: nil, reader: options.reader)
        }
        var bar = ProgressBar(total: students.count, label: "élèves")
        var written = 0, done = 0
        var skipped: [String] = []
        for chunk in students.chunked(into: lanes * 16) {
            let slices = Array(chunk).chunked(into: (chunk.count + lanes - 1) / lanes)
            var rendered = Array(repeating: [ProgressFileRendering.Outcome](), count: slices.count)
            try await withThrowingTaskGroup(of: (Int, [ProgressFileRendering.Outcome], ProgressFileRendering).self) { group in
                for (lane, slice) in slices.enumerated() {
                    var renderer = renderers[lane]
                    group.addTask {
                        var outcomes: [ProgressFileRendering.Outcome] = []
                        for student in slice { outcomes.append(try await renderer.outcome(studentID: student.id)) }
                        return (lane, outcomes, renderer)
                    }
                }
                for try await (lane, outcomes, renderer) in group {
                    rendered[lane] = outcomes
                    renderers[lane] = renderer
                }
            }
            for (student, outcome) in zip(chunk, rendered.joined()) {
                switch outcome {
                case let .files(files):
                    for file in files {
                        try destination.write(file.bytes, to: "\(ExportNames.safe(student.division))/\(file.name)")
                        written += 1
                    }
                case let .noBadge(name): skipped.append(name)
                }
                done += 1
                bar.update(done)
            }
        }
        if options.formats.contains(.json) { try destination.write(Array(try ProgressFileJSON.schema), to: "progress-file.schema.json") }
        try destination.finish()
        let pdfPages = renderers.reduce(0) { $0 + $1.pdfPages }
        print("\(French.counted(written, "fichier")) pour \(French.counted(students.count, "élève")) dans \(output) — \(period.title)"
              + (pdfPages > 0 ? " ; \(French.counted(pdfPages, "page")) PDF" : ""))
        if !skipped.isEmpty { print("Sans badge, donc sans CLR : \(French.counted(skipped.count, "élève"))") }
    }
}

/// Renders the progress files of a batch in the formats asked, one student at a time.
struct ProgressFileRendering: Sendable {
    struct File: Sendable {
        var name: String
        var bytes: [UInt8]
    }

    struct NoBadge: UserFacingError {
        var student: String
        var description: String { "\(student) n’a pas encore de badge : il n’y a rien à mettre dans un CLR" }
    }

    var files: ProgressFileBatch
    let keys: KeyDirectory
    let formats: [ExportCommand.Format]
    let email: String?
    let reader: ProgressFileReader
    private(set) var pdfPages = 0

    init(files: ProgressFileBatch, keys: KeyDirectory, formats: [ExportCommand.Format], email: String?, reader: ProgressFileReader) {
        self.files = files
        self.keys = keys
        self.formats = formats
        self.email = email
        self.reader = reader
    }

    /// A student's files, or why there are none (no badge for a CLR).
    enum Outcome: Sendable {
        case files([File])
        case noBadge(String)
    }

    mutating func outcome(studentID: Int64) async throws -> Outcome {
        do {
            return .files(try await files(studentID: studentID))
        } catch let error as NoBadge {
            return .noBadge(error.student)
        }
    }

    mutating func files(studentID: Int64) async throws -> [File] {
        let file = try await files.progressFile(studentID: studentID)
        let base = ExportNames.progressFile(file, studentID: studentID)
        var rendered: [File] = []
        for format in formats {
            switch format {
            case .pdf:
                let pdf = PDFExport.progressFile(file, for: reader)
                pdfPages += pdf.pages
                rendered.append(File(name: base + ".pdf", bytes: pdf.bytes))
            case .html: rendered.append(File(name: base + ".html", bytes: Array(HTMLExport.progressFile(file, for: reader).utf8)))
            case .json: rendered.append(File(name: base + ".json", bytes: Array(ProgressFileJSON.encoded(file))))
            case .csv: rendered.append(File(name: base + ".csv", bytes: Array(CSVExport.progressFile(file).utf8)))
            case .clr: rendered.append(File(name: base + ".clr.jwt", bytes: Array((try await learnerRecord(studentID: studentID,
                                                                                                            name: file.student.displayName) + "\n").utf8)))
            }
        }
        return rendered
    }

    /// The student's badges in a signed CLR 2.0, for `email` or their INE.
    private mutating func learnerRecord(studentID: Int64, name: String) async throws -> String {
        guard let record = try await files.learnerRecord(studentID: studentID, email: email, keys: keys) else {
            throw NoBadge(student: name)
        }
        return record
    }
}

private func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
}

extension Collection {
    /// Consecutive runs of at most `size` elements, in order.
    func chunked(into size: Int) -> [SubSequence] {
        var runs: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: Swift.max(1, size), limitedBy: endIndex) ?? endIndex
            runs.append(self[start..<end])
            start = end
        }
        return runs
    }
}
