import AcquisCore
@testable import AcquisCSV
import AcquisTestSupport
import Foundation
import Testing

@Suite("CSV reading")
struct CSVReaderTests {
    private func rows(_ text: String) throws -> [(line: Int, values: [String])] {
        try rows(bytes: Array(text.utf8))
    }

    private func rows(bytes: [UInt8]) throws -> [(line: Int, values: [String])] {
        let reader = try CSVReader(path: Fixtures.file(bytes: bytes, named: "t.csv"))
        var result: [(Int, [String])] = []
        try reader.forEachRow { result.append(($0.line, $0.values)) }
        return result
    }

    @Test("the separator is detected on the header: semicolon, comma or tab")
    func separators() throws {
        #expect(try rows("a;b\n1;2\n").map(\.values) == [["a", "b"], ["1", "2"]])
        #expect(try rows("a,b\n1,2\n").map(\.values) == [["a", "b"], ["1", "2"]])
        #expect(try rows("a\tb\n1\t2\n").map(\.values) == [["a", "b"], ["1", "2"]])
    }

    @Test("quoted fields keep separators, doubled quotes and line breaks; lines count physical lines")
    func quotes() throws {
        let read = try rows("nom;commentaire\r\n\"Dupont; Léa\";\"Très \"\"bien\"\"\nsuite\"\r\nMartin;ok\r\n")
        #expect(read.map(\.values) == [["nom", "commentaire"], ["Dupont; Léa", "Très \"bien\"\nsuite"], ["Martin", "ok"]])
        #expect(read.map(\.line) == [1, 2, 4])
    }

    @Test("Excel's « Texte Unicode » (UTF-16 with its byte order mark, tab-separated) reads like any other file")
    func utf16() throws {
        let text = "INE\tNom\tPrénom\r\n9000000001A\tÉCHARD\tLéa\r\n"
        let little = [UInt8]([0xFF, 0xFE]) + Array(text.data(using: .utf16LittleEndian)!)
        let big = [UInt8]([0xFE, 0xFF]) + Array(text.data(using: .utf16BigEndian)!)
        for bytes in [little, big] {
            #expect(try rows(bytes: bytes).map(\.values) == [["INE", "Nom", "Prénom"], ["9000000001A", "ÉCHARD", "Léa"]])
        }
        let roster = try StudentCSV().read(path: Fixtures.file(bytes: little, named: "eleves.txt"))
        #expect(roster.students.first?.lastName == "ÉCHARD")
    }

    @Test("a byte order mark is dropped and blank lines are skipped, keeping line numbers")
    func bomAndBlankLines() throws {
        let read = try rows(bytes: [0xEF, 0xBB, 0xBF] + Array("INE;Nom\n\n  \n1;A\n".utf8))
        #expect(read.map(\.values) == [["INE", "Nom"], ["1", "A"]])
        #expect(read.map(\.line) == [1, 4])
    }

    @Test("a big file is read in place and given back as it goes: accents across the checked chunks stay UTF-8, every row reads the same twice, a Latin-1 byte far in is still found")
    func bigFile() throws {
        // Rows of 64 bytes; « é » (two bytes) straddles the 4 MiB boundary the UTF-8 check works by.
        let header = Array("INE;Nom;Commentaire\n".utf8)
        var bytes = header
        var index = 0
        while bytes.count < (4 << 20) + (20 << 20) {
            let row = String(format: "%011d;NOM%06d;", index, index)
            bytes += Array(row.utf8)
            let pad = 63 - row.utf8.count
            if bytes.count < (4 << 20) && bytes.count + pad >= (4 << 20) - 1 {
                let before = (4 << 20) - 1 - bytes.count
                bytes += Array(repeating: UInt8(ascii: "x"), count: before) + Array("é".utf8) + Array(repeating: UInt8(ascii: "y"), count: pad - before - 2)
            } else {
                bytes += Array(repeating: UInt8(ascii: "x"), count: pad)
            }
            bytes.append(10)
            index += 1
        }
        #expect(Array(bytes[(4 << 20) - 1 ..< (4 << 20) + 1]) == Array("é".utf8), "the accent straddles the boundary")
        let path = Fixtures.file(bytes: bytes, named: "grand.csv")
        let reader = try CSVReader(path: path)
        #expect(!reader.wasTranscoded)
        var count = 0, accented = 0, last = ""
        try reader.forEachRow { row in
            count += 1
            if row[2].contains("é") { accented += 1 }
            last = row[1]
        }
        #expect(count == index + 1 && accented == 1 && last == String(format: "NOM%06d", index - 1))
        var again = 0
        try reader.forEachRow { _ in again += 1 }
        #expect(again == count, "pages given back are read again from the file")

        var latin = bytes
        latin[latin.count - 10] = 0xE9  // « é » in Windows-1252, far past the first chunks
        let transcoded = try CSVReader(path: Fixtures.file(bytes: latin, named: "grand-latin.csv"))
        #expect(transcoded.wasTranscoded)
    }

