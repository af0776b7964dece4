import Foundation

/// Exports started from a page and run in the background: how far each has got, and its file
/// once done. Each job is its starter's only, and is forgotten an hour after it ends; a person
/// runs a few at once at most, so that memory stays bounded.
actor ExportJobs {
    struct File: Sendable {
        var name: String
        var type: String
        var bytes: [UInt8]
    }

    enum State: Sendable {
        case running(done: Int, total: Int)
        case finished(File)
        case failed(String)
    }

    struct Job: Sendable {
        var owner: Int64
        var title: String
        var state: State
        var endedAt: Date?
    }

    /// How many exports one person may have running at once.
    static let perPerson = 3
    static let keptFor: TimeInterval = 3600

    private var jobs: [String: Job] = [:]

    /// Registers a job for `owner`; nil when they already run as many as allowed.
    func start(owner: Int64, title: String, total: Int, now: Date = Date()) -> String? {
        forgetEnded(before: now.addingTimeInterval(-Self.keptFor))
        let running = jobs.values.filter { job in
            if job.owner == owner, case .running = job.state { true } else { false }
        }.count
        guard running < Self.perPerson else { return nil }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        jobs[id] = Job(owner: owner, title: title, state: .running(done: 0, total: total))
        return id
    }

    func progress(_ id: String, done: Int) {
        guard case let .running(_, total) = jobs[id]?.state else { return }
        jobs[id]?.state = .running(done: done, total: total)
    }

    func finish(_ id: String, with file: File) {
        jobs[id]?.state = .finished(file)
        jobs[id]?.endedAt = Date()
    }

    func fail(_ id: String, _ message: String) {
        jobs[id]?.state = .failed(message)
        jobs[id]?.endedAt = Date()
    }

    /// The job, for its owner only: anyone else learns nothing, not even that it exists.
    func job(_ id: String, owner: Int64) -> Job? {
        guard let job = jobs[id], job.owner == owner else { return nil }
        return job
    }

    private func forgetEnded(before limit: Date) {
        jobs = jobs.filter { ($0.value.endedAt ?? .distantFuture) >= limit }
    }
}
