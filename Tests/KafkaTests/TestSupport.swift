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

/// A log that tests append to from several tasks and await conditions on, without sleeping.
actor Recorder<Entry: Sendable> {
    private(set) var entries: [Entry] = []
    private var waiters: [(condition: @Sendable ([Entry]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []

    func append(_ entry: Entry) {
        entries.append(entry)
        let ready = waiters.filter { $0.condition(entries) }
        waiters.removeAll { $0.condition(entries) }
        ready.forEach { $0.continuation.resume() }
    }

    func append(contentsOf newEntries: [Entry]) {
        for entry in newEntries { append(entry) }
    }

    /// Waits until `condition` holds for the entries, or fails after `timeout`.
    func wait(
        _ what: String, timeout: Duration = .seconds(60), until condition: @escaping @Sendable ([Entry]) -> Bool
    ) async throws {
        try await withTimeout(timeout, waitingFor: what) {
            await self.waitForever(until: condition)
        }
    }

    private func waitForever(until condition: @escaping @Sendable ([Entry]) -> Bool) async {
        if condition(entries) { return }
        await withCheckedContinuation { waiters.append((condition, $0)) }
    }
}
