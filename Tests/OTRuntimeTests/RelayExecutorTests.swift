import Foundation
import Synchronization
import Testing

@testable import OTRuntime

/// The relay's tasks run on its own thread, so that a round resumed by a broker acknowledgement does not wait for
/// the batch work that fills Swift's cooperative threads.
@Suite("Relay executor: the relay's tasks on a thread of their own", .timeLimit(.minutes(2)))
struct RelayExecutorTests {
    /// The name of the thread running the caller (a synchronous function: `Thread.current` is not for async code).
    static func threadName() -> String { Thread.current.name ?? "" }

    @Test("a task preferring it starts there and comes back there after a resumption from another thread")
    func resumesOnItsThread() async {
        let executor = RelayExecutor(name: "test-relay")
        defer { executor.stop() }
        let names = await Task(executorPreference: executor) { () -> [String] in
            let before = Self.threadName()
            // Resumed from a thread of its own, as librdkafka's poll thread resumes a delivery's continuation.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread { continuation.resume() }.start()
            }
            return [before, Self.threadName()]
        }.value
        #expect(names == ["test-relay", "test-relay"])
    }

    /// Foundation names a thread's OS thread only once `start()` has returned in the thread that started it: a relay
    /// thread that ran first kept the name of the thread that made it (a cooperative thread's, `oot.default-qos`),
    /// one time in about twelve on a busy machine. Many executors at once make such a start likely.
    @Test("its thread has its name from the start, for every executor of many started at once")
    func namedFromTheStart() async {
        let executors = (0..<64).map { _ in RelayExecutor(name: "test-relay") }
        defer { for executor in executors { executor.stop() } }
        var names: [String] = []
        for executor in executors {
            names.append(await Task(executorPreference: executor) { Self.threadName() }.value)
        }
        #expect(names == Array(repeating: "test-relay", count: executors.count))
    }

    final class Order: Sendable {
        let indices = Mutex<[Int]>([])
    }

    @Test("jobs run in the order they were enqueued")
    func inOrder() async {
        let executor = RelayExecutor(name: "test-relay")
        defer { executor.stop() }
        let order = Order()
        let tasks = (0..<50).map { index in
            Task(executorPreference: executor) { order.indices.withLock { $0.append(index) } }
        }
        for task in tasks { await task.value }
        #expect(order.indices.withLock { $0 } == Array(0..<50))
    }

    @Test("once stopped, its thread ends, and a task preferring it still runs, on the global executor")
    func afterStop() async throws {
        let executor = RelayExecutor(name: "test-relay")
        await Task(executorPreference: executor) {}.value
        executor.stop()
        // The thread ends once its queue is empty; a task enqueued before that still runs there. Every task runs.
        var onTheThread = 0
        while await Task(executorPreference: executor, operation: { Self.threadName() }).value == "test-relay" {
            onTheThread += 1
            try #require(onTheThread < 1_000, "the relay's thread did not end after stop()")
        }
    }
}
