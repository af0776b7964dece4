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
        var batch = ProgressFileRendering(files: try app.exports.progressFiles(period: period, by: .console(name: nil)),
                                          keys: keys.directory(database: self.database), formats: options.formats,
                                          email: nil, reader: options.reader)
        var bar = ProgressBar(total: students.count, label: "élèves")
        var written = 0
        var skipped: [String] = []
        for (index, student) in students.enumerated() {
            do {
                for file in try await batch.files(studentID: student.id) {
                    try destination.write(file.bytes, to: "\(ExportNames.safe(student.division))/\(file.name)")
                    written += 1
                }
            } catch let error as ProgressFileRendering.NoBadge {
                skipped.append(error.student)
            }
            bar.update(index + 1)
        }
        if options.formats.contains(.json) { try destination.write(Array(try ProgressFileJSON.schema), to: "progress-file.schema.json") }
        try destination.finish()
        print("\(French.counted(written, "fichier")) pour \(French.counted(students.count, "élève")) dans \(output) — \(period.title)"
              + (batch.pdfPages > 0 ? " ; \(French.counted(batch.pdfPages, "page")) PDF" : ""))
        if !skipped.isEmpty { print("Sans badge, donc sans CLR : \(French.counted(skipped.count, "élève"))") }
    }
}

/// Renders the progress files of a batch in the formats asked, one student at a time.
struct ProgressFileRendering {
    struct File {
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
