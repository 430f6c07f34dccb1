import Foundation
import GRDB
import Kafka
import KafkaTesting
import Logging
import OTContract
import OTRuntime
import OTRuntimeTesting
import ServiceLifecycle
import Testing

/// A temporary directory removed by ``remove()``.
struct TemporaryDirectory {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ot-runtime-\(UUID().uuidString)")
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// An embedded broker with the counting worker's topics.
func makeCountingKafka() throws -> EmbeddedKafka {
    try EmbeddedKafka(topics: CountingHandler.topics)
}

/// `count` input events for `keys` keys, each with a unique id; when `correlated`, those of even index carry the
/// correlation id `corr-<index>`.
func countEvents(
    _ count: Int, keys: Int, source: String = "urn:test", correlated: Bool = false
) throws -> [KafkaProducerMessage] {
    try (0..<count).map { index in
        let event = try CloudEvent(
            Count(), source: source, correlationID: correlated && index.isMultiple(of: 2) ? "corr-\(index)" : nil)
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

/// The rows `sql` reads from each of a worker's partition stores (its `.sqlite` files in `directory`), together.
func storeRows(in directory: URL, _ sql: String) throws -> [Row] {
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sqlite") }
    return try files.flatMap { file in
        try DatabaseQueue(path: directory.appendingPathComponent(file).path).read { try Row.fetchAll($0, sql: sql) }
    }
}

/// The counts kept in a worker's partition stores, summed per key.
func storedCounts(in directory: URL) throws -> [String: Int] {
    var counts: [String: Int] = [:]
    for row in try storeRows(in: directory, "SELECT key, count FROM counts") {
        counts[row["key"], default: 0] += row["count"] as Int
    }
    return counts
}

/// The de-duplication records kept in a worker's partition stores.
func processedEvents(in directory: URL) throws -> [(id: String, processedAt: Int64)] {
    try storeRows(in: directory, "SELECT processed_at, events FROM ot_processed_batches ORDER BY rowid").flatMap {
        row in
        let processedAt: Int64 = row["processed_at"]
        return storedEventIDs(row["events"]).map { ($0, processedAt) }
    }
}

/// The ids in a row of `ot_processed_batches` (``storedEvents(_:)``).
func storedEventIDs(_ events: Data) -> [String] { storedEvents(Array(events)).map(\.id) }

/// The events in a row of `ot_processed_batches`, read by the format runtime.md gives (a format byte 1, then per event
/// its source and its id, each a 32-bit big-endian length and its UTF-8 bytes), not by the runtime's own code.
func storedEvents(_ bytes: [UInt8]) -> [(source: String, id: String)] {
    #expect(bytes.first == 1, "the format byte")
    var events: [(source: String, id: String)] = []
    var position = 1
    func text() -> String {
        let count = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
        defer { position += 4 + count }
        return String(decoding: bytes[position + 4..<position + 4 + count], as: UTF8.self)
    }
    while position < bytes.count {
        let source = text()
        events.append((source, text()))
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
