import AcquisCore
import AcquisReports
import Crypto
import Foundation
import ZIPFoundation

/// Why a portfolio package was refused. `description` is the French sentence.
public enum PortfolioPackageRefusal: Error, Equatable, CustomStringConvertible {
    case notZip
    case tooLarge(limit: Int)
    case tooManyFiles(limit: Int)
    /// A name that climbs out of the package or is absolute (`../x`, `/etc/x`).
    case unsafeName(String)
    /// A file that would expand far beyond its compressed size (a ZIP bomb).
    case bomb(String)
    case noManifest
    /// No school signature: nothing tells who made the package.
    case unsigned
    case manifest(String)
    /// A file whose SHA-256 differs from the manifest's, or missing, or not listed.
    case altered(String)

    public var description: String {
        switch self {
        case .notZip: "ce fichier n’est pas une archive ZIP de portfolio"
        case let .tooLarge(limit): "l’archive dépasserait \(limit / 1_048_576) Mo une fois décompressée : elle n’est pas lue"
        case let .tooManyFiles(limit): "l’archive contient plus de \(limit) fichiers : ce n’est pas un portfolio exporté par Acquis"
        case let .unsafeName(name): "l’archive contient un chemin dangereux (« \(name) ») : elle n’est pas lue"
        case let .bomb(name): "« \(name) » se décompresse en bien plus que sa taille : l’archive n’est pas lue"
        case .noManifest: "l’archive ne contient pas portfolio.json : ce n’est pas un portfolio exporté par Acquis"
        case .unsigned: "l’archive ne porte pas la signature d’un établissement (portfolio.jws) : rien ne dit qui l’a exportée"
        case let .manifest(what): "portfolio.json est illisible (\(what))"
        case let .altered(path): "« \(path) » ne correspond pas à l’empreinte du portfolio : l’archive a été modifiée après son export"
        }
    }
}

extension PortfolioPackage {
    /// Limits of what a package may hold: far above what Acquis exports (200 Mo of
    /// productions at most per student), far below what would exhaust the server.
    public static let maxUncompressed = 400 * 1_048_576
    public static let maxFiles = 2_000
    /// The largest expansion a file may claim (deflate rarely passes 10 on real content).
    public static let maxRatio = 200

    /// Reads and checks a package. Sizes are taken from the archive's directory and enforced
    /// again while extracting, so a directory that lies cannot expand past them.
    public static func open(_ data: Data) throws(PortfolioPackageRefusal) -> OpenedPortfolioPackage {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notZip }
        var entries: [Entry] = []
        var declared = 0
        var count = 0
        for entry in archive {
            count += 1
            guard count <= maxFiles else { throw .tooManyFiles(limit: maxFiles) }
            // A folder entry (`productions/`, as zip -r writes it) holds nothing; a link is refused.
            let path = entry.type == .directory && entry.path.hasSuffix("/") ? String(entry.path.dropLast()) : entry.path
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.contains(""), !path.contains("\\"),
                  entry.type != .symlink else { throw .unsafeName(entry.path) }
            guard entry.type == .file else { continue }
            entries.append(entry)
            declared += Int(entry.uncompressedSize)
            guard declared <= maxUncompressed else { throw .tooLarge(limit: maxUncompressed) }
            if entry.uncompressedSize > 1_048_576, entry.uncompressedSize > UInt64(maxRatio) * max(entry.compressedSize, 1) { throw .bomb(path) }
        }
        var files: [String: [UInt8]] = [:]
        var extracted = 0
        for entry in entries {
            var bytes: [UInt8] = []
            let limit = Int(entry.uncompressedSize)
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    bytes += chunk
                    extracted += chunk.count
                    if bytes.count > limit || extracted > maxUncompressed { throw PortfolioPackageRefusal.bomb(entry.path) }
                }
            } catch let refusal as PortfolioPackageRefusal {
                throw refusal
            } catch {
                throw .altered(entry.path)
            }
            files[entry.path] = bytes
        }
        guard let manifestBytes = files["portfolio.json"] else { throw .noManifest }
        guard let manifest = try? JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any] else { throw .manifest("JSON invalide") }
        guard manifest["format"] as? String == format else { throw .manifest("format « \(manifest["format"] as? String ?? "") » inconnu") }
        guard let listed = manifest["fichiers"] as? [[String: Any]], let school = manifest["etablissement"] as? [String: Any],
              let student = manifest["eleve"] as? [String: Any], let ine = student["ine"] as? String, !ine.isEmpty else {
            throw .manifest("élève, établissement ou liste des fichiers manquants")
        }
        guard let signature = files["portfolio.jws"] else { throw .unsigned }
        var expected = Set(files.keys).subtracting(["portfolio.json", "portfolio.jws", "LISEZMOI.txt"])
        for item in listed {
            guard let path = item["chemin"] as? String, let digest = item["sha256"] as? String else { throw .manifest("un fichier sans chemin ou sans empreinte") }
            guard let bytes = files[path], sha256(bytes) == digest else { throw .altered(path) }
            expected.remove(path)
        }
        if let extra = expected.sorted().first { throw .altered(extra) }
        let productions = (manifest["productions"] as? [[String: Any]] ?? []).map {
            OpenedPortfolioPackage.Production(title: $0["titre"] as? String ?? "", day: $0["date"] as? String ?? "",
                                              context: $0["contexte"] as? String ?? "", competencies: $0["competences"] as? [String] ?? [],
                                              path: $0["fichier"] as? String ?? "")
        }
        return OpenedPortfolioPackage(
            schoolName: school["nom"] as? String ?? "", schoolUAI: school["uai"] as? String ?? "", studentINE: ine,
            studentName: "\(student["prenom"] as? String ?? "") \(student["nom"] as? String ?? "")",
            exportedAt: manifest["exporteLe"] as? String ?? "", productions: productions,
            learnerRecord: files["badges.clr.jwt"].map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) },
            signature: String(decoding: signature, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            manifestSHA256: sha256(manifestBytes), package: Array(data))
    }
}
