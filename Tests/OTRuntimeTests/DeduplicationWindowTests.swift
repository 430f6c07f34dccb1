import Foundation
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Synchronization
import TestTraits
import Testing

/// A clock a test moves on.
private final class TestClock: Sendable {
    let now: Mutex<Date>
    init(_ start: Date) { now = Mutex(start) }
}

@Suite("The de-duplication window", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct DeduplicationWindowTests {
    @Test(
        "the same event again within the window has no effect; once the window has passed its record is pruned, and the event counts again"
    )
    func window() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let ticks = Occurrences()
        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: CountingHandler(), directory: directory.url
        ) { configuration in
            configuration.clock = { clock.now.withLock { $0 } }
            configuration.tickInterval = .milliseconds(100)
            configuration.deduplicationWindow = .days(7)
            configuration.onTicked = { _ in ticks.record() }
        }
        let producer = try kafka.makeProducer()
        let event = try countEvents(1, keys: 1)
        let eventID = try CloudEvent.decode(value: event[0].value, headers: []).id
        let other = try countEvents(1, keys: 1, source: "urn:other")
        let output = CountingHandler.output.name

        // The event twice, then another event of the same key: two outputs, the second counting 2.
        try await producer.sendAll(event + event + other)
        try await kafka.waitForMessages(in: output, count: 2)
        #expect(try countedOutputs(try await kafka.readToEnd(output)).map(\.count) == [1, 2])
        #expect(try processedRecords(of: eventID, in: directory.url) == 1)

        // Eight days later the record is gone (the first tick after the move prunes: the last pruning was at the
        // start, more than an hour of the clock before).
        clock.now.withLock { $0 += 8 * 86_400 }
        try await ticks.wait(until: "the pruning") {
            try processedRecords(of: eventID, in: directory.url) == 0
        }
        // So the same event, delivered again, is processed again.
        try await producer.sendAll(event)
        try await kafka.waitForMessages(in: output, count: 3)
        try await worker.stop()
        let counted = try countedOutputs(try await kafka.readToEnd(output))
        #expect(counted.map(\.count) == [1, 2, 3])
        #expect(counted.last?.inputID == eventID)
        await producer.shutdown()
    }

    /// The de-duplication records of `eventID` in the stores under `directory`.
    private func processedRecords(of eventID: String, in directory: URL) throws -> Int {
        try processedEvents(in: directory).count { $0.id == eventID }
    }
}
