import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Testing

@Suite("Worker: effectively-once processing on SQLite")
struct WorkerTests {
    @Test("each input has one effect; redelivered and duplicated events have none")
    func duplicates() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let inputs = try countEvents(300, keys: 30)
        try await producer.sendAll(inputs)
        // The same events again (an upstream retry): same ids, new offsets.
        try await producer.sendAll(Array(inputs.prefix(50)))

        let worker = startCountingWorker(kafka: kafka, directory: directory.url)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 300)
        let (status, _) = try await worker.get("/health/ready")
        #expect(status == 200)
        let (_, metrics) = try await worker.get("/metrics")
        try await worker.stop()

        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 300)
        #expect(Set(outputs.map(\.inputID)).count == 300)
        for key in 0..<30 {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...10))
        }
        #expect(try storedCounts(in: directory.url).values.reduce(0, +) == 300)
        #expect(metrics.contains(#"ot_events_duplicate_total{service="ot-counting-worker"} 50"#))
        #expect(metrics.contains(#"ot_events_processed_total{service="ot-counting-worker"} 300"#))
        await producer.shutdown()
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
}
