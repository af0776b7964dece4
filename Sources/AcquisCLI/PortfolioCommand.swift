import AcquisApp
import AcquisCore
import AcquisExport
import AcquisReports
import AcquisStorage
import ArgumentParser
import Foundation

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Le portfolio qui suit l’élève : l’exporter en une archive ZIP, le recevoir d’un établissement précédent.",
        subcommands: [Export.self, Import.self]
    )
}

extension PortfolioCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exporter",
            abstract: "Écrit le portfolio d’un élève dans une archive ZIP : livret de l’année, badges signés (CLR 2.0), productions.",
            discussion: "portfolio.json, dans l’archive, donne l’empreinte SHA-256 de chaque fichier.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var keys: KeyOptions

        @Argument(help: ArgumentHelp("INE de l’élève, ou son identifiant dans l’établissement.", valueName: "eleve"))
        var student: StudentReference

        @Option(name: .shortAndLong, help: "L’archive à écrire (.zip).")
        var output: String

        func run() async throws {
            try await reportingFailures {
                guard output.lowercased().hasSuffix(".zip") else { throw Failure("\(output) : l’archive doit finir par .zip") }
                let started = Date()
                let portfolio = try await database.app().portfolio, keys = keys.directory(database: database)
                let contents = try await portfolio.contents(of: student, keys: keys, by: .console(name: nil))
                let entries = try await PortfolioPackage.entries(contents) {
                    try await portfolio.signPackage(manifestSHA256: $0, of: student, keys: keys, by: .console(name: nil))
                }
                var archive = try ZIPDestination(path: output)
                for entry in entries { try archive.write(entry.bytes, to: entry.path) }
                try archive.finish()
                let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
                print("\(output) : portfolio de \(contents.progressFile.student.firstName) \(contents.progressFile.student.lastName), "
                      + "\(contents.productions.count) production\(contents.productions.count > 1 ? "s" : ""), "
                      + (contents.learnerRecord == nil ? "pas de badge" : "badges signés (CLR 2.0)")
                      + String(format: ", %d ko en %.2f s", (size + 1023) / 1024, Date().timeIntervalSince(started)))
            }
        }
    }
}

extension PortfolioCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "importer",
            abstract: "Reçoit le portfolio exporté par l’établissement précédent d’un élève, vérifié par sa signature.",
            discussion: """
                L’archive est lue avec des limites (taille, nombre de fichiers, chemins, taux de compression), chaque \
                fichier est comparé à son empreinte, et la signature doit être celle d’un établissement de la même base \
                (une académie) ou d’un établissement dont la clé a été confirmée : la première fois, comparez \
                l’empreinte affichée avec celui-ci, puis relancez avec --empreinte. Le portfolio est gardé à part : « établissement précédent », jamais mêlé aux \
                preuves de l’établissement.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("L’archive ZIP du portfolio.", valueName: "archive"))
        var file: String

        @Option(name: .customLong("empreinte"), help: ArgumentHelp(
            "L’empreinte de la clé de l’établissement précédent, comparée avec lui : la première fois qu’un portfolio en vient.",
            valueName: "empreinte"))
        var fingerprint: String?

        func run() async throws {
            try await reportingFailures {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue,
                      let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int else {
                    throw Failure("\(file) : fichier introuvable ou illisible")
                }
                guard size <= PortfolioPackage.maxUncompressed else {
                    throw Failure("\(file) : \(PortfolioPackageRefusal.tooLarge(limit: PortfolioPackage.maxUncompressed).description)")
                }
                let opened: OpenedPortfolioPackage
                do {
                    opened = try PortfolioPackage.open(try Data(contentsOf: URL(fileURLWithPath: file)))
                } catch let refusal as PortfolioPackageRefusal {
                    throw Failure("\(file) : \(refusal.description)")
                }
                let received: PreviousPortfolio
                do {
                    received = try await database.app().portfolio.receive(opened, confirming: fingerprint, by: .console(name: nil))
                } catch let error as PortfolioError {
                    guard case let .unconfirmedSigner(_, _, thumbprint) = error else { throw Failure("\(file) : \(error.description)") }
                    throw Failure("\(file) : \(error.description)\nUne fois l’empreinte comparée, relancez avec --empreinte \"\(thumbprint)\".")
                }
                print("portfolio de \(opened.studentName) reçu de \(received.schoolName) (signé par \(received.verifiedBy)) : "
                      + "\(received.productionTitles.count) production\(received.productionTitles.count > 1 ? "s" : ""), "
                      + "gardé comme « établissement précédent »")
            }
        }
    }
}
