import AcquisCore
import AcquisCSV
import AcquisStorage
import AcquisXML
import Foundation
import ZIPFoundation

/// What importing a roster would do, read before anything is stored.
public struct RosterPreview: Sendable {
    public enum Outcome: Sendable {
        /// What confirming would create, update and leave alone, for the year the file is for.
        case ready(RosterImport, students: Int, year: SchoolYear, format: RosterFormat)
        /// The legal guardians confirming would store, and who in the file was left out:
        /// contacts who are not legal guardians, guardians of no student of the school.
        case guardians(GuardianImport, guardians: Int, notLegal: Int)
        /// The teachers and services confirming would store, and the staff left out (direction,
        /// vie scolaire, teachers on leave) with why.
        case teachers(TeacherImport, teachers: Int, skipped: [SkippedStaff], year: SchoolYear)
        /// Every problem of the file, with its line and field; nothing can be imported.
        case refused([Diagnostic])
    }

    public var upload: Int64
    public var fileName: String
    public var outcome: Outcome
}

/// The files a roster is read from.
public enum RosterFormat: String, Sendable {
    /// SIECLE's `ElevesSansAdresses.xml` or `ElevesAvecAdresses.xml`.
    case siecle
    case csv
}

/// What a confirmed roster stored.
public enum ConfirmedRoster: Sendable {
    case students(RosterImport)
    case guardians(GuardianImport)
    case teachers(TeacherImport)
}

/// A roster file as read: students, their legal guardians, or the teachers and their services.
enum RosterFile {
    case students(StudentRoster, RosterFormat)
    case guardians(GuardianRoster)
    case teachers(TeacherRoster)
}

/// A preview that found nothing wrong: what it carries is undone, never stored.
private struct PreviewOnly: Error {
    var stored: ConfirmedRoster
}

extension SchoolSetup {
    /// The largest roster file accepted, zipped or not: a school of 3,000 students exports
    /// a few megabytes.
    public static let maximumRosterBytes = 20_000_000

    /// Forgets files older than a day (previews nobody confirmed, letters and their codes),
    /// whoever asks: the server does it as it starts, so that nothing lingers.
    public func forgetExpiredUploads(now: Date = Date()) async throws {
        try await app.write { tx in try tx.uploads.removeExpired(now: now) }
    }

    /// Keeps a roster file sent from the browser until its preview is confirmed.
    public func stageRoster(fileName: String, content: [UInt8], by person: ActingPerson) async throws -> Int64 {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.write { tx in
            try tx.uploads.save(.roster, schoolID: access.schoolID(uai: nil, in: tx), fileName: fileName, content: content,
                                uploadedBy: person.signature ?? "", at: Date())
        }
    }

    /// What importing a staged roster would do: the import runs and is rolled back, so the
    /// counts are exactly what confirming stores.
    public func previewRoster(_ id: Int64, by person: ActingPerson) async throws -> RosterPreview {
        let (upload, uai) = try await staged(id, by: person)
        // A Result, not do/catch: a typed-throws catch here crashes Swift 6.3's SIL verifier.
        let file: RosterFile
        switch Result(catching: { () throws(InvalidInput) in
            try Self.roster(from: upload.content, name: upload.fileName, schoolUAI: uai, today: app.today)
        }) {
        case let .failure(invalid): return RosterPreview(upload: id, fileName: upload.fileName, outcome: .refused(invalid.diagnostics))
        case let .success(success): file = success
        }
        let outcome: RosterPreview.Outcome
        switch (file, try await dryRun(file, uai: uai)) {
        case let (.students(roster, format), .students(imported)):
            outcome = .ready(imported, students: roster.students.count, year: roster.schoolYear ?? app.year, format: format)
        case let (.guardians(roster), .guardians(imported)):
            outcome = .guardians(imported, guardians: roster.guardians.count, notLegal: roster.notLegal)
        case let (.teachers(roster), .teachers(imported)):
            outcome = .teachers(imported, teachers: roster.teachers.count, skipped: roster.skipped, year: roster.schoolYear ?? app.year)
        default:
            outcome = .refused([])
        }
        return RosterPreview(upload: id, fileName: upload.fileName, outcome: outcome)
    }

    /// Runs the import in a transaction that is always rolled back: what it would store.
    private func dryRun(_ file: RosterFile, uai: String) async throws -> ConfirmedRoster {
        let year = app.year
        do {
            _ = try await app.write { tx -> Bool in
                throw PreviewOnly(stored: try Self.store(file, uai: uai, year: year, tx))
            }
        } catch let preview as PreviewOnly {
            return preview.stored
        }
        return .students(RosterImport())
    }

    /// Imports a staged roster in one transaction, then forgets the file.
    public func confirmRoster(_ id: Int64, by person: ActingPerson) async throws -> ConfirmedRoster {
        let (upload, uai) = try await staged(id, by: person)
        let file = try Self.roster(from: upload.content, name: upload.fileName, schoolUAI: uai, today: app.today)
        let year = app.year
        return try await app.write { tx in
            let stored = try Self.store(file, uai: uai, year: year, tx)
            try tx.uploads.remove(id: id)
            return stored
        }
    }

