import CRdKafka
import Synchronization

/// Matches delivery reports, which arrive in batches on the polling thread, to the batches of
/// ``KafkaProducer/send(_:)-([KafkaProducerMessage])`` waiting for them.
///
/// Each message's librdkafka opaque is its batch number (upper 40 bits) and its index in the batch (lower 24).
final class KafkaProducerDeliveries: Sendable {
    static let indexBits: UInt64 = 24
    /// The most messages one registered batch holds; `send` splits larger arrays.
    static let maxBatchSize = 1 << indexBits

    static func opaque(batch: UInt64, index: Int) -> UInt64 { batch << indexBits | UInt64(index) }

    private struct Batch {
        var reports: [KafkaDeliveryReport]
        var remaining: Int
        var waiter: CheckedContinuation<[KafkaDeliveryReport], Never>?
    }

    private struct State {
        var nextBatch: UInt64 = 1
        var batches: [UInt64: Batch] = [:]
        var outstanding = 0
        var delivered: UInt64 = 0
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var drainWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextDrainWaiter: UInt64 = 0
        var expiredDrainWaiters: Set<UInt64> = []
        var closed = false
    }

    private let state = Mutex(State())

    /// Registers a batch, or returns `nil` when closed.
    func register(topics: [String]) -> UInt64? {
        state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextBatch
            state.nextBatch += 1
            let reports = topics.map { KafkaDeliveryReport(topic: $0, partition: -1, offset: -1, error: nil) }
            state.batches[id] = Batch(reports: reports, remaining: topics.count, waiter: nil)
            return id
        }
    }

    func didEnqueue(_ count: Int) {
        state.withLock { $0.outstanding += count }
    }

    var outstanding: Int { state.withLock { $0.outstanding } }
    var deliveredCount: UInt64 { state.withLock { $0.delivered } }

    func close() { state.withLock { $0.closed = true } }

    /// Records a message that never reached librdkafka's queue.
    func fail(batch id: UInt64, index: Int, error: KafkaError) {
        let resume = state.withLock { state -> (CheckedContinuation<[KafkaDeliveryReport], Never>, [KafkaDeliveryReport])? in
            state.batches[id]?.reports[index].error = error
            return Self.settle(id, remainingDelta: 1, &state)
        }
        if let (waiter, reports) = resume { waiter.resume(returning: reports) }
    }

    /// Called on the polling thread with a chunk of delivery reports.
    func record(_ reports: UnsafeBufferPointer<CRdKafka_delivery_report>) {
        var finished: [(CheckedContinuation<[KafkaDeliveryReport], Never>, [KafkaDeliveryReport])] = []
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var drainWaiters: [CheckedContinuation<Bool, Never>] = []
        state.withLock { state in
            for report in reports {
                let id = report.opaque >> Self.indexBits
                let index = Int(report.opaque & (1 << Self.indexBits - 1))
                guard state.batches[id] != nil else { continue }
                state.batches[id]!.reports[index].partition = report.partition
                state.batches[id]!.reports[index].offset = report.offset
                if report.error != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let topic = state.batches[id]!.reports[index].topic
                    state.batches[id]!.reports[index].error = KafkaError(
                        .delivery, report.error, "a message to \(topic) was not delivered")
                }
                if let done = Self.settle(id, remainingDelta: 1, &state) { finished.append(done) }
            }
            state.outstanding -= reports.count
            state.delivered += UInt64(reports.count)
            swap(&spaceWaiters, &state.spaceWaiters)
            if state.outstanding == 0 {
                drainWaiters = Array(state.drainWaiters.values)
                state.drainWaiters = [:]
            }
        }
        for (waiter, reports) in finished { waiter.resume(returning: reports) }
        for waiter in spaceWaiters { waiter.resume() }
        for waiter in drainWaiters { waiter.resume(returning: true) }
    }

    private static func settle(
        _ id: UInt64, remainingDelta: Int, _ state: inout State
    ) -> (CheckedContinuation<[KafkaDeliveryReport], Never>, [KafkaDeliveryReport])? {
        guard var batch = state.batches[id] else { return nil }
        batch.remaining -= remainingDelta
        guard batch.remaining == 0, let waiter = batch.waiter else {
            state.batches[id] = batch
            return nil
        }
        state.batches[id] = nil
        return (waiter, batch.reports)
    }

    /// Waits until every message of the batch has its report.
    func reports(of id: UInt64) async -> [KafkaDeliveryReport] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [KafkaDeliveryReport]? in
                guard let batch = state.batches[id] else { return [] }
                if batch.remaining == 0 {
                    state.batches[id] = nil
                    return batch.reports
                }
                state.batches[id]!.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Waits until a delivery report arrives after `deliveredBefore` was read (librdkafka's queue then has room).
    func waitForSpace(deliveredBefore: UInt64) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.delivered != deliveredBefore || state.outstanding == 0 { return true }
                state.spaceWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Waits until nothing is outstanding; `false` if `timeout` passed first.
    func waitUntilDrained(timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.nextDrainWaiter += 1
            return state.nextDrainWaiter
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let drained = self.state.withLock { state -> Bool? in
                        if state.outstanding == 0 { return true }
                        if state.expiredDrainWaiters.remove(id) != nil { return false }
                        state.drainWaiters[id] = continuation
                        return nil
                    }
                    if let drained { continuation.resume(returning: drained) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)  // a deadline, not a wait for a condition
                let waiter = self.state.withLock { state in
                    let waiter = state.drainWaiters.removeValue(forKey: id)
                    if waiter == nil { state.expiredDrainWaiters.insert(id) }
                    return waiter
                }
                waiter?.resume(returning: false)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            await group.waitForAll()
            _ = state.withLock { $0.expiredDrainWaiters.remove(id) }
            return first
        }
    }
}
