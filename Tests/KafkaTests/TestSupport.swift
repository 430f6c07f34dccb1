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
    typealias Condition = @Sendable ([Entry]) -> Bool
    private(set) var entries: [Entry] = []
    private var waiters: [Int: (condition: Condition, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiter = 0

    func append(_ entry: Entry) {
        entries.append(entry)
        for (id, waiter) in waiters where waiter.condition(entries) {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }

    /// Waits until `condition` holds for the entries, or fails after `timeout`.
    func wait(_ what: String, timeout: Duration = .seconds(60), until condition: @escaping Condition) async throws {
        try await withTimeout(timeout, waitingFor: what) { await self.waitForever(until: condition) }
    }

    private func waitForever(until condition: @escaping Condition) async {
        if condition(entries) { return }
        nextWaiter += 1
        let id = nextWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = (condition, continuation) }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) { waiters.removeValue(forKey: id)?.continuation.resume() }
}
