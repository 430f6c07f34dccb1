import Foundation
import KafkaTesting
import Synchronization
import Testing

@Suite("ProcessCPU", .timeLimit(.minutes(2)))
struct ProcessCPUTests {
    @Test("a named thread's CPU time is its own: it grows while that thread works, and no other name has it")
    func threadSecondsByName() async throws {
        let name = "cpu-probe-\(Int.random(in: 1000...9999))"
        let stop = Atomic<Bool>(false)
        let thread = Thread {
            // The kernel's name for the thread (`comm`), set as the thread itself (proc(5)).
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            var x: UInt64 = 1
            while !stop.load(ordering: .relaxed) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
            _ = x
        }
        #expect(ProcessCPU.threadSeconds(named: name) == 0, "no thread of that name before it starts")
        thread.start()
        defer { stop.store(true, ordering: .relaxed) }
        // Clock ticks are 10 ms: wait until the spinning thread has been charged a few of them.
        try await poll("the spinning thread charged 50 ms", every: .milliseconds(10)) {
            ProcessCPU.threadSeconds(named: name) >= 0.05
        }
        let own = ProcessCPU.threadSeconds(named: name)
        #expect(own >= 0.05)
        #expect(own <= ProcessCPU.seconds(), "a thread's time is part of its process's")
        #expect(ProcessCPU.threadSeconds(named: name + "x") == 0)
    }
}
