import Dispatch
import Synchronization

/// Hands events from the consumer's polling thread to the task iterating ``KafkaConsumerEvents``, one at a time.
///
/// The polling thread polls only while the iterating task is waiting in `next()` (it "has demand"), and a
/// delivered event is considered handled when the task calls `next()` again. That second step is what lets a
/// revocation wait, inside librdkafka's rebalance callback, until the task has finished and committed the batch
/// in hand.
final class KafkaConsumerRendezvous: Sendable {
    typealias Outcome = Result<KafkaConsumerEvent?, KafkaError>

    private struct State {
        var waiter: CheckedContinuation<Outcome, Never>?
        var finished: Outcome?
    }

    private let state = Mutex(State())
    private let demand = DispatchSemaphore(value: 0)

    // MARK: The iterating task

    func next() async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let finished = state.withLock { state -> Outcome? in
                    if let finished = state.finished { return finished }
                    state.waiter = continuation
                    return nil
                }
                if let finished {
                    continuation.resume(returning: finished)
                } else {
                    demand.signal()
                }
            }
        } onCancel: {
            finish(.success(nil))
        }
    }

    // MARK: The polling thread

    /// Waits up to `timeout` for the task to ask for an event.
    func waitForDemand(timeout: Duration) -> Bool {
        demand.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success
    }

    /// Resumes the waiting task with `event`. Returns `false` when the sequence has finished.
    @discardableResult
    func deliver(_ event: KafkaConsumerEvent) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard state.finished == nil else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .success(event))
        return waiter != nil
    }

    /// Ends the sequence: the waiting task, and every later `next()`, get `outcome` (end or error).
    func finish(_ outcome: Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard state.finished == nil else { return nil }
            state.finished = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    var isFinished: Bool { state.withLock { $0.finished != nil } }
}

/// The events of a ``KafkaConsumer``: batches of messages and assignment changes, in order.
///
/// Iterate it from one task. Asking for the next event tells the consumer the previous one is handled; after a
/// ``KafkaConsumerEvent/revoked(_:)`` that releases the partitions to the group.
public struct KafkaConsumerEvents: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerEvent
    public typealias Failure = KafkaError

    let rendezvous: KafkaConsumerRendezvous

    /// Iterates the events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = KafkaConsumerEvent
        public typealias Failure = KafkaError

        let rendezvous: KafkaConsumerRendezvous

        /// The next event; `nil` after the consumer is closed.
        /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal`` when the consumer cannot continue.
        public mutating func next() async throws(KafkaError) -> KafkaConsumerEvent? {
            try await rendezvous.next().get()
        }

        /// The next event; `nil` after the consumer is closed.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaError)
            -> KafkaConsumerEvent?
        {
            try await rendezvous.next().get()
        }
    }

    /// Makes the iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rendezvous: rendezvous) }
}
