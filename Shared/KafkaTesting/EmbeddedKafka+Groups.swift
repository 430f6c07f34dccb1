import Kafka
import Synchronization

extension EmbeddedKafka {
    /// Waits until consumer group `group` has committed, on every partition of `topics`, the partition's end: all
    /// that the topics hold now was consumed and acknowledged. Checks every 100 ms; fails after `timeout`, naming
    /// the partitions still behind.
    ///
    /// Observed from outside, as an operator reads the lag: it works for members in other processes, and whatever
    /// instance owns a partition.
    public func waitUntilConsumed(group: String, topics: [String], timeout: Duration = .seconds(90)) async throws {
        let probe = try makeConsumer(groupID: group)
        let partitions = topics.flatMap { topic in
            (0..<self.partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }
        }
        let behind = Mutex<[String]>([])
        do {
            try await withTimeout(timeout, waitingFor: "group \(group) to consume all of \(topics)") {
                while true {
                    // Committed offsets first, the ends after: what a member publishes to one of `topics` before it
                    // commits the input that caused it is then counted in the ends (a service reading its output).
                    let committed = try await probe.committed(partitions)
                    var lagging: [String] = []
                    for partition in partitions {
                        let end = try await probe.watermarks(of: partition).high
                        let position = committed[partition] ?? 0
                        if position < end { lagging.append("\(partition) at \(position) of \(end)") }
                    }
                    if lagging.isEmpty { return }
                    behind.withLock { $0 = lagging }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        } catch let error as TimeoutError {
            await probe.close()
            throw TimeoutError(
                what: "\(error.what); behind: \(behind.withLock { $0 }.joined(separator: ", "))",
                timeout: error.timeout)
        } catch {
            await probe.close()
            throw error
        }
        await probe.close()
    }
}
