import Testing

@testable import OTRuntime

/// `Worker.waitUntilReady()`: what a benchmark or a test awaits instead of polling `/health/ready`.
@Suite("Waiting for a worker to be ready", .timeLimit(.minutes(2)))
struct WorkerReadinessTests {
    @Test("a waiting task goes on when the worker runs, and at once when it already does")
    func goesOnWhenRunning() async throws {
        let lifecycle = WorkerLifecycle()
        let waiting = Task { try await lifecycle.waitUntilReady() }
        while lifecycle.waiting == 0 { await Task.yield() }
        lifecycle.transition(to: .waitingForPartitions)
        lifecycle.transition(to: .restoring(partition: 0))
        #expect(lifecycle.waiting == 1)
        lifecycle.transition(to: .running)
        try await waiting.value
        try await lifecycle.waitUntilReady()
    }

    @Test("a worker that fails or stops first ends the wait with the reason")
    func failsWhenStopped() async {
        for final in [WorkerState.failed("the broker is gone"), .stopped] {
            let lifecycle = WorkerLifecycle()
            let waiting = Task { try await lifecycle.waitUntilReady() }
            while lifecycle.waiting == 0 { await Task.yield() }
            lifecycle.transition(to: .waitingForPartitions)
            lifecycle.transition(to: final)
            await #expect(throws: WorkerError.self) { try await waiting.value }
            // And a wait that starts afterwards ends at once.
            await #expect(throws: WorkerError.self) { try await lifecycle.waitUntilReady() }
        }
    }

    @Test("a cancelled wait ends; the worker's later start does not need it")
    func cancelled() async {
        let lifecycle = WorkerLifecycle()
        let waiting = Task { try await lifecycle.waitUntilReady() }
        while lifecycle.waiting == 0 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(lifecycle.waiting == 0)
        lifecycle.transition(to: .running)
    }
}