    @Test("a file saved by French Excel in Windows-1252 is read with its accents")
    func windows1252() throws {
        let bytes = try #require("Prénom;Évaluateur\nLéa;Mme Aubert\n".data(using: .windowsCP1252))
        let reader = try CSVReader(path: Fixtures.file(bytes: Array(bytes), named: "excel.csv"))
        var values: [[String]] = []
        try reader.forEachRow { values.append($0.values) }
        #expect(reader.wasTranscoded)
        #expect(values == [["Prénom", "Évaluateur"], ["Léa", "Mme Aubert"]])
    }

    @Test("an empty file is refused with its name")
    func empty() throws {
        let path = Fixtures.file("\n\n", named: "vide.csv")
        let error = try #require(throws: InvalidInput.self) { try CSVReader(path: path) }
        #expect(error.description.contains("vide.csv:1"))
    }

    @Test("the writer quotes only what needs it and reads back identical")
    func writerRoundTrip() throws {
        var writer = CSVWriter()
        let fields = ["simple", "avec ; point-virgule", "avec \"guillemets\"", "sur\ndeux lignes", ""]
        writer.appendRow(fields)
        #expect(writer.text.hasPrefix("\u{FEFF}simple;\"avec ; point-virgule\";"))
        #expect(try rows(writer.text).map(\.values) == [fields])
    }

    @Test("header names match without case, accents, spaces or underscores")
    func headerMatching() throws {
        let reader = try CSVReader(path: Fixtures.file("ID_NATIONAL;NOM DE FAMILLE;Prenom\n", named: "h.csv"))
        var header: CSVHeader?
        try reader.forEachRow { header = CSVHeader($0) }
        #expect(header?.index(of: "Identifiant national", "ID national") == 0)
        #expect(header?.index(of: "Nom de famille") == 1)
        #expect(header?.index(of: "Prénom") == 2)
        #expect(header?.index(of: "Classe") == nil)
    }
}

@Suite("UTF-8 checked in place")
struct UTF8ValidationTests {
    /// The standard library's answer, which makes a String to find out.
    static func reference(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    @Test("agrees with the standard library on every boundary of each sequence length, overlong forms, surrogates, truncations and 20,000 random inputs")
    func agreesWithStandardLibrary() {
        var cases: [[UInt8]] = [
            [], Array("Prénom;Élève;Zoé ✓ 𝄞".utf8), [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x80, 0x80],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFF], [0x80], [0xE9], Array("abcdefgh".utf8) + [0xE9] + Array("ijklmnop".utf8), [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            // Mostly ASCII and lead/continuation bytes, so that valid sequences come up too.
            let pool: [UInt8] = [0x41, 0x3B, 0x80, 0xBF, 0xA0, 0x9F, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
            cases.append((0..<length).map { _ in pool.randomElement(using: &generator)! })
        }
        for bytes in cases {
            #expect(bytes.withUnsafeBufferPointer(UTF8Validation.isValid) == Self.reference(bytes), "\(bytes)")
        }
    }
}
