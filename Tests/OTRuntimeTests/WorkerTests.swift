import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import OTStore
import Synchronization
import TestTraits
import Testing

@Suite("Worker: effectively-once processing on SQLite", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct WorkerTests {
    @Test("each round of idle ticks is reported, with the clock's time and every partition whose tick committed")
    func tickRounds() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let rounds = AwaitableState<[TickSummary]>([])
        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: CountingHandler(), directory: directory.url
        ) { configuration in
            configuration.clock = { now }
            configuration.tickInterval = .milliseconds(100)
            configuration.onTicked = { summary in rounds.update { $0.append(summary) } }
        }
        // Rounds before the assignment tick nothing; once the only member holds every partition, a round ticks all.
        let partitions = Int(kafka.partitions)
        try await withTimeout(.seconds(60), waitingFor: "a round of ticks over every partition") {
            try await rounds.wait { $0.contains { $0.partitions.count == partitions } ? .success(()) : nil }
        }
        try await worker.stop()
        let reported = rounds.value
        #expect(reported.allSatisfy { $0.now == now })
        let full = try #require(reported.first { $0.partitions.count == partitions })
        #expect(full.partitions.sorted() == Array(0..<kafka.partitions))
    }

    @Test("each input has one effect; redelivered and duplicated events have none")
    func duplicates() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let started = Int64(Date().timeIntervalSince1970)
        let inputs = try countEvents(300, keys: 30, correlated: true)
        try await producer.sendAll(inputs)
        // The same events again (an upstream retry): same ids, new offsets.
        try await producer.sendAll(Array(inputs.prefix(50)))

        let worker = startCountingWorker(kafka: kafka, directory: directory.url)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 300)
        let (status, _) = try await worker.get("/health/ready")
        #expect(status == 200)
        // The outputs are on the topic before the relay has their acknowledgements in hand and records the delay.
        let metrics = try await eventually("a publish delay recorded", every: .milliseconds(20)) {
            let (_, metrics) = try await worker.get("/metrics")
            return HTTPProbe.metricSum("ot_outbox_publish_delay_seconds_count", in: metrics) > 0 ? metrics : nil
        }
        try await worker.stop()

        let messages = try await kafka.readToEnd(CountingHandler.output.name)
        let outputs = try countedOutputs(messages)
        #expect(outputs.count == 300)
        #expect(Set(outputs.map(\.inputID)).count == 300)
        // Each output's id is derived from its input's source and id and its place among that input's outputs; it
        // comes from this service, at its batch's time, and carries its input's correlation id on, or the input's
        // id when the input has none.
        let inputCorrelations = Dictionary(
            uniqueKeysWithValues: try inputs.map { input in
                let event = try CloudEvent.decode(value: input.value, headers: [])
                return (event.id, event.correlationID)
            })
        for (message, output) in zip(messages, outputs) {
            let event = try CloudEvent.decode(
                value: message.value, headers: message.headers.map { ($0.name, $0.value) })
            #expect(event.id == CloudEvent.derivedID(from: "urn:test\u{1F}\(output.inputID)\u{1F}1"))
            #expect(event.source == "urn:ot:\(CountingHandler.service)" && event.type == Counted.eventType)
            #expect((started...Int64(Date().timeIntervalSince1970)).contains(Int64(event.time.timeIntervalSince1970)))
            let inputCorrelation = try #require(inputCorrelations[output.inputID])
            #expect(event.correlationID == inputCorrelation ?? output.inputID)
        }
        #expect(inputCorrelations.values.contains(nil) && inputCorrelations.values.contains("corr-0"))
        for key in 0..<30 {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...10))
        }
        #expect(try storedCounts(in: directory.url).values.reduce(0, +) == 300)
        // Each event id is recorded once, with the time of its batch.
        let processed = try processedEvents(in: directory.url)
        #expect(processed.count == 300)
        let ended = Int64(Date().timeIntervalSince1970)
        #expect(processed.allSatisfy { (started...ended).contains($0.processedAt) }, "\(processed.prefix(3))")
        #expect(metrics.contains(#"ot_events_duplicate_total{service="ot-counting-worker"} 50"#))
        #expect(metrics.contains(#"ot_events_processed_total{service="ot-counting-worker"} 300"#))
        // One sample per relay round that delivered outputs, each from its oldest output's commit to the
        // acknowledgement: at most one per output, and none longer than the test has run.
        let delays = HTTPProbe.metricSum("ot_outbox_publish_delay_seconds_count", in: metrics)
        #expect((1...300).contains(delays))
        let delaySum = HTTPProbe.metricSum("ot_outbox_publish_delay_seconds_sum", in: metrics)
        #expect(delaySum > 0 && delaySum / delays < Double(Int64(Date().timeIntervalSince1970) - started + 1))
        await producer.shutdown()
    }

    /// With slow brokers a relay round takes long, and batches commit while it runs: their outputs wait for the next
    /// round. The backlog gauge counts them at the end of each round, and is back at zero once all is out.
    @Test("ot_outbox_backlog_rows counts the outputs committed while a relay round ran, and returns to zero")
    func backlogWhileRoundsAreSlow() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let worker = startCountingWorker(kafka: kafka, directory: directory.url)
        try await worker.worker.waitUntilReady()
        for broker in Int32(1)...3 { try kafka.cluster.setBrokerRoundTripTime(broker, .milliseconds(300)) }
        let producer = try kafka.makeProducer()
        // Waves of inputs until the gauge shows outputs waiting: each wave's send takes a slowed round trip, and
        // a relay round two (its changelog records, then its outputs), so later waves commit while a round runs.
        let (sent, seen) = try await withTimeout(.seconds(60), waitingFor: "outputs waiting in ot_outbox_backlog_rows")
        {
            var sent = 0
            while sent < 2_000 {
                try await producer.sendAll(try countEvents(20, keys: 20))
                sent += 20
                let (_, metrics) = try await worker.get("/metrics")
                let backlog = HTTPProbe.metricSum("ot_outbox_backlog_rows", in: metrics)
                if backlog > 0 { return (sent, backlog) }
            }
            return (sent, 0.0)
        }
        #expect(seen > 0, "no outputs ever counted as waiting, over \(sent) inputs")
        for broker in Int32(1)...3 { try kafka.cluster.setBrokerRoundTripTime(broker, .zero) }
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(sent))
        try await eventually("ot_outbox_backlog_rows back at zero", every: .milliseconds(20)) {
            let (_, metrics) = try await worker.get("/metrics")
            let drained =
                HTTPProbe.metricSum("ot_outbox_backlog_rows", in: metrics) == 0
                && HTTPProbe.metricSum("ot_outbox_published_total", in: metrics) == Double(sent)
            return drained ? () : nil
        }
        await producer.shutdown()
        try await worker.stop()
    }

    /// One poison message of each kind; each is followed by a good message for the same key (same partition).
    @Test("poison input of every kind goes to the dead-letter topic with its headers; the partition goes on")
    func deadLetters() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let topic = CountingHandler.input.name
        let ceHeader = KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)
        func good() throws -> [UInt8] { try CloudEvent(Count(), source: "urn:test").structuredJSON() }
        var unknownType = try CloudEvent(Count(), source: "urn:test")
        unknownType.type = "no.ot.test.unknown"
        let illTyped = Array(
            #"{"specversion":"1.0","id":"x1","source":"urn:test","type":"no.ot.test.count","time":"2026-11-29T10:00:00Z","datacontenttype":"application/json","data":{"fail":5}}"#
                .utf8)
        let missingSource = Array(
            #"{"specversion":"1.0","id":"x2","type":"no.ot.test.count","time":"2026-11-29T10:00:00Z","data":{}}"#.utf8)
        let poison: [(String, [UInt8], String)] = [
            ("bad JSON", Array("{not json".utf8), "JSON"),
            ("unknown type", unknownType.structuredJSON(), "no.ot.test.unknown"),
            ("ill-typed field", illTyped, "data.fail"),
            ("missing attribute", missingSource, "source"),
            (
                "permanent handler error",
                try CloudEvent(Count(fail: "permanent"), source: "urn:test").structuredJSON(), "rejected"
            ),
            (
                "transient, attempts exhausted",
                try CloudEvent(Count(fail: "transient"), source: "urn:test").structuredJSON(), "attempts exhausted"
            ),
        ]
        var messages: [KafkaProducerMessage] = []
        for (index, (_, value, _)) in poison.enumerated() {
            messages.append(
                KafkaProducerMessage(
                    topic: topic, key: Array("poison-\(index)".utf8), value: value, headers: [ceHeader]))
            messages.append(
                KafkaProducerMessage(
                    topic: topic, key: Array("poison-\(index)".utf8), value: try good(), headers: [ceHeader]))
        }
        let reports = try await producer.send(messages)

        let worker = startCountingWorker(kafka: kafka, directory: directory.url)
        let dlq = "\(CountingHandler.service).dlq.v1"
        try await kafka.waitForMessages(in: dlq, count: Int64(poison.count))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(poison.count))
        try await worker.stop()

        let dead = try await kafka.readToEnd(dlq)
        #expect(dead.count == poison.count)
        for (index, (kind, value, reason)) in poison.enumerated() {
            let report = reports[index * 2]
            let letter = try #require(dead.first { $0.keyString == "poison-\(index)" }, "\(kind) not dead-lettered")
            #expect(letter.value.map(Array.init) == value, "\(kind): value changed")
            #expect(letter.partition == report.partition)
            #expect(letter.headerString(DeadLetterHeader.sourceTopic) == topic)
            #expect(letter.headerString(DeadLetterHeader.sourcePartition) == "\(report.partition)")
            #expect(letter.headerString(DeadLetterHeader.sourceOffset) == "\(report.offset)")
            #expect(
                letter.headerString(DeadLetterHeader.error)?.contains(reason) == true,
                "\(kind): \(letter.headerString(DeadLetterHeader.error) ?? "")")
            #expect(letter.headerString(DeadLetterHeader.attempts) == (kind.hasPrefix("transient") ? "3" : "1"))
            #expect(letter.headerString("content-type") == CloudEvent.structuredContentType, "original headers kept")
        }
        // The good message after each poison one was processed.
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(Set(outputs.map(\.key)) == Set((0..<poison.count).map { "poison-\($0)" }))
        await producer.shutdown()
    }

    /// Each key gets a good event, one whose handler fails permanently after writing and emitting, one that fails
    /// transiently twice after writing, and another good one, all in one partition group. The group runs first
    /// without savepoints, and then again with one per event: the second transient failure is in a savepoint.
    @Test("a handler failing after it wrote has its writes and emits rolled back; a retried event counts once")
    func rollbackOfFailedHandlers() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let header = KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)
        var messages: [KafkaProducerMessage] = []
        var permanentIDs: Set<String> = []
        for key in 0..<6 {
            for fail in [nil, "permanent", "transient", nil] {
                let event = try CloudEvent(Count(fail: fail), source: "urn:test")
                if fail == "permanent" { permanentIDs.insert(event.id) }
                messages.append(
                    KafkaProducerMessage(
                        topic: CountingHandler.input.name, key: Array("key-\(key)".utf8),
                        value: event.structuredJSON(), headers: [header]))
            }
        }
        try await producer.sendAll(messages)

        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: WriteThenFailHandler(), directory: directory.url)
        try await kafka.waitForMessages(in: "\(CountingHandler.service).dlq.v1", count: 6)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 18)
        try await worker.stop()

        var written: [String] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        for file in files where file.hasSuffix(".sqlite") {
            let queue = try DatabaseQueue(path: directory.url.appendingPathComponent(file).path)
            written += try await queue.read { try String.fetchAll($0, sql: "SELECT id FROM writes") }
        }
        #expect(written.count == 18)
        #expect(Set(written).count == 18, "a transient failure's first attempt was kept")
        #expect(Set(written).isDisjoint(with: permanentIDs), "a failed handler's write was kept")
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 18)
        #expect(Set(outputs.map(\.inputID)).isDisjoint(with: permanentIDs), "a failed handler's emit was published")
        let dead = try await kafka.readToEnd("\(CountingHandler.service).dlq.v1")
        #expect(dead.count == 6)
        await producer.shutdown()
    }
}

