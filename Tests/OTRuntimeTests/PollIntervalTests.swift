import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import OTStore
import Synchronization
import TestTraits
import Testing

/// Counts as ``CountingHandler`` does, but the first time it meets an event of `slowKey` it works on it for `pause`:
/// a batch longer than `max.poll.interval.ms`, as a debug build under load once had (docs/operations.md, "Tests").
private final class OverrunningHandler: WorkerHandler {
    let counting = CountingHandler()
    let slowKey: String
    let pause: Duration
    let overran = Mutex(false)

    init(slowKey: String, pause: Duration) {
        self.slowKey = slowKey
        self.pause = pause
    }

    var migrations: StoreMigrations { counting.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        let overruns =
            event.key == slowKey
            && overran.withLock { overran in
                defer { overran = true }
                return !overran
            }
        if overruns {
            // The slow work itself, on the batch's thread (no condition to wait for): the consumer is not polled
            // meanwhile, as with any batch.
            Thread.sleep(forTimeInterval: Double(pause.components.seconds))
        }
        try counting.handle(event, context: context)
    }
}

@Suite("A batch longer than max.poll.interval.ms", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct PollIntervalTests {
    @Test(
        "the member loses its partitions, rejoins, restores the stores it lost from the changelog and goes on: every event counts once"
    )
    func overrun() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let restores = Mutex<[RestoreSummary]>([])
        let slowKey = "key-slow"
        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: OverrunningHandler(slowKey: slowKey, pause: .seconds(12)), directory: directory.url
        ) { configuration in
            // librdkafka wants the poll interval at least the session timeout; the slow event overruns both.
            configuration.sessionTimeout = .seconds(6)
            configuration.maxPollInterval = .seconds(7)
            configuration.onRestored = { summary in restores.withLock { $0.append(summary) } }
        }

        // A first round is processed before the slow event: its outputs are out, its state in the changelog.
        try await producer.sendAll(try countEvents(60, keys: 6))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 60)
        let slow = try countEvents(1, keys: 1).map {
            KafkaProducerMessage(topic: $0.topic, key: Array(slowKey.utf8), value: $0.value, headers: $0.headers)
        }
        try await producer.sendAll(slow + (try countEvents(60, keys: 6)))
        let slowPartition = KafkaPartitioner.murmur2Partition(of: Array(slowKey.utf8), partitionCount: kafka.partitions)

        // 121 outputs: every event once, none lost and none twice, though the slow batch's partitions were lost.
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 121, timeout: .seconds(120))
        try await worker.worker.waitUntilReady()
        try await worker.stop()
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 121)
        #expect(Set(outputs.map(\.inputID)).count == 121)
        for key in 0..<6 {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...20))
        }
        #expect(outputs.filter { $0.key == slowKey }.map(\.count) == [1])
        #expect(
            try storedCounts(in: directory.url)
                == Dictionary(
                    uniqueKeysWithValues: (0..<6).map { ("key-\($0)", 20) } + [(slowKey, 1)]))
        // The overrun happened: the slow event's partition was lost and its store restored from the changelog.
        let restored = restores.withLock { $0 }
        #expect(restored.contains { $0.partition == slowPartition }, "restores: \(restored)")
        await producer.shutdown()
    }
}
