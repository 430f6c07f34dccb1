/// Where a ``Worker`` is in its life; `/health/ready` is derived from it.
///
/// ```
/// starting → waitingForPartitions → restoring ⇄ running ⇄ revoking
///                                        ↘ storeFailing ↗
/// any → draining → stopped        any → failed
/// ```
enum WorkerState: Sendable, Equatable {
    /// Checking topics, opening the producer and the consumer.
    case starting
    /// In the group, with no partition yet.
    case waitingForPartitions
    /// Making an assigned partition's store current (from the changelog when it is not).
    case restoring(partition: Int32)
    /// Processing.
    case running
    /// A partition's store fails (disk full, locked); its batch is retried.
    case storeFailing(partition: Int32, reason: String)
    /// Finishing, publishing and closing the stores of revoked partitions.
    case revoking
    /// Shutting down: the batch in hand is finished, the outbox published, the group left.
    case draining
    /// Shut down.
    case stopped
    /// Stopped by an error it cannot get past; the process exits non-zero.
    case failed(String)

    /// Whether the worker takes part in processing now.
    var isReady: Bool { self == .running }

    /// Whether nothing follows: stopped or failed.
    var isFinal: Bool {
        switch self {
        case .stopped, .failed: true
        default: false
        }
    }

    /// Why it is not ready, for `/health/ready`: no file paths, no personal data.
    var reason: String {
        switch self {
        case .starting: "starting"
        case .waitingForPartitions: "waiting for partitions"
        case .restoring(let partition): "restoring partition \(partition) from its changelog"
        case .running: ""
        case .storeFailing(let partition, _): "the store of partition \(partition) is failing"
        case .revoking: "releasing revoked partitions"
        case .draining: "shutting down"
        case .stopped: "stopped"
        case .failed: "failed; see the log"
        }
    }

    /// Whether `next` may follow: nothing follows `failed` or `stopped`, and only `stopped` follows `draining`.
    func allows(_ next: WorkerState) -> Bool {
        switch (self, next) {
        case (.failed, _), (.stopped, _): false
        case (.draining, .stopped), (.draining, .failed): true
        case (.draining, _): false
        default: true
        }
    }
}

/// The worker's current ``WorkerState``, changed only through allowed transitions, and the tasks waiting for it to
/// be ready.
final class WorkerLifecycle: Sendable {
    private let state = AwaitableState(WorkerState.starting)

    var current: WorkerState { state.value }

    /// How many tasks wait for the worker to be ready.
    var waiting: Int { state.waiting }

    /// Moves to `next` if the current state allows it; on `running` the waiting tasks go on, on `stopped` or
    /// `failed` they are told it never will be.
    func transition(to next: WorkerState) {
        state.update { if $0.allows(next) { $0 = next } }
    }

    /// Partition `partition`'s store committed: running again if it was the store reported failing. Another
    /// partition's commit changes nothing, so that readiness does not come back while the failing store still fails.
    func storeCommitted(partition: Int32) {
        state.update { state in
            if case .storeFailing(let failing, _) = state, failing == partition { state = .running }
        }
    }

    /// Returns once the worker is running (at once if it is).
    /// - Throws: ``WorkerError/stopped(_:)`` if it stops or fails first; `CancellationError` if the task is
    ///   cancelled.
    func waitUntilReady() async throws {
        try await state.wait { state in
            if state.isReady { return .success(()) }
            if state.isFinal { return .failure(WorkerError.stopped(state.reason)) }
            return nil
        }
    }
}