    private static func store(_ file: RosterFile, uai: String, year: SchoolYear, _ tx: any StorageTransaction) throws -> ConfirmedRoster {
        switch file {
        case let .students(roster, _):
            return .students(try tx.schools.importRoster(roster, uai: uai, year: roster.schoolYear ?? year))
        case let .guardians(roster):
            return .guardians(try tx.guardians.importGuardians(roster, schoolID: tx.schools.schoolID(uai: uai)))
        case let .teachers(roster):
            return .teachers(try tx.staff.importTeachers(roster, schoolID: tx.schools.schoolID(uai: uai), year: roster.schoolYear ?? year) {
                try SchoolAccounts.login(first: $0.firstName, last: $0.lastName, in: tx)
            })
        }
    }

    /// A staged roster of the person's own school, and that school's UAI; refused as unknown
    /// otherwise, so that ids cannot be probed.
    private func staged(_ id: Int64, by person: ActingPerson) async throws -> (PendingUpload, String) {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            guard let upload = try tx.uploads.upload(id: id, now: Date()), upload.kind == .roster, upload.schoolID == schoolID,
                  let uai = try tx.schools.uai(schoolID: schoolID)
            else { throw UploadError.unknown }
            return (upload, uai)
        }
    }

    /// Reads a roster sent as SIECLE or STS-web XML, or CSV, zipped or not; a file of another
    /// school is refused.
    static func roster(from content: [UInt8], name: String, schoolUAI: String, today: CalendarDate) throws(InvalidInput) -> RosterFile {
        let (bytes, inner) = try unzipped(content, name: name)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let first = bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard first == UInt8(ascii: "<") else { return .students(try StudentCSV().read(bytes: bytes, name: inner), .csv) }
        // The root element, within the first kilobytes: BEE_RESPONSABLES for guardians.
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let file: RosterFile, uai: String?
        if head.contains("<BEE_RESPONSABLES") {
            let roster = try SIECLEGuardianReader.read(bytes: bytes, name: inner)
            (file, uai) = (.guardians(roster), roster.uai)
        } else if head.contains("<STS_EDT") {
            let roster = try STSWebReader.read(bytes: bytes, name: inner, asOf: today)
            (file, uai) = (.teachers(roster), roster.uai)
        } else {
            let roster = try SIECLEStudentReader.read(bytes: bytes, name: inner)
            (file, uai) = (.students(roster, .siecle), roster.uai)
        }
        if let uai, uai.uppercased() != schoolUAI.uppercased() {
            throw InvalidInput(Diagnostic(file: inner, field: "PARAMETRES/UAJ",
                                          message: "ce fichier est celui de l’établissement \(uai), pas du vôtre (\(schoolUAI))"))
        }
        return file
    }

    /// Reads STS-web's export of teachers and services, zipped or not, as the console
    /// hands it over.
    public static func teacherRoster(from content: [UInt8], name: String, today: CalendarDate) throws(InvalidInput) -> TeacherRoster {
        let (bytes, inner) = try unzipped(content, name: name)
        return try STSWebReader.read(bytes: bytes, name: inner, asOf: today)
    }

    /// The one XML or CSV file of a ZIP archive, as SIECLE hands exports out; other content as is.
    static func unzipped(_ content: [UInt8], name: String) throws(InvalidInput) -> (bytes: [UInt8], name: String) {
        guard content.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return (content, name) }
        do {
            let archive = try Archive(data: Data(content), accessMode: .read)
            let files = archive.filter { $0.type == .file && !$0.path.hasPrefix("__MACOSX") }
            guard files.count == 1, let entry = files.first else {
                throw InvalidInput(Diagnostic(file: name, message: "l’archive contient \(files.count) fichiers ; déposez-la avec un seul fichier XML ou CSV"))
            }
            guard entry.uncompressedSize <= UInt64(maximumRosterBytes) else {
                throw InvalidInput(Diagnostic(file: name, message: "le fichier de l’archive est trop gros (plus de 20 Mo)"))
            }
            var bytes: [UInt8] = []
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                bytes += chunk
                if bytes.count > maximumRosterBytes { throw UploadError.tooLarge }
            }
            let inner = entry.path.split(separator: "/").last.map(String.init) ?? name
            return (bytes, "\(name) › \(inner)")
        } catch let invalid as InvalidInput {
            throw invalid
        } catch {
            throw InvalidInput(Diagnostic(file: name, message: "archive ZIP illisible ou trop grosse une fois décompressée"))
        }
    }
}

/// Why a staged file cannot be used.
public enum UploadError: Error, Equatable, CustomStringConvertible {
    /// Unknown, confirmed already, older than a day, or another school's.
    case unknown
    case tooLarge

    public var description: String {
        switch self {
        case .unknown: "ce dépôt n’existe plus (déjà importé, ou plus d’un jour) : déposez le fichier de nouveau"
        case .tooLarge: "le fichier est trop gros (20 Mo au plus)"
        }
    }
}
