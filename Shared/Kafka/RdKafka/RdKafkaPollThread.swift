import CThread
import Foundation
import Synchronization

/// A dedicated thread that calls a blocking librdkafka poll in a loop until stopped.
///
/// librdkafka's poll calls block; running them on Swift's cooperative pool (two threads on a two-core machine)
/// would starve every other task. Each client therefore polls from one thread of its own, and that thread is
/// where all of the client's callbacks run.
final class RdKafkaPollThread: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name` (cut to 15 bytes, as Linux keeps no more). `body` is called repeatedly
    /// and should block for at most a short poll timeout, so that ``stop()`` takes effect promptly.
    init(name: String, body: @escaping @Sendable () -> Void) {
        // Named from inside, through the OS (CThread_nameCurrent says why not through Foundation).
        Thread { [self] in
            _ = CThread_nameCurrent(name)
            while !isStopping { body() }
            finished.signal()
        }.start()
    }

    /// Whether ``stop()`` was called.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Asks the loop to end and waits until it has. Idempotent; must not be called from the poll thread itself.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
