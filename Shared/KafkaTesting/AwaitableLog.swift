/// A log that several tasks append to and tests await conditions on, without polling or sleeping.
///
/// ```swift
/// let log = AwaitableLog<String>()
/// Task { await log.append("ready") }
/// try await log.wait("ready") { $0.contains("ready") }
/// ```
public actor AwaitableLog<Entry: Sendable> {
    /// A condition on everything appended so far.
    public typealias Condition = @Sendable ([Entry]) -> Bool

    /// Everything appended so far, in order.
    public private(set) var entries: [Entry] = []
    private var waiters: [Int: (condition: Condition, continuation: CheckedContinuation<[Entry], Never>)] = [:]
    private var nextWaiter = 0

    /// Creates an empty log.
    public init() {}

    /// Appends one entry and wakes the waiters whose condition now holds.
    public func append(_ entry: Entry) { append(contentsOf: [entry]) }

    /// Appends entries and wakes the waiters whose condition now holds.
    public func append(contentsOf newEntries: [Entry]) {
        entries += newEntries
        for (id, waiter) in waiters where waiter.condition(entries) {
            waiters[id] = nil
            waiter.continuation.resume(returning: entries)
        }
    }

    /// Waits until `condition` holds and returns the entries then; fails with ``TimeoutError`` after `timeout`.
    @discardableResult
    public func wait(_ what: String, timeout: Duration = .seconds(30), until condition: @escaping Condition)
        async throws -> [Entry]
    {
        try await withTimeout(timeout, waitingFor: what) { await self.waitForever(until: condition) }
    }

    /// Waits until `condition` holds; a cancelled wait returns what is there (the timeout reports the failure).
    private func waitForever(until condition: @escaping Condition) async -> [Entry] {
        if condition(entries) { return entries }
        nextWaiter += 1
        let id = nextWaiter
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: entries)
                } else {
                    waiters[id] = (condition, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: entries)
    }
}
