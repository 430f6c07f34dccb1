import Foundation
import Synchronization
import Testing

@testable import Kafka

/// A client's poll thread carries the name it was given (`top -H`, `perf`), from its first poll on.
@Suite("Poll thread: librdkafka's poll loop on a named thread of its own", .timeLimit(.minutes(2)))
struct RdKafkaPollThreadTests {
    final class Names: Sendable {
        let seen = Mutex<[String]>([])
    }

    /// Foundation names a thread's OS thread only once `start()` has returned in the thread that started it: a poll
    /// thread that ran first kept the name of the thread that made it. Many threads at once make such a start likely.
    @Test("every thread of many started at once has its name in its first poll")
    func namedFromTheStart() throws {
        let names = Names()
        let polled = DispatchSemaphore(value: 0)
        let threads = (0..<64).map { _ in
            let first = Atomic<Bool>(true)
            return RdKafkaPollThread(name: "test-poll") {
                if first.exchange(false, ordering: .relaxed) {
                    // Foundation's getter reads the OS thread's name.
                    names.seen.withLock { $0.append(Thread.current.name ?? "") }
                    polled.signal()
                }
                Thread.sleep(forTimeInterval: 0.001)  // a poll's timeout
            }
        }
        defer { for thread in threads { thread.stop() } }
        for _ in threads {
            try #require(polled.wait(timeout: .now() + 30) == .success, "not every poll thread polled within 30 s")
        }
        #expect(names.seen.withLock { $0 } == Array(repeating: "test-poll", count: threads.count))
    }

    @Test("a name longer than Linux keeps is cut to its first 15 bytes, not refused")
    func longNameCut() throws {
        let names = Names()
        let polled = DispatchSemaphore(value: 0)
        let first = Atomic<Bool>(true)
        let thread = RdKafkaPollThread(name: "kafka-consumer-of-a-long-name") {
            if first.exchange(false, ordering: .relaxed) {
                names.seen.withLock { $0.append(Thread.current.name ?? "") }
                polled.signal()
            }
            Thread.sleep(forTimeInterval: 0.001)  // a poll's timeout
        }
        defer { thread.stop() }
        try #require(polled.wait(timeout: .now() + 30) == .success, "the poll thread did not poll within 30 s")
        #expect(names.seen.withLock { $0 } == ["kafka-consumer-"])
    }
}
