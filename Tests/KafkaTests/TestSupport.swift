import Foundation
import Kafka
import KafkaTesting

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
