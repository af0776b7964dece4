import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only, that a reader going through them once gives back to the
/// system behind it (``releaseBefore(_:)``): a bulk import of a 47 MB CSV file then never holds
/// the file whole in memory. The pages given back are read again from the file if touched,
/// so nothing is lost; the mapping is private and never written.
final class MappedFile {
    let base: UnsafeRawPointer
    let count: Int
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Released in steps of this many bytes at least: one system call per step.
    private static let step = 8 << 20
    private var released = 0

    /// Maps `path`; nil for an empty file or one that cannot be mapped (the caller reads it instead).
    init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return nil }
        let count = Int(status.st_size)
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(address)
        self.count = count
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count) }

    /// Gives back the whole pages before `offset`, once a step's worth was read past the last release.
    func releaseBefore(_ offset: Int) {
        guard offset - released >= Self.step else { return }
        let end = offset / Self.pageSize * Self.pageSize
        madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, MADV_DONTNEED)
        released = end
    }

    /// Gives back every page read so far, to read the file again from its start.
    func releaseAll() {
        madvise(UnsafeMutableRawPointer(mutating: base), count, MADV_DONTNEED)
        released = 0
    }
}
