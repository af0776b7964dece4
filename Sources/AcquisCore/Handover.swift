import Foundation

/// A short queue from one thread to another: ``put(_:)`` waits while it is full, ``take()``
/// while it is empty. The taker may leave early (``close()``): the putter is told, and waited
/// for. Readers of big files use it to read on one core while the caller stores on the other.
public final class Handover<Item: Sendable>: @unchecked Sendable {
    // Every stored property is read and written under `condition`.
    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    /// The taker has gone.
    private var isClosed = false
    /// The putter has put everything.
    private var isFinished = false

    /// A queue holding at most `capacity` items.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `item` once there is room; false (the item dropped) once the taker has gone.
    @discardableResult
    public func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !isClosed { condition.wait() }
        guard !isClosed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Whether the taker is behind: the queue is at least half full.
    public var isBacklogged: Bool {
        condition.lock()
        defer { condition.unlock() }
        return items.count >= capacity / 2
    }

    /// Says the putter will put nothing more.
    public func finishPutting() {
        condition.lock()
        defer { condition.unlock() }
        isFinished = true
        condition.broadcast()
    }

    /// The next item, once there is one; nil once the putter has finished and all was taken.
    public func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !isFinished { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The taker leaves: what is left is dropped, and the putter, told, is waited for until it
    /// has finished.
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        isClosed = true
        items.removeAll()
        condition.broadcast()
        while !isFinished { condition.wait() }
    }
}
