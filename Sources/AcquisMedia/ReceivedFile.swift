import CAcquisMedia
import Foundation

/// What a production's file turned out to be, read from its content (never from its name).
public enum MediaKind: String, Sendable, CaseIterable {
    /// A photo or a picture: re-encoded, without metadata.
    case image
    /// A PDF document, kept as sent.
    case pdf
    /// Plain text in UTF-8, kept as sent.
    case text
    /// A short recording: copied into a new container without its metadata.
    case audio
    case video
}

/// A file accepted as a production: the bytes to keep (for an image, the re-encoded picture,
/// never the original) and a thumbnail for pictures.
public struct ReceivedFile: Sendable {
    public var kind: MediaKind
    /// The media type the bytes are served with ("image/jpeg").
    public var mediaType: String
    public var content: Data
    /// A small JPEG or PNG for lists (a video's first frame); nil for documents, texts and sounds.
    public var thumbnail: Data?
    /// The picture's size in pixels after re-encoding; nil for documents and texts.
    public var width: Int?
    public var height: Int?
}

/// Why a file was refused. Each front end words it; `description` is the French sentence.
public enum MediaRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    /// The content is of a type Acquis does not keep (its media type as libmagic reads it).
    case unsupported(detected: String)
    /// An image whose pixels cannot be decoded (truncated, corrupt, forged).
    case unreadableImage
    /// An image larger than `limit` pixels: decoding it would exhaust the server.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// A text that is not UTF-8.
    case notUTF8
    /// A recording longer than the limit.
    case tooLong(seconds: Int, limit: Int)
    /// A recording ffmpeg cannot read (or ffmpeg is not installed).
    case unreadableMedia

    public var description: String {
        switch self {
        case .empty: "le fichier est vide"
        case let .tooLarge(bytes, limit):
            "le fichier pèse \(MediaLimits.megabytes(bytes)), au-delà de la limite de \(MediaLimits.megabytes(limit)) par fichier"
        case let .unsupported(detected):
            "ce fichier n’est ni une photo (JPEG, PNG, WebP, HEIC), ni un enregistrement (MP4, MOV, WebM, MP3, M4A, Ogg, WAV), "
                + "ni un PDF, ni un texte : son contenu est de type « \(detected) »"
        case .unreadableImage: "l’image est illisible (fichier tronqué ou abîmé) : reprenez la photo ou exportez-la de nouveau"
        case let .tooManyPixels(width, height, limit):
            "l’image mesure \(width) × \(height) pixels, au-delà de \(limit / 1_000_000) millions de pixels : réduisez-la avant de l’envoyer"
        case .notUTF8: "le texte n’est pas encodé en UTF-8 : enregistrez-le en UTF-8 avant de l’envoyer"
        case let .tooLong(seconds, limit):
            "l’enregistrement dure \(seconds / 60) min \(seconds % 60) s, au-delà de \(limit / 60) minutes : gardez un extrait plus court"
        case .unreadableMedia: "l’enregistrement est illisible (fichier tronqué ou abîmé) : enregistrez-le de nouveau"
        }
    }
}

/// How large a file and a picture may be.
public struct MediaLimits: Sendable {
    /// Bytes per file as sent: a photo, a document, a text.
    public var fileBytes: Int
    /// Bytes per recording as sent, and its longest duration.
    public var mediaBytes: Int
    public var mediaSeconds: Int
    /// Pixels of a picture as sent (width × height), checked from its header before decoding.
    public var pixels: Int
    /// The longest side of a kept picture: larger photos are shrunk to it.
    public var keptSide: Int
    /// The longest side of a thumbnail.
    public var thumbnailSide: Int

    public init(fileBytes: Int = 10 * 1_048_576, mediaBytes: Int = 30 * 1_048_576, mediaSeconds: Int = 180, pixels: Int = 64_000_000,
                keptSide: Int = 2_560, thumbnailSide: Int = 320) {
        self.fileBytes = fileBytes
        self.mediaBytes = mediaBytes
        self.mediaSeconds = mediaSeconds
        self.pixels = pixels
        self.keptSide = keptSide
        self.thumbnailSide = thumbnailSide
    }

    /// The largest file of any kind.
    public var largest: Int { max(fileBytes, mediaBytes) }

