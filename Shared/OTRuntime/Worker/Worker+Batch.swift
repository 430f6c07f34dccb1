import Foundation
import Kafka
import OTStore

extension Worker {
    /// Processes one batch: each partition number's messages in one transaction of its store, its topics' messages in
    /// the order they were published, less those that wait for another topic's earlier messages (``InputAlignment``),
    /// the partitions in parallel.
    func process(_ batch: [KafkaConsumerMessage], _ parts: Parts) async throws {
        let started = ContinuousClock.now
        let groups = parts.alignment.ready(batch, highWatermark: { parts.consumer.cachedHighWatermark(of: $0) })
        guard !groups.isEmpty else { return }
        // Partitions commit in parallel, but no more at once than there are cores: more writers only contend
        // (SQLite's and the allocator's locks) and switch threads.
        let outcomes = try await withThrowingTaskGroup(of: BatchProcessor.Outcome.self) { group in
            var outcomes: [BatchProcessor.Outcome] = []
            var running = 0
            // Largest groups first, so that the last to finish is a small one and the cores idle least.
            for (partition, messages) in groups.sorted(by: { $0.value.count > $1.value.count }) {
                guard let store = parts.stores.store(partition) else {
                    logger.warning(
                        "a batch held messages of a partition not assigned", metadata: ["partition": "\(partition)"])
                    continue
                }
                if running == Self.parallelCommits, let outcome = try await group.next() {
                    outcomes.append(outcome)
                    running -= 1
                }
                group.addTask { try await self.processWithRetry(messages, store: store, processor: parts.processor) }
                running += 1
            }
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for outcome in outcomes { metrics.batch(outcome) }
        let duration = started.duration(to: .now)
        metrics.batchDuration(duration)
        configuration.onBatchCommitted?(
            BatchSummary(
                messages: groups.values.reduce(0) { $0 + $1.count },
                processed: outcomes.reduce(0) { $0 + $1.processed },
                deadLettered: outcomes.reduce(0) { $0 + $1.deadLettered }, duration: duration,
                committed: outcomes.flatMap(\.offsets)))
    }

    /// Commits a partition group. While the store itself fails (disk full, locked) the group is retried with
    /// backoff for as long as it takes: nothing is dead-lettered for that. Any other failure of the group as a whole
    /// (the handler's batch end, SQL that fails) is retried a few times and then stops the worker with the reason:
    /// retrying it forever would stall every partition of the instance.
    private func processWithRetry(
        _ messages: [KafkaConsumerMessage], store: PartitionStore, processor: BatchProcessor
    ) async throws -> BatchProcessor.Outcome {
        var delay = Duration.milliseconds(100)
        var otherFailures = 0
        while true {
            do {
                let outcome = try await processor.process(messages, in: store, now: configuration.clock())
                lifecycle.storeCommitted(partition: store.partition)
                return outcome
            } catch {
                let storeFailing = StoreError.mapping(error, path: "") != nil
                if !storeFailing {
                    otherFailures += 1
                    guard otherFailures < Self.groupAttempts else {
                        throw WorkerError.stopped(
                            "the batch of partition \(store.partition) failed \(otherFailures) times: \(error)")
                    }
                }
                logger.error(
                    "committing a batch failed; retrying",
                    metadata: ["partition": "\(store.partition)", "error": "\(error)"])
                if storeFailing {
                    lifecycle.transition(to: .storeFailing(partition: store.partition, reason: "\(error)"))
                }
                if Task.isShuttingDownGracefully || Task.isCancelled { throw error }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// How often a partition group that fails for a reason other than its store is tried before the worker stops.
    static var groupAttempts: Int { 3 }

    /// How many partition groups commit at once: the cores, read once. `activeProcessorCount` reads the cgroup's
    /// files on Linux every time it is asked (perf: 3.6 % of `ot-registrations`' CPU at 1,000 events/s when it was
    /// asked per group).
    static let parallelCommits = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
