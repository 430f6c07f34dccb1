import Foundation
import Kafka
import KafkaTesting
import OTRuntimeTesting
import TestTraits
import Testing

@testable import OTRuntime

@Suite(
    "A delivered message's outbox row leaves the changelog without a round of its own",
    .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct OutboxTombstoneTests {
    /// The changelog's outbox rows that are still there: each `ot_outbox` key whose last record is not a tombstone.
    static func outboxRowsLeft(in kafka: EmbeddedKafka) async throws -> Set<String> {
        let prefix = Array(ChangelogRecord.key(table: "ot_outbox", rowKey: ""))
        var left: Set<String> = []
        for message in try await kafka.readToEnd("\(CountingHandler.service).changelog.v1") {
            guard let key = message.key, key.starts(with: prefix) else { continue }
            let name = "\(message.partition):" + String(decoding: key, as: UTF8.self)
            if message.value == nil { left.remove(name) } else { left.insert(name) }
        }
        return left
    }

    /// Reads the changelog until `condition` holds of its outbox rows, or fails after a minute.
    static func waitForOutboxRows(
        in kafka: EmbeddedKafka, _ what: String, _ condition: @escaping @Sendable (Set<String>) -> Bool
    ) async throws {
        try await eventually(what, every: .milliseconds(100), timeout: .seconds(60)) {
            condition(try await outboxRowsLeft(in: kafka)) ? () : nil
        }
    }

    @Test(
        "a graceful stop sends the tombstones of what was delivered; while running, an idle partition's go with its next tick"
    )
    func tombstones() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let ticks = Occurrences()
        func start(tick: Duration) -> InProcessWorker {
            InProcessWorker(
                kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
                handler: CountingHandler(), directory: directory.url
            ) {
                $0.tickInterval = tick
                $0.onTicked = { _ in ticks.record() }
            }
        }

        // No tick in the test's time: the delivered message's row stays on the changelog until the release.
        let first = start(tick: .seconds(3_600))
        try await producer.sendAll(try countEvents(3, keys: 3))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 3)
        try await Self.waitForOutboxRows(in: kafka, "the outbox rows on the changelog") { $0.count == 3 }
        try await first.stop()
        #expect(try await Self.outboxRowsLeft(in: kafka).isEmpty, "the release sends every tombstone")

        // Ticks every 200 ms: with no further input, the partitions' ticks take the tombstones out.
        let second = start(tick: .milliseconds(200))
        try await producer.sendAll(try countEvents(3, keys: 3))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 6)
        // A tick writes them, and the relay's next round publishes them: looked for after each round of ticks.
        try await ticks.wait(until: "the tombstones of the idle partitions") {
            try await Self.outboxRowsLeft(in: kafka).isEmpty
        }
        try await second.stop()
    }
}
