import AcquisCore
import Foundation

/// Streams the France Compétences RNCP export (`FICHES/FICHE`), turning each fiche into a
/// referential: one block per `BLOC_COMPETENCES`, competencies split from its HTML list.
///
/// The national export holds tens of thousands of fiches in hundreds of megabytes: fiches
/// are read and handed over one at a time, and every field Acquis does not use is skipped
/// without being materialised, so memory stays flat.
public struct RNCPExportReader: Sendable {
    /// The file, or the name of the bytes read: what diagnostics name.
    public var path: String
    /// The export itself when it was sent rather than read from disk.
    public var bytes: [UInt8]?
    /// Fiche numbers to keep (`RNCP34947` or `34947`); empty keeps every fiche.
    public var selection: Set<String>
    /// The scale imported fiches are evaluated with; the export names none.
    public var scaleCode: String

    public init(path: String, fiches: [String] = [], scaleCode: String = Scale.benevolent.code) {
        self.path = path
        self.selection = Set(fiches.map(Self.normalizedNumber))
        self.scaleCode = scaleCode
    }

    /// An export held in memory (an upload); `name` labels its diagnostics.
    public init(bytes: [UInt8], name: String, fiches: [String] = [], scaleCode: String = Scale.benevolent.code) {
        self.init(path: name, fiches: fiches, scaleCode: scaleCode)
        self.bytes = bytes
    }

    public struct Summary: Sendable, Equatable {
        public var fichesRead = 0
        public var referentials = 0
        /// Fiches without any competency block (common for older registrations): nothing to evaluate.
        public var skippedWithoutBlocks: [String] = []
        /// Fiches no longer active (`ACTIF` = `Non`), left out unless named with `fiches`.
        public var skippedInactive: [String] = []
    }

    /// Calls `body` with each selected fiche, in file order. Throws ``InvalidInput`` when the
    /// file is not a well-formed RNCP export, a fiche lacks a required field, or a selected
    /// fiche is missing; errors thrown by `body` propagate unchanged.
    @discardableResult
    public func forEach(_ body: (Referential) throws -> Void) throws -> Summary {
        // The XML is read on a thread of its own while this one hands the referentials over (to
        // a database, on this thread): both cores on a large export. Splitting a fiche's lists
        // is done by whichever thread has time: this one, unless fiches wait for it, then the
        // reading thread. The fiches wait in a short queue, so memory stays that of a few.
        let fiches = Handover<FicheRead>(capacity: 64)
        let reading = Thread { [self] in
            do throws(InvalidInput) {
                let sawRoot = try read { fiche in
                    var split: Result<Referential, InvalidInput>?
                    if let fiche, isHandedOver(fiche), fiches.isBacklogged {
                        split = Result { () throws(InvalidInput) in try referential(from: fiche) }
                    }
                    return fiches.put(.fiche(fiche, split: split))
                }
                fiches.put(.end(sawRoot: sawRoot))
            } catch {
                fiches.put(.failure(error))
            }
            fiches.finishPutting()
        }
        reading.start()
        // However this ends, the reading thread stops putting and is waited for.
        defer { fiches.close() }
        var summary = Summary()
        var found = Set<String>()
        var sawRoot = false
        loop: while let read = fiches.take() {
            switch read {
            case .failure(let invalid):
                throw invalid
            case .end(let root):
                sawRoot = root
                break loop
            case let .fiche(fiche, split):
                summary.fichesRead += 1
                guard let fiche else { continue }
                found.insert(fiche.number)
                if isHandedOver(fiche) {
                    try body(try split?.get() ?? referential(from: fiche))
                    summary.referentials += 1
                } else if fiche.isInactive && !selection.contains(fiche.number) {
                    summary.skippedInactive.append(fiche.number)
                } else {
                    summary.skippedWithoutBlocks.append(fiche.number)
                }
            }
        }
        guard sawRoot else {
            throw InvalidInput(Diagnostic(file: path, message: "aucun élément FICHES : ce n’est pas un export RNCP"))
        }
        let missing = selection.subtracting(found).sorted()
        if !missing.isEmpty {
            throw InvalidInput(Diagnostic(file: path, field: "NUMERO_FICHE",
                                          message: "fiche \(missing.joined(separator: ", ")) absente de l’export"))
        }
        let emptySelected = selection.intersection(summary.skippedWithoutBlocks).sorted()
        if !emptySelected.isEmpty {
            throw InvalidInput(Diagnostic(file: path, field: "BLOCS_COMPETENCES",
                                          message: "la fiche \(emptySelected.joined(separator: ", ")) n’a aucun bloc de compétences ; rien à importer"))
        }
        return summary
    }

