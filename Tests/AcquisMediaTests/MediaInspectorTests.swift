import AcquisMedia
import AcquisTestSupport
import Foundation
import Testing

@Suite("A production's file is read from its content, and a picture keeps no metadata")
struct MediaInspectorTests {

    static func fixture(_ name: String) throws -> Data {
        try Fixtures.production(name)
    }

    /// What Pillow (an independent reader) finds in a picture.
    static func metadata(of picture: Data) throws -> [String: Any] {
        let path = Fixtures.file(bytes: Array(picture), named: "picture-\(UUID().uuidString)")
        let (status, output) = try Validators.run("\(Validators.root)/media/bin/python",
                                                  ["\(Validators.scripts)/picture_metadata.py", path])
        #expect(status == 0, "\(output)")
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
    }

    static var pillowAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "\(Validators.root)/media/bin/python") || Validators.runningInCI
    }

    @Test("a phone photo comes back upright, without its GPS position, camera or author")
    func photoLosesItsMetadata() throws {
        let original = try Self.fixture("photo-gps.jpg")
        let kept = try MediaInspector().receive(original)
        #expect(kept.kind == .image)
        #expect(kept.mediaType == "image/jpeg")
        // Stored sideways (80 × 60) with orientation 6: upright, it stands 60 × 80.
        #expect(kept.width == 60 && kept.height == 80)
        let bytes = [UInt8](kept.content)
        #expect(!bytes.contains(subsequence: Array("Exif".utf8)))
        #expect(!bytes.contains(subsequence: Array("Lina".utf8)))
        #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF]))
        if Self.pillowAvailable {
            let before = try Self.metadata(of: original), after = try Self.metadata(of: kept.content)
            #expect(before["gps"] as? Int == 4, "the fixture carries a GPS position")
            #expect(after["gps"] as? Int == 0)
            #expect(after["exif"] as? Int == 0)
            #expect(after["info"] as? [String] == [])
            #expect(after["width"] as? Int == 60 && after["height"] as? Int == 80)
        }
    }

    @Test("a thumbnail is made once, small, and without metadata either")
    func thumbnail() throws {
        let kept = try MediaInspector(limits: MediaLimits(thumbnailSide: 40)).receive(try Self.fixture("photo-gps.jpg"))
        let thumbnail = try #require(kept.thumbnail)
        #expect(![UInt8](thumbnail).contains(subsequence: Array("Exif".utf8)))
        if Self.pillowAvailable {
            let read = try Self.metadata(of: thumbnail)
            #expect(read["height"] as? Int == 40 && read["width"] as? Int == 30)
            #expect(read["exif"] as? Int == 0)
        }
    }

    @Test("a large photo is shrunk to the kept size, never enlarged")
    func keptSize() throws {
        let kept = try MediaInspector(limits: MediaLimits(keptSide: 50)).receive(try Self.fixture("photo-gps.jpg"))
        #expect(kept.height == 50 && kept.width == 38)
        let small = try MediaInspector(limits: MediaLimits(keptSide: 5_000)).receive(try Self.fixture("photo-gps.jpg"))
        #expect(small.height == 80)
    }

    @Test("a PNG stays a PNG, transparency kept, its text chunks dropped")
    func drawing() throws {
        let kept = try MediaInspector().receive(try Self.fixture("dessin.png"))
        #expect(kept.mediaType == "image/png")
        #expect(![UInt8](kept.content).contains(subsequence: Array("Lina".utf8)))
        if Self.pillowAvailable {
            let read = try Self.metadata(of: kept.content)
            #expect(read["format"] as? String == "PNG")
            #expect(read["info"] as? [String] == [])
        }
    }

    @Test("bytes hidden after a JPEG's end are not kept")
    func payloadAfterThePicture() throws {
        let payload = Array("#!/bin/sh\nrm -rf / # charge cachée\n".utf8)
        let kept = try MediaInspector().receive(try Self.fixture("photo-gps.jpg") + payload)
        #expect(![UInt8](kept.content).contains(subsequence: Array("charge".utf8)))
    }

    @Test("a program named .pdf, an archive and random bytes are refused by their content")
    func notWhatItClaims() throws {
        // The first bytes of a 64-bit Linux executable.
        var elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        elf += [2, 0, 0x3E, 0, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 104)
        #expect(throws: MediaRefusal.self) { try MediaInspector().receive(Data(elf)) }
        let zip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(throws: MediaRefusal.self) { try MediaInspector().receive(Data(zip)) }
        var random = SystemRandomNumberGenerator()
        let noise = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(throws: MediaRefusal.self) { try MediaInspector().receive(Data(noise)) }
        do {
            _ = try MediaInspector().receive(Data(elf))
        } catch {
            #expect(error.description.contains("ni une photo"))
        }
    }

    @Test("a truncated JPEG is refused as unreadable")
    func truncated() throws {
        let photo = try Self.fixture("photo-gps.jpg")
        #expect(throws: MediaRefusal.unreadableImage) { try MediaInspector().receive(photo.prefix(photo.count / 2)) }
    }

    @Test("a picture whose header claims too many pixels is refused before decoding")
    func pixelBomb() throws {
        // A valid PNG announcing 100,000 × 100,000 pixels (30 GB decoded) in 1.2 kB.
        let png = try Self.fixture("bombe.png")
        #expect(throws: MediaRefusal.tooManyPixels(width: 100_000, height: 100_000, limit: 64_000_000)) {
            try MediaInspector().receive(png)
        }
    }

    @Test("a PDF and a UTF-8 text are kept as sent; text in another encoding is refused")
    func documents() throws {
        let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        #expect(try MediaInspector().receive(pdf).kind == .pdf)
        #expect(try MediaInspector().receive(pdf).content == pdf)
        let text = Data("Compte rendu de l’atelier : j’ai accueilli trois clients.\n".utf8)
        #expect(try MediaInspector().receive(text).mediaType == "text/plain; charset=utf-8")
        let latin1 = Data([0x43, 0x27, 0x65, 0x73, 0x74, 0x20, 0xE9, 0x74, 0xE9, 0x20, 0x62, 0x69, 0x65, 0x6E, 0x2E, 0x0A])
        #expect(throws: MediaRefusal.self) { try MediaInspector().receive(latin1) }
    }

    @Test("an empty file and one over the limit are refused, the limit said in Mo")
    func sizes() throws {
        #expect(throws: MediaRefusal.empty) { try MediaInspector().receive(Data()) }
        let limits = MediaLimits(fileBytes: 1_048_576)
        #expect(throws: MediaRefusal.tooLarge(bytes: 1_572_864, limit: 1_048_576)) {
            try MediaInspector(limits: limits).receive(Data(count: 1_572_864))
        }
        #expect(MediaRefusal.tooLarge(bytes: 1_572_864, limit: 1_048_576).description
                == "le fichier pèse 1,5\u{A0}Mo, au-delà de la limite de 1\u{A0}Mo par fichier")
        #expect(MediaLimits.megabytes(30_000) == "30\u{A0}ko")
    }

    /// The tags ffprobe reads in a recording (container and streams).
    static func tags(of recording: Data) throws -> String {
        let path = Fixtures.file(bytes: Array(recording), named: "recording-\(UUID().uuidString)")
        return try Validators.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json", path]).output
    }

    static var ffmpegAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") || Validators.runningInCI
    }

    @Test("a phone video comes back playable, without its GPS position or title", .enabled(if: ffmpegAvailable, "ffmpeg not installed"))
    func videoLosesItsMetadata() throws {
        let original = try Fixtures.production("video-gps.mp4")
        #expect(try Self.tags(of: original).contains("+48.6936+006.1846/"), "the fixture carries a position")
        let kept = try MediaInspector().receive(original)
        #expect(kept.kind == .video && kept.mediaType == "video/mp4")
        let poster = try #require(kept.thumbnail, "the first frame as a thumbnail")
        #expect([UInt8](poster).starts(with: [0xFF, 0xD8, 0xFF]))
        let tags = try Self.tags(of: kept.content)
        #expect(!tags.contains("48.6936") && !tags.contains("Léa") && !tags.contains("location"), "\(tags)")
        let streams = try Validators.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
                                                              Fixtures.file(bytes: Array(kept.content), named: "kept.mp4")]).output
        #expect(streams.split(separator: "\n").sorted() == ["audio", "video"], "both streams kept as recorded")
    }

    @Test("an oral recording loses its author and comment", .enabled(if: ffmpegAvailable, "ffmpeg not installed"))
    func audioLosesItsMetadata() throws {
        let original = try Fixtures.production("oral.mp3")
        let kept = try MediaInspector().receive(original)
        #expect(kept.kind == .audio && kept.mediaType == "audio/mpeg")
        #expect(![UInt8](kept.content).contains(subsequence: Array("Léa".utf8)))
        #expect(![UInt8](kept.content).starts(with: Array("ID3".utf8)))
        #expect(!(try Self.tags(of: kept.content)).contains("48.6936"))
    }

    @Test("a recording longer than allowed, or truncated, is refused", .enabled(if: ffmpegAvailable, "ffmpeg not installed"))
    func recordingLimits() throws {
        let video = try Fixtures.production("video-gps.mp4")
        #expect(throws: MediaRefusal.tooLong(seconds: 2, limit: 1)) { try MediaInspector(limits: MediaLimits(mediaSeconds: 1)).receive(video) }
        #expect(throws: MediaRefusal.self) { try MediaInspector().receive(video.prefix(600)) }
        #expect(MediaRefusal.tooLong(seconds: 200, limit: 180).description.contains("3 min 20 s, au-delà de 3 minutes"))
    }
}
