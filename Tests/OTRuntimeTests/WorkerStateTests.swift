import Testing

@testable import OTRuntime

@Suite("Worker state: what /health/ready says", .timeLimit(.minutes(2)))
struct WorkerStateTests {
    /// What the states carry inside: an SQLite error naming the store file, a stopped worker's error with its SQL.
    static let path = "/var/lib/ot/ot-registrations/partition-003.sqlite"
    static let sql = "INSERT INTO ot_outbox (outbox_id, topic) VALUES (?, ?)"
    static let failure =
        "the worker stopped: the batch of partition 3 failed 3 times: SQLite error 1: \(sql) in \(path)"

    @Test(
        "each state not ready gives a reason in plain words, without the error it carries",
        arguments: [
            (WorkerState.starting, "starting"),
            (.waitingForPartitions, "waiting for partitions"),
            (.restoring(partition: 7), "restoring partition 7 from its changelog"),
            (
                .storeFailing(
                    partition: 3, reason: "SQLite error 13: database or disk is full - \(WorkerStateTests.path)"),
                "the store of partition 3 is failing"
            ),
            (.revoking, "releasing revoked partitions"),
            (.draining, "shutting down"),
            (.stopped, "stopped"),
            (
                .failed(WorkerStateTests.failure),
                "failed; see the log"
            ),
        ])
    func reason(state: WorkerState, expected: String) {
        #expect(!state.isReady)
        #expect(state.reason == expected)
        #expect(!state.reason.contains("/") && !state.reason.contains("SQLite"))
    }

    @Test("a failing store's partition committing again makes the worker ready; another partition's commit does not")
    func storeRecovery() {
        let lifecycle = WorkerLifecycle()
        lifecycle.transition(to: .running)
        lifecycle.transition(to: .storeFailing(partition: 3, reason: "database or disk is full"))
        lifecycle.storeCommitted(partition: 5)
        #expect(lifecycle.current == .storeFailing(partition: 3, reason: "database or disk is full"))
        lifecycle.storeCommitted(partition: 3)
        #expect(lifecycle.current == .running)
        // A commit while running or draining changes nothing.
        lifecycle.storeCommitted(partition: 3)
        #expect(lifecycle.current == .running)
        lifecycle.transition(to: .draining)
        lifecycle.storeCommitted(partition: 3)
        #expect(lifecycle.current == .draining)
    }

    @Test("only running is ready")
    func running() {
        #expect(WorkerState.running.isReady)
    }
}