    /// What the reading thread hands over: each fiche read (nil when not selected), then the
    /// end of the file or why it cannot be read.
    private enum FicheRead: Sendable {
        /// `split`: its referential, when the reading thread made it.
        case fiche(Fiche?, split: Result<Referential, InvalidInput>?)
        case end(sawRoot: Bool)
        case failure(InvalidInput)
    }

    /// Whether a fiche read becomes a referential: one with blocks, active or named (an
    /// inactive fiche is counted as such, with blocks or not).
    private func isHandedOver(_ fiche: Fiche) -> Bool {
        !fiche.blocks.isEmpty && (!fiche.isInactive || selection.contains(fiche.number))
    }

    /// Reads the export's fiches in file order, each handed to `put` (which answers false once
    /// nobody takes them any more); answers whether the file had a FICHES element.
    private func read(_ put: (Fiche?) -> Bool) throws(InvalidInput) -> Bool {
        let reader = if let bytes { try XMLStreamReader(bytes: bytes, name: path) } else { try XMLStreamReader(path: path) }
        var sawRoot = false
        var more = reader.read()
        while more {
            guard reader.isElementStart else { more = reader.read(); continue }
            if reader.depth == 0 {
                guard reader.hasLocalName("FICHES") else {
                    throw InvalidInput(Diagnostic(file: path, line: reader.line, field: reader.localName,
                                                  message: "un export RNCP est attendu, dont l’élément racine est FICHES"))
                }
                sawRoot = true
                more = reader.read()
            } else if reader.depth == 1 && reader.hasLocalName("FICHE") {
                let fiche = readFiche(reader)
                // A fiche cut short (a truncated file) is never handed over: its missing blocks
                // would read as a new version. The truncation is what gets reported, with its line.
                guard reader.sink.isEmpty else { throw InvalidInput(reader.sink.report) }
                guard put(fiche) else { return sawRoot }
                more = reader.skipSubtree()
            } else {
                more = reader.skipSubtree()
            }
        }
        guard reader.finish() else { throw InvalidInput(reader.sink.report) }
        return sawRoot
    }

    static func normalizedNumber(_ number: String) -> String {
        let upper = number.trimmingCharacters(in: .whitespaces).uppercased()
        return upper.allSatisfy(\.isNumber) ? "RNCP" + upper : upper
    }

    struct Fiche: Sendable {
        var number = ""
        var title = ""
        var abbreviation: String?
        var decisionDate: String?
        var effectDate: String?
        var lastJODate: String?
        var endDate: String?
        var idFiche: String?
        var url: String?
        /// `ACTIF` = `Non`: a fiche no longer delivered.
        var isInactive = false
        var blocks: [Block] = []
        var line = 0
    }

    struct Block: Sendable {
        var code = ""
        var title = ""
        var competencies = ""
        var line = 0
    }

