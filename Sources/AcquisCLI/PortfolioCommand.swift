import AcquisApp
import AcquisCore
import AcquisExport
import ArgumentParser
import Foundation

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Le portfolio qui suit l’élève : l’exporter en une archive ZIP.",
        subcommands: [Export.self]
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
                let contents = try await database.app().portfolio.contents(of: student, keys: keys.directory(database: database),
                                                                          by: .console(name: nil))
                var archive = try ZIPDestination(path: output)
                let entries = PortfolioPackage.entries(contents)
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
