import Kafka
import KafkaTesting
import Synchronization

/// Produces and consumes the workload through our Swift wrapper (``KafkaProducer``, ``KafkaConsumer``), as
/// ``EmbeddedKafka`` configures them (the project's defaults; the consumer with its test group timeouts, which do not
/// matter to `assign`), and checks that every message arrived where murmur2 says it belongs.
struct WrapperBenchmark {
    /// The broker.
    let kafka: EmbeddedKafka
    /// What to send.
    let workload: BenchmarkWorkload
    /// How long consuming may go without a new message before the missing ones count as lost.
    var stallTimeout: Duration = .seconds(15)

    /// Sends every message with one batch `send` and waits for all delivery reports. The clock covers only the
    /// `send`: the messages exist and the producer is created (but not yet connected) before it starts.
    func produce(topic: String) async throws -> BenchmarkMeasurement {
        let messages = workload.messages(topic: topic)
        let producer = try kafka.makeProducer()
        let clock = ContinuousClock()
        let start = clock.now
        let reports = try await producer.send(messages)
        let duration = start.duration(to: clock.now)
        await producer.shutdown()

        let failed = reports.filter { !$0.isDelivered }
        guard failed.isEmpty, reports.count == messages.count else {
            throw BenchmarkError.undelivered(
                topic: topic, failed: failed.count + messages.count - reports.count, total: messages.count,
                firstError: failed.first?.error.map { "\($0)" } ?? "missing reports")
        }
        var perPartition = [Int](repeating: 0, count: workload.partitionCount)
        for report in reports { perPartition[Int(report.partition)] += 1 }
        try workload.verify(perPartition, topic: topic, reader: "the wrapper's delivery reports")
        return BenchmarkMeasurement(messages: messages.count, bytes: workload.payloadBytes, duration: duration)
    }

    /// Assigns every partition of `topic` from the beginning and reads events until all messages are in, touching
    /// each key and value. The clock runs from the `assign` call to the batch holding the last message.
    func consume(topic: String) async throws -> BenchmarkMeasurement {
        let consumer = try kafka.makeConsumer(groupID: "bench")
        let partitions = (0..<workload.partitionCount).map {
            // RD_KAFKA_OFFSET_BEGINNING
            KafkaTopicPartitionOffset(topic: topic, partition: Int32($0), offset: -2)
        }
        let (expected, partitionCount) = (workload.count, workload.partitionCount)
        let progress = ConsumeProgress()
        let clock = ContinuousClock()
        let start = clock.now
        try await consumer.assign(partitions)
        let tally = try await withThrowingTaskGroup(of: ConsumeTally?.self) { group in
            group.addTask {
                var tally = ConsumeTally(partitionCount: partitionCount, start: start)
                for try await event in consumer.events {
                    guard case .messages(let batch) = event else { continue }
                    for message in batch {
                        tally.messages += 1
                        tally.bytes += (message.key?.count ?? 0) + (message.value?.count ?? 0)
                        tally.perPartition[Int(message.partition)] += 1
                    }
                    progress.consumed.store(tally.messages, ordering: .relaxed)
                    if tally.messages >= expected {
                        tally.end = clock.now
                        break
                    }
                }
                return tally
            }
            group.addTask { [stallTimeout] in
                try await progress.waitForStall(longerThan: stallTimeout, clock: clock)
                return nil
            }
            // The first to finish: the reader with everything, or the watchdog, whose cancellation of the reader
            // ends `events` and lets the group return.
            var result: ConsumeTally?
            while let next = try await group.next() {
                if let tally = next {
                    result = tally
                    break
                }
                group.cancelAll()
            }
            group.cancelAll()
            return result
        }
        await consumer.close()

        guard let tally, let end = tally.end else {
            throw BenchmarkError.lostMessages(
                topic: topic, reader: "the wrapper's consumer", found: progress.consumed.load(ordering: .relaxed),
                expected: expected, detail: "no new message for \(stallTimeout)")
        }
        guard tally.messages == expected else {
            throw BenchmarkError.lostMessages(
                topic: topic, reader: "the wrapper's consumer", found: tally.messages, expected: expected, detail: "")
        }
        try workload.verify(tally.perPartition, topic: topic, reader: "the wrapper's consumer")
        return BenchmarkMeasurement(
            messages: tally.messages, bytes: tally.bytes, duration: tally.start.duration(to: end))
    }
}

/// What the consuming task has read.
private struct ConsumeTally: Sendable {
    var messages = 0
    var bytes = 0
    var perPartition: [Int]
    var start: ContinuousClock.Instant
    var end: ContinuousClock.Instant?

    init(partitionCount: Int, start: ContinuousClock.Instant) {
        perPartition = Array(repeating: 0, count: partitionCount)
        self.start = start
    }
}

/// The consuming task's message count, watched from another task to tell a slow read from lost messages.
private final class ConsumeProgress: Sendable {
    let consumed = Atomic<Int>(0)

    /// Returns once the count has not changed for `timeout`; throws `CancellationError` when cancelled first.
    func waitForStall(longerThan timeout: Duration, clock: ContinuousClock) async throws {
        var last = consumed.load(ordering: .relaxed)
        var lastChange = clock.now
        while lastChange.duration(to: clock.now) < timeout {
            try await Task.sleep(for: .milliseconds(250))  // a watchdog deadline, not a wait for a condition
            let now = consumed.load(ordering: .relaxed)
            if now != last {
                last = now
                lastChange = clock.now
            }
        }
    }
}
