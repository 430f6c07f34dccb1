import Foundation
import GRDB
import Kafka
import KafkaTesting
import Logging
import OTContract
import OTRuntime
import OTRuntimeTesting
import ServiceLifecycle

/// A temporary directory removed by ``remove()``.
struct TemporaryDirectory {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ot-runtime-\(UUID().uuidString)")
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// An embedded broker with the counting worker's topics.
func makeCountingKafka() throws -> EmbeddedKafka {
    try EmbeddedKafka(topics: CountingHandler.topics)
}

/// `count` input events for `keys` keys, each with a unique id.
func countEvents(_ count: Int, keys: Int, source: String = "urn:test") throws -> [KafkaProducerMessage] {
    try (0..<count).map { index in
        let event = try CloudEvent(Count(), source: source)
        return KafkaProducerMessage(
            topic: CountingHandler.input.name, key: Array("key-\(index % keys)".utf8), value: event.structuredJSON(),
            headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
    }
}

/// A counting worker running in this process.
func startCountingWorker(kafka: EmbeddedKafka, directory: URL) -> InProcessWorker {
    InProcessWorker(
        kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
        handler: CountingHandler(), directory: directory)
}

/// The counts kept in a worker's partition stores, summed per key.
func storedCounts(in directory: URL) throws -> [String: Int] {
    var counts: [String: Int] = [:]
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sqlite") }
    for file in files {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(file).path)
        for row in try queue.read({ try Row.fetchAll($0, sql: "SELECT key, count FROM counts") }) {
            counts[row["key"], default: 0] += row["count"] as Int
        }
    }
    return counts
}

/// The de-duplication records kept in a worker's partition stores.
func processedEvents(in directory: URL) throws -> [(id: String, processedAt: Int64)] {
    var events: [(id: String, processedAt: Int64)] = []
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sqlite") }
    for file in files {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(file).path)
        for row in try queue.read({ try Row.fetchAll($0, sql: "SELECT id, processed_at FROM ot_processed_events") }) {
            events.append((row["id"], row["processed_at"]))
        }
    }
    return events
}

/// The `Counted` outputs of a topic, decoded.
func countedOutputs(_ messages: [KafkaConsumerMessage]) throws -> [Counted] {
    try messages.map { message in
        try CloudEvent.decode(value: message.value, headers: message.headers.map { ($0.name, $0.value) })
            .decodePayload(as: Counted.self)
    }
}