    /// "2,5 Mo" or "340 ko", as French readers write sizes: the unit never alone on a line
    /// (a no-break space).
    public static func megabytes(_ bytes: Int) -> String {
        guard bytes >= 1_048_576 else { return "\(max(1, (bytes + 1_023) / 1_024))\u{A0}ko" }
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)\u{A0}Mo" : "\(tenths / 10),\(tenths % 10)\u{A0}Mo"
    }
}

/// Reads what a file is from its content, and keeps of it only what is safe to serve.
///
/// Types come from libmagic (the `file` command's database); pictures are decoded and encoded
/// anew by libvips, upright, in sRGB, at most `keptSide` pixels long, with no EXIF, XMP, IPTC or
/// ICC data: a phone photo's GPS position, its camera and its author never reach the database,
/// and bytes hidden after the picture are dropped with the rest of the original.
public struct MediaInspector: Sendable {
    public var limits: MediaLimits

    public init(limits: MediaLimits = MediaLimits()) {
        self.limits = limits
    }

    static let imageTypes: Set<String> = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"]

    public func receive(_ bytes: Data) throws(MediaRefusal) -> ReceivedFile {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.largest else { throw .tooLarge(bytes: bytes.count, limit: limits.largest) }
        let detected = Self.mediaType(of: bytes)
        if let target = Remux.targets[detected] {
            guard Remux.available else { throw .unreadableMedia }
            let kept = try Remux.strip(bytes, to: target, maxSeconds: limits.mediaSeconds)
            // A video's first frame, as small as a photo's thumbnail, shows it in lists before it plays.
            let poster = target.isVideo ? Remux.firstFrame(of: kept).flatMap { try? encode($0, side: limits.thumbnailSide, png: false) } : nil
            return ReceivedFile(kind: target.isVideo ? .video : .audio, mediaType: target.mediaType, content: kept,
                                thumbnail: poster?.data, width: nil, height: nil)
        }
        guard bytes.count <= limits.fileBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.fileBytes) }
        switch detected {
        case "application/pdf":
            return ReceivedFile(kind: .pdf, mediaType: "application/pdf", content: bytes)
        case "text/plain":
            guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
            return ReceivedFile(kind: .text, mediaType: "text/plain; charset=utf-8", content: bytes)
        case let type where Self.imageTypes.contains(type):
            return try picture(bytes, png: type == "image/png")
        default:
            throw .unsupported(detected: detected)
        }
    }

    private func picture(_ bytes: Data, png: Bool) throws(MediaRefusal) -> ReceivedFile {
        var width: Int32 = 0, height: Int32 = 0
        let sized = bytes.withUnsafeBytes { acquis_image_size($0.baseAddress, $0.count, &width, &height) }
        guard sized == 0 else { Self.clearError(); throw .unreadableImage }
        guard Int(width) * Int(height) <= limits.pixels else {
            throw .tooManyPixels(width: Int(width), height: Int(height), limit: limits.pixels)
        }
        let kept = try encode(bytes, side: limits.keptSide, png: png)
        let thumbnail = try encode(bytes, side: limits.thumbnailSide, png: png)
        return ReceivedFile(kind: .image, mediaType: png ? "image/png" : "image/jpeg", content: kept.data,
                            thumbnail: thumbnail.data, width: kept.width, height: kept.height)
    }

    private func encode(_ bytes: Data, side: Int, png: Bool) throws(MediaRefusal) -> (data: Data, width: Int, height: Int) {
        var image = acquis_image()
        let status = bytes.withUnsafeBytes {
            acquis_image_encode($0.baseAddress, $0.count, Int32(side), png ? 1 : 0, 85, &image)
        }
        defer { acquis_image_free(&image) }
        guard status == 0, let data = image.data else { Self.clearError(); throw .unreadableImage }
        return (Data(bytes: data, count: image.length), Int(image.width), Int(image.height))
    }

    /// The media type libmagic reads from the content ("application/octet-stream" when unsure).
    public static func mediaType(of bytes: Data) -> String {
        guard let type = bytes.withUnsafeBytes({ acquis_media_type($0.baseAddress, $0.count) }) else {
            return "application/octet-stream"
        }
        defer { free(type) }
        return String(cString: type)
    }

    private static func clearError() {
        var message = [CChar](repeating: 0, count: 2)
        acquis_media_error(&message, message.count)
    }
}
