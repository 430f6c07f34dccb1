import Foundation
import Kafka
import KafkaTesting
import Testing

/// A fresh topic name per test, so tests share nothing.
func uniqueName(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }

/// Messages `count` long, keyed `key-<i % keys>`, with the sequence number of the message per key in the value.
func sequencedMessages(topic: String, count: Int, keys: Int) -> [KafkaProducerMessage] {
    var nextSequence = [Int](repeating: 0, count: keys)
    return (0..<count).map { index in
        let key = index % keys
        defer { nextSequence[key] += 1 }
        return KafkaProducerMessage(topic: topic, key: "key-\(key)", value: "\(nextSequence[key])")
    }
}

/// Reads the whole topic and checks every message arrived exactly once, in order per key.
func expectExactlyOnceInOrder(
    _ messages: [KafkaProducerMessage], kafka: EmbeddedKafka, topic: String
) async throws {
    let consumer = try kafka.makeConsumer(groupID: uniqueName("verify"))
    try await consumer.assign((0..<kafka.partitions).map { .init(topic: topic, partition: $0, offset: -2) })
    let received = try await consumer.collect(messages.count)
    await consumer.close()
    #expect(received.count == messages.count, "duplicates or losses: \(received.count) of \(messages.count)")
    var bySequence: [String: [Int]] = [:]
    for message in received { bySequence[message.keyString!, default: []].append(Int(message.valueString!)!) }
    for (key, sequences) in bySequence {
        #expect(sequences == Array(0..<sequences.count), "key \(key) out of order or duplicated")
    }
    #expect(bySequence.values.map(\.count).reduce(0, +) == messages.count)
}
