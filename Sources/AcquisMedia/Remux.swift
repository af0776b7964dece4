import Foundation

/// Audio and video copied into a new container without any metadata, by Debian's ffmpeg:
/// the streams are kept as recorded (no re-encoding), the title, author, recording device and
/// GPS position of the original go with it.
enum Remux {
    static let ffmpeg = ProcessInfo.processInfo.environment["ACQUIS_FFMPEG"] ?? "/usr/bin/ffmpeg"
    static let ffprobe = ProcessInfo.processInfo.environment["ACQUIS_FFPROBE"] ?? "/usr/bin/ffprobe"

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: ffmpeg) && FileManager.default.isExecutableFile(atPath: ffprobe)
    }

    /// What a detected media type is kept as: ffmpeg's output format, the file's extension,
    /// the media type it is served with, and whether it is a video.
    struct Target {
        var format: String
        var fileExtension: String
        var mediaType: String
        var isVideo: Bool
    }

    static let targets: [String: Target] = [
        "video/mp4": Target(format: "mp4", fileExtension: "mp4", mediaType: "video/mp4", isVideo: true),
        "video/quicktime": Target(format: "mp4", fileExtension: "mp4", mediaType: "video/mp4", isVideo: true),
        "video/webm": Target(format: "webm", fileExtension: "webm", mediaType: "video/webm", isVideo: true),
        "audio/mpeg": Target(format: "mp3", fileExtension: "mp3", mediaType: "audio/mpeg", isVideo: false),
        "audio/x-m4a": Target(format: "mp4", fileExtension: "m4a", mediaType: "audio/mp4", isVideo: false),
        "audio/mp4": Target(format: "mp4", fileExtension: "m4a", mediaType: "audio/mp4", isVideo: false),
        "audio/ogg": Target(format: "ogg", fileExtension: "ogg", mediaType: "audio/ogg", isVideo: false),
        "audio/x-wav": Target(format: "wav", fileExtension: "wav", mediaType: "audio/wav", isVideo: false),
        "audio/wav": Target(format: "wav", fileExtension: "wav", mediaType: "audio/wav", isVideo: false),
    ]

    /// The recording's duration in seconds, read by ffprobe; nil when it cannot be read.
    static func duration(of file: URL) -> Double? {
        let (status, output) = run(ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1",
                                            file.path])
        return status == 0 ? Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }

    /// The streams of `bytes` in a new `target` container, without metadata, chapters, cover
    /// art, subtitles or data streams; nil when ffmpeg cannot read them.
    static func strip(_ bytes: Data, to target: Target, maxSeconds: Int) throws(MediaRefusal) -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-media-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unreadableMedia
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("original"), output = folder.appendingPathComponent("kept.\(target.fileExtension)")
        guard (try? bytes.write(to: input)) != nil else { throw .unreadableMedia }
        guard let seconds = duration(of: input) else { throw .unreadableMedia }
        guard seconds <= Double(maxSeconds) else { throw .tooLong(seconds: Int(seconds.rounded(.up)), limit: maxSeconds) }
        var arguments = ["-nostdin", "-v", "error", "-i", input.path, "-map", "0:a?"]
        if target.isVideo { arguments += ["-map", "0:v:0?"] }
        arguments += ["-map_metadata", "-1", "-map_chapters", "-1", "-c", "copy", "-fflags", "+bitexact",
                      "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
        if target.format == "mp4" { arguments += ["-movflags", "+faststart"] }
        if target.format == "mp3" { arguments += ["-id3v2_version", "0", "-write_id3v1", "0"] }
        arguments += ["-t", String(maxSeconds), "-f", target.format, output.path]
        let (status, _) = run(ffmpeg, arguments)
        guard status == 0, let kept = try? Data(contentsOf: output), !kept.isEmpty else { throw .unreadableMedia }
        return kept
    }

    /// The first frame of a kept video as a PNG, for its thumbnail; nil when none can be read.
    static func firstFrame(of video: Data) -> Data? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acquis-frame-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("video"), frame = folder.appendingPathComponent("frame.png")
        guard (try? video.write(to: input)) != nil else { return nil }
        let (status, _) = run(ffmpeg, ["-nostdin", "-v", "error", "-i", input.path, "-map", "0:v:0", "-frames:v", "1",
                                       "-map_metadata", "-1", "-f", "image2", "-c:v", "png", frame.path])
        return status == 0 ? try? Data(contentsOf: frame) : nil
    }

    /// Runs a program to its end, at most a minute; its status and standard output.
    static func run(_ program: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "") }
        let deadline = DispatchTime.now() + .seconds(60)
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, text)
    }
}
