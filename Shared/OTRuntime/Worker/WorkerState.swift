import Synchronization

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

/// The worker's current ``WorkerState``, changed only through allowed transitions.
final class WorkerLifecycle: Sendable {
    private let state = Mutex(WorkerState.starting)

    var current: WorkerState { state.withLock { $0 } }

    /// Moves to `next` if the current state allows it.
    func transition(to next: WorkerState) {
        state.withLock { if $0.allows(next) { $0 = next } }
    }
}
