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

/// A preview that found nothing wrong: what it carries is undone, never stored.
private struct PreviewOnly: Error {
    var imported: RosterImport
}

extension SchoolSetup {
    /// The largest roster file accepted, zipped or not: a school of 3,000 students exports
    /// a few megabytes.
    public static let maximumRosterBytes = 20_000_000

    /// Keeps a roster file sent from the browser until its preview is confirmed.
    public func stageRoster(fileName: String, content: [UInt8], by person: ActingPerson) async throws -> Int64 {
        let access = Access(person: person, year: app.year)
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
        let read: (roster: StudentRoster, format: RosterFormat)
        switch Result(catching: { () throws(InvalidInput) in
            try Self.roster(from: upload.content, name: upload.fileName, schoolUAI: uai)
        }) {
        case let .failure(invalid): return RosterPreview(upload: id, fileName: upload.fileName, outcome: .refused(invalid.diagnostics))
        case let .success(success): read = success
        }
        let year = read.roster.schoolYear ?? app.year
        let imported = try await dryRun(read.roster, uai: uai, year: year)
        return RosterPreview(upload: id, fileName: upload.fileName,
                             outcome: .ready(imported, students: read.roster.students.count, year: year, format: read.format))
    }

    /// Runs the import in a transaction that is always rolled back: what it would store.
    private func dryRun(_ roster: StudentRoster, uai: String, year: SchoolYear) async throws -> RosterImport {
        do {
            _ = try await app.write { tx -> Bool in
                let imported = try tx.schools.importRoster(roster, uai: uai, year: year)
                throw PreviewOnly(imported: imported)
            }
        } catch let preview as PreviewOnly {
            return preview.imported
        }
        return RosterImport()
    }

    /// Imports a staged roster in one transaction, then forgets the file.
    public func confirmRoster(_ id: Int64, by person: ActingPerson) async throws -> RosterImport {
        let (upload, uai) = try await staged(id, by: person)
        let roster = try Self.roster(from: upload.content, name: upload.fileName, schoolUAI: uai).roster
        let year = roster.schoolYear ?? app.year
        return try await app.write { tx in
            let imported = try tx.schools.importRoster(roster, uai: uai, year: year)
            try tx.uploads.remove(id: id)
            return imported
        }
    }

    /// A staged roster of the person's own school, and that school's UAI; refused as unknown
    /// otherwise, so that ids cannot be probed.
    private func staged(_ id: Int64, by person: ActingPerson) async throws -> (PendingUpload, String) {
        let access = Access(person: person, year: app.year)
        try access.require(.admin)
        return try await app.read { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            guard let upload = try tx.uploads.upload(id: id, now: Date()), upload.kind == .roster, upload.schoolID == schoolID,
                  let uai = try tx.schools.uai(schoolID: schoolID)
            else { throw UploadError.unknown }
            return (upload, uai)
        }
    }

    /// Reads a roster sent as SIECLE XML or CSV, zipped or not; a SIECLE file of another
    /// school is refused.
    static func roster(from content: [UInt8], name: String, schoolUAI: String) throws(InvalidInput) -> (roster: StudentRoster, format: RosterFormat) {
        let (bytes, inner) = try unzipped(content, name: name)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let first = bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "<") {
            let roster = try SIECLEStudentReader.read(bytes: bytes, name: inner)
            if let uai = roster.uai, uai.uppercased() != schoolUAI.uppercased() {
                throw InvalidInput(Diagnostic(file: inner, field: "PARAMETRES/UAJ",
                                              message: "ce fichier est celui de l’établissement \(uai), pas du vôtre (\(schoolUAI))"))
            }
            return (roster, .siecle)
        }
        return (try StudentCSV().read(bytes: bytes, name: inner), .csv)
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
