import Foundation
import Synchronization
import Testing

@testable import Kafka

/// A client's poll thread carries the name it was given (`top -H`, `perf`), from its first poll on.
@Suite("Poll thread: librdkafka's poll loop on a named thread of its own")
struct RdKafkaPollThreadTests {
    final class Names: Sendable {
        let seen = Mutex<[String]>([])
    }

    /// Foundation names a thread's OS thread only once `start()` has returned in the thread that started it: a poll
    /// thread that ran first kept the name of the thread that made it. Many threads at once make such a start likely.
    @Test("every thread of many started at once has its name in its first poll")
    func namedFromTheStart() throws {
        let names = Names()
        let threads = (0..<64).map { _ in
            let polled = Atomic<Bool>(false)
            return RdKafkaPollThread(name: "test-poll") {
                if !polled.exchange(true, ordering: .relaxed) {
                    // Foundation's getter reads the OS thread's name.
                    names.seen.withLock { $0.append(Thread.current.name ?? "") }
                }
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
        defer { for thread in threads { thread.stop() } }
        let deadline = ContinuousClock.now + .seconds(30)
        while names.seen.withLock({ $0.count }) < threads.count {
            try #require(ContinuousClock.now < deadline, "not every poll thread polled within 30 s")
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(names.seen.withLock { $0 } == Array(repeating: "test-poll", count: threads.count))
    }
}