    /// Reads one FICHE, leaving the reader on its end tag. Returns nil for an unselected fiche.
    private func readFiche(_ reader: XMLStreamReader) -> Fiche? {
        var fiche = Fiche(line: reader.line)
        var selected = true
        reader.forEachChild {
            // Once a fiche is known to be unselected, its remaining fields are skipped unread.
            guard selected else { return }
            if reader.hasLocalName("NUMERO_FICHE") {
                fiche.number = Self.normalizedNumber(reader.readString())
                selected = selection.isEmpty || selection.contains(fiche.number)
            } else if reader.hasLocalName("INTITULE") {
                fiche.title = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("ID_FICHE") {
                fiche.idFiche = reader.readString()
            } else if reader.hasLocalName("DATE_DECISION") {
                fiche.decisionDate = reader.readString()
            } else if reader.hasLocalName("DATE_EFFET") {
                fiche.effectDate = reader.readString()
            } else if reader.hasLocalName("DATE_DERNIER_JO") {
                fiche.lastJODate = reader.readString()
            } else if reader.hasLocalName("DATE_FIN_ENREGISTREMENT") {
                fiche.endDate = reader.readString()
            } else if reader.hasLocalName("ACTIF") {
                fiche.isInactive = reader.readString().trimmingCharacters(in: .whitespaces).lowercased() == "non"
            } else if reader.hasLocalName("LIEN_URL_DESCRIPTION") {
                fiche.url = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("ABREGE") {
                reader.forEachChild {
                    if reader.hasLocalName("CODE") { fiche.abbreviation = reader.readString() }
                }
            } else if reader.hasLocalName("BLOCS_COMPETENCES") {
                reader.forEachChild {
                    if reader.hasLocalName("BLOC_COMPETENCES") { fiche.blocks.append(readBlock(reader)) }
                }
            }
        }
        return selected ? fiche : nil
    }

    private func readBlock(_ reader: XMLStreamReader) -> Block {
        var block = Block(line: reader.line)
        reader.forEachChild {
            if reader.hasLocalName("CODE") {
                block.code = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("LIBELLE") {
                block.title = reader.readString().collapsingWhitespace()
            } else if reader.hasLocalName("LISTE_COMPETENCES") {
                block.competencies = reader.readEmbeddedHTML()
            }
        }
        return block
    }

    func referential(from fiche: Fiche) throws(InvalidInput) -> Referential {
        func failure(_ field: String, _ message: String, at line: Int = fiche.line) -> InvalidInput {
            InvalidInput(Diagnostic(file: path, line: line, field: field, message: message))
        }
        guard !fiche.number.isEmpty else { throw failure("NUMERO_FICHE", "la fiche n’a pas de numéro") }
        guard !fiche.title.isEmpty else { throw failure("INTITULE", "la fiche \(fiche.number) n’a pas d’intitulé") }
        let dates = [fiche.decisionDate, fiche.effectDate, fiche.lastJODate].compactMap { $0 }
        let version = dates.lazy.compactMap(CalendarDate.init(french:)).first?.iso
            ?? fiche.idFiche.map { "fiche-\($0)" } ?? "1"

        var blocks: [ReferentialNode] = []
        for (index, block) in fiche.blocks.enumerated() {
            var code = block.code.uppercased().hasPrefix(fiche.number)
                ? String(block.code.dropFirst(fiche.number.count)) : block.code
            if code.isEmpty { code = "BC\(index + 1)" }
            guard !block.title.isEmpty else {
                throw failure("LIBELLE", "le bloc \(code) de la fiche \(fiche.number) n’a pas de libellé", at: block.line)
            }
            let entries = CompetencyList.split(html: block.competencies)
            let competencies = entries.enumerated().map { number, entry in
                ReferentialNode(
                    kind: .competency, code: "\(code).C\(number + 1)", title: entry.title,
                    children: entry.items.enumerated().map { itemNumber, item in
                        ReferentialNode(kind: .item, code: "\(code).C\(number + 1).\(itemNumber + 1)", title: item)
                    })
            }
            blocks.append(ReferentialNode(
                kind: .block, code: code, title: block.title,
                // A block whose list could not be split is evaluated as a whole.
                isEvaluable: competencies.isEmpty,
                externalCodes: block.code.isEmpty ? [] : [ExternalCode(system: .rncp, value: block.code)],
                children: competencies))
        }
        let referential = Referential(
            code: fiche.number, version: version, title: fiche.title, kind: .diplome,
            source: ["France compétences, fiche \(fiche.number)", fiche.url].compactMap { $0 }.joined(separator: " — "),
            validity: Validity(from: fiche.effectDate.flatMap(CalendarDate.init(french:)),
                               until: fiche.endDate.flatMap(CalendarDate.init(french:))),
            scaleCode: scaleCode,
            externalCodes: [ExternalCode(system: .rncp, value: fiche.number)]
                + (fiche.abbreviation.map { [ExternalCode(system: "abrege", value: $0)] } ?? []),
            children: blocks)
        let problems = referential.problems()
        if let problem = problems.first {
            throw failure(problem.nodeCode.map { "BLOC_COMPETENCES \($0)" } ?? "FICHE",
                          "fiche \(fiche.number) : \(problem.message)")
        }
        return referential
    }
}
