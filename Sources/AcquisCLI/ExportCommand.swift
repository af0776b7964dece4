import AcquisBadges
import AcquisCore
import AcquisExport
import AcquisOpenBadges
import AcquisPublishing
import AcquisReports
import AcquisStore
import ArgumentParser
import Foundation
import GRDB

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
                let db = try database.open()
                let studentID = try readStudentID(db)
                var batch = ProgressFileBatch(database: db, keys: keys.directory(database: database),
                                              formats: options.formats, period: period, email: options.email, reader: options.reader)
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

        private func readStudentID(_ db: AcquisDatabase) throws -> Int64 {
            try db.writer.read { try SchoolStore().student(student, in: $0).id }
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
                try await batch.export { db, uai, year in
                    try SchoolStore().students(inDivision: division, uai: uai, year: year, in: db).map { ($0.id, division) }
                }
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
                try await batch.export { db, uai, year in
                    try SchoolStore().divisions(uai: uai, year: year, in: db)
                        .filter { $0.kind == "classe" }
                        .flatMap { division in
                            try SchoolStore().students(inDivision: division.code, uai: uai, year: year, in: db)
                                .map { ($0.id, division.code) }
                        }
                }
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

    typealias Selection = (Database, _ uai: String, SchoolYear) throws -> [(id: Int64, division: String)]

    func export(_ select: Selection) async throws {
        let period = try periodOptions.period(in: school.year)
        let db = try database.open()
        try await write(try students(db, year: period.schoolYear, select), database: db, period: period)
    }

    private func students(_ db: AcquisDatabase, year: SchoolYear, _ select: Selection) throws -> [(id: Int64, division: String)] {
        try db.writer.read { db in try select(db, try school.resolvedUAI(db), year) }
    }

    private func write(_ students: [(id: Int64, division: String)], database: AcquisDatabase, period: Period) async throws {
        guard !students.isEmpty else { throw Failure("aucun élève à exporter pour \(period.title)") }
        var destination: any ExportDestination = output.lowercased().hasSuffix(".zip")
            ? try ZIPDestination(path: output) : try FolderDestination(path: output)
        var batch = ProgressFileBatch(database: database, keys: keys.directory(database: self.database),
                                      formats: options.formats, period: period, email: nil, reader: options.reader)
        var bar = ProgressBar(total: students.count, label: "élèves")
        var written = 0
        var skipped: [String] = []
        for (index, student) in students.enumerated() {
            do {
                for file in try await batch.files(studentID: student.id) {
                    try destination.write(file.bytes, to: "\(safeName(student.division))/\(file.name)")
                    written += 1
                }
            } catch let error as ProgressFileBatch.NoBadge {
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

/// Builds and renders progress files, one student at a time, reusing loaded referentials.
struct ProgressFileBatch {
    struct File {
        var name: String
        var bytes: [UInt8]
    }

    struct NoBadge: UserFacingError {
        var student: String
        var description: String { "\(student) n’a pas encore de badge : il n’y a rien à mettre dans un CLR" }
    }

    let database: AcquisDatabase
    let keys: KeyDirectory
    let formats: [ExportCommand.Format]
    let period: Period
    let email: String?
    let reader: ProgressFileReader
    private var builder = ExportBuilder(today: .today)
    private var signers: [Int64: BadgeSigner] = [:]
    private(set) var pdfPages = 0

    init(database: AcquisDatabase, keys: KeyDirectory, formats: [ExportCommand.Format], period: Period, email: String?,
         reader: ProgressFileReader = .student) {
        self.reader = reader
        self.database = database
        self.keys = keys
        self.formats = formats
        self.period = period
        self.email = email
    }

    mutating func files(studentID: Int64) async throws -> [File] {
        let file = try progressFile(studentID: studentID)
        let base = safeName("\(file.student.lastName)_\(file.student.firstName)_\(file.student.ine ?? String(studentID))_\(period.code)")
        var files: [File] = []
        for format in formats {
            switch format {
            case .pdf:
                let pdf = PDFExport.progressFile(file, for: reader)
                pdfPages += pdf.pages
                files.append(File(name: base + ".pdf", bytes: pdf.bytes))
            case .html: files.append(File(name: base + ".html", bytes: Array(HTMLExport.progressFile(file, for: reader).utf8)))
            case .json: files.append(File(name: base + ".json", bytes: Array(ProgressFileJSON.encoded(file))))
            case .csv: files.append(File(name: base + ".csv", bytes: Array(CSVExport.progressFile(file).utf8)))
            case .clr: files.append(File(name: base + ".clr.jwt", bytes: Array((try await learnerRecord(studentID: studentID,
                                                                                                         name: file.student.displayName) + "\n").utf8)))
            }
        }
        return files
    }

    private mutating func progressFile(studentID: Int64) throws -> ProgressFile {
        var builder = self.builder
        let period = self.period
        let file = try database.writer.read { db in try builder.progressFile(studentID: studentID, period: period, in: db) }
        self.builder = builder
        return file
    }

    /// What signing a learner record needs, read before any `await`.
    private func badges(studentID: Int64) throws -> (BadgePublishing, [IssuedAward], IssuerKey, HashedRecipient) {
        let email = self.email
        return try database.writer.read { db in
            let schoolID = try Int64.fetchOne(db, sql: "SELECT schoolId FROM student WHERE id = ?", arguments: [studentID])!
            let publishing = try BadgePublishing(schoolID: schoolID, in: db)
            let identity = try publishing.identity(studentID: studentID, email: email, in: db)
            let awards = try BadgeStore().awards(studentID: studentID, in: db).filter { !$0.isRevoked }
                .map { try publishing.issued($0, to: identity, in: db) }
            let key = try BadgeStore().activeKey(schoolID: schoolID, algorithm: .rs256, in: db)
            return (publishing, awards, key, identity.hashed())
        }
    }

    /// The student's badges in a signed CLR 2.0, for `email` or their INE.
    private mutating func learnerRecord(studentID: Int64, name: String) async throws -> String {
        let (publishing, awards, key, recipient) = try badges(studentID: studentID)
        guard !awards.isEmpty else { throw NoBadge(student: name) }
        let signer: BadgeSigner
        if let known = signers[publishing.schoolID] {
            signer = known
        } else {
            signer = try await BadgeSigner(issuer: publishing.issuer, signingKey: try keys.load(key))
            signers[publishing.schoolID] = signer
        }
        return try await signer.signLearnerRecord(LearnerRecord(recipient: recipient, awards: awards, issuedAt: Date()))
    }
}

/// A file name from names and codes: letters without accents, digits, « - » and « _ ».
func safeName(_ text: String) -> String {
    let folded = text.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    return String(folded.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
}

private func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
}
