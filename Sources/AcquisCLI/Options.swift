import AcquisCore
import AcquisStore
import ArgumentParser
import Foundation

struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "Fichier de la base SQLite.",
        discussion: "Par défaut : $ACQUIS_DB, sinon ~/.local/share/acquis/acquis.sqlite (ou $XDG_DATA_HOME/acquis)."))
    var path: String?

    var resolvedPath: String {
        if let path { return path }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ACQUIS_DB"], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("acquis/acquis.sqlite")
    }

    func open() throws -> AcquisDatabase {
        do {
            return try AcquisDatabase(path: resolvedPath)
        } catch {
            throw Failure("impossible d’ouvrir la base \(resolvedPath) : \(error)")
        }
    }
}

/// A command failure: one line on standard error, exit code 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Terminal {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints every diagnostic, then fails with a one-line summary.
    static func fail(_ invalid: InvalidInput, summary: String) -> Failure {
        for diagnostic in invalid.diagnostics { error(diagnostic.description) }
        return Failure(summary)
    }
}

extension ParsableCommand {
    /// Runs `body`, turning failures into a one-line message and exit code 1.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            Terminal.error("erreur : \(failure.description)")
            throw ExitCode.failure
        } catch let invalid as InvalidInput {
            for diagnostic in invalid.diagnostics { Terminal.error(diagnostic.description) }
            Terminal.error("erreur : fichier invalide, rien n’a été enregistré")
            throw ExitCode.failure
        } catch let error as ReferentialStoreError {
            Terminal.error("erreur : \(error.description)")
            throw ExitCode.failure
        }
    }
}
