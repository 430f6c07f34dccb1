import CThread
import Foundation

/// A thread of the relay's own on which its tasks run (``OutboxRelay``): a batch's work occupies Swift's
/// cooperative threads (one per core) for milliseconds at a time, and a relay round resumed on them after each
/// broker acknowledgement waited for that work to end before it could send the next records.
///
/// Jobs run in the order they were enqueued. Once ``stop()`` is called and the queue is empty the thread ends;
/// a job enqueued after that runs on the global concurrent executor instead, so nothing waits forever.
final class RelayExecutor: TaskExecutor, @unchecked Sendable {
    // `condition` guards `jobs`, `stopped` and `running`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false
    private var running = true

    /// Starts the thread, named `name` (cut to 15 bytes, as Linux keeps no more).
    init(name: String) {
        // Named from inside, through the OS (CThread_nameCurrent says why not through Foundation).
        Thread { [self] in
            _ = CThread_nameCurrent(name)
            serve()
        }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        condition.lock()
        guard running else {
            condition.unlock()
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(UnownedJob(job))
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has run every job enqueued so far.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                running = false
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}