/// Writes a row and emits an event for every input, and only then fails as the input asks: `permanent` every time,
/// `transient` on the first two attempts.
private struct WriteThenFailHandler: WorkerHandler {
    final class Attempts: Sendable {
        let byID = Mutex<[String: Int]>([:])

        /// Counts an attempt at `id`; the number of this one.
        func next(_ id: String) -> Int {
            byID.withLock { attempts in
                attempts[id, default: 0] += 1
                return attempts[id]!
            }
        }
    }

    let attempts = Attempts()

    var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("writes-1") { db in
            try db.execute(sql: "CREATE TABLE writes (id TEXT NOT NULL, key TEXT NOT NULL)")
        }
        return migrations
    }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        let count = try event.cloudEvent.decodePayload(as: Count.self)
        let key = event.key ?? ""
        try context.database.execute(
            sql: "INSERT INTO writes (id, key) VALUES (?, ?)", arguments: [event.cloudEvent.id, key])
        try context.emit(Counted(key: key, count: 1, inputID: event.cloudEvent.id), key: key)
        switch count.fail {
        case "permanent":
            throw HandlerError.permanent("failed after writing")
        case "transient" where attempts.next(event.cloudEvent.id) <= 2:
            throw HandlerError.transient("failed after writing")
        default:
            break
        }
    }
}
