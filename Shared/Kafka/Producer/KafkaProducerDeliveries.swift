import CRdKafka
import Synchronization

/// Matches delivery reports, which arrive in chunks on the polling thread, to the batches of
/// ``KafkaProducer/send(_:)`` waiting for them.
///
/// Each message's librdkafka opaque is its batch number (upper 40 bits) and its index in the batch (lower 24).
final class KafkaProducerDeliveries: Sendable {
    static let indexBits: UInt64 = 24
    /// The most messages one registered batch holds; `send` splits larger arrays.
    static let maxBatchSize = 1 << indexBits

    static func opaque(batch: UInt64, index: Int) -> UInt64 { batch << indexBits | UInt64(index) }

    /// The outcome of one batch's messages, filled in as reports arrive. Mutated only under the state lock, and
    /// handed to its one waiter after its last report, when nothing mutates it any more.
    ///
    /// Partitions and offsets live in buffers the batch owns (allocated in `init`, freed in `deinit`): writing
    /// them per report then costs no copy-on-write or exclusivity bookkeeping on the polling thread's hot path.
    private final class Batch: @unchecked Sendable {
        let partitions: UnsafeMutableBufferPointer<Int32>
        let offsets: UnsafeMutableBufferPointer<Int64>
        var errors: [Int: KafkaError] = [:]
        var remaining: Int
        var waiter: CheckedContinuation<Batch, Never>?

        init(count: Int) {
            partitions = .allocate(capacity: count)
            partitions.initialize(repeating: -1)
            offsets = .allocate(capacity: count)
            offsets.initialize(repeating: -1)
            remaining = count
        }

        deinit {
            partitions.deallocate()
            offsets.deallocate()
        }
    }

    private struct State {
        var nextBatch: UInt64 = 1
        var batches: [UInt64: Batch] = [:]
        var outstanding = 0
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var drainWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextDrainWaiter: UInt64 = 0
        var expiredDrainWaiters: Set<UInt64> = []
        var closed = false
    }

    private let state = Mutex(State())
    /// A sender that found librdkafka's queue full waits until no more than this many messages are outstanding,
    /// so that it resumes with room for a good run rather than one message at a time.
    private let resumeBelow: Int

    init(queueCapacity: Int) {
        resumeBelow = max(1, queueCapacity / 2)
    }

    /// Registers a batch of `count` messages, or returns `nil` when closed.
    func register(count: Int) -> UInt64? {
        state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextBatch
            state.nextBatch += 1
            state.batches[id] = Batch(count: count)
            return id
        }
    }

    func didEnqueue(_ count: Int) {
        state.withLock { $0.outstanding += count }
    }

    var outstanding: Int { state.withLock { $0.outstanding } }

    func close() { state.withLock { $0.closed = true } }

    /// Records a message that never reached librdkafka's queue.
    func fail(batch id: UInt64, index: Int, error: KafkaError) {
        let finished = state.withLock { state -> (CheckedContinuation<Batch, Never>, Batch)? in
            guard let batch = state.batches[id] else { return nil }
            batch.errors[index] = error
            return Self.settle(id, batch, &state)
        }
        if let (waiter, batch) = finished { waiter.resume(returning: batch) }
    }

    /// Called on the polling thread with a chunk of delivery reports.
    func record(_ reports: UnsafeBufferPointer<CRdKafka_delivery_report>) {
        var finished: [(CheckedContinuation<Batch, Never>, Batch)] = []
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var drainWaiters: [CheckedContinuation<Bool, Never>] = []
        state.withLock { state in
            // A chunk nearly always belongs to one batch: look each batch up once per run of its reports.
            var currentID: UInt64 = 0
            var current: Batch?
            for report in reports {
                let id = report.opaque >> Self.indexBits
                if id != currentID {
                    currentID = id
                    current = state.batches[id]
                }
                guard let batch = current else { continue }
                let index = Int(report.opaque & (1 << Self.indexBits - 1))
                batch.partitions[index] = report.partition
                batch.offsets[index] = report.offset
                if report.error != RD_KAFKA_RESP_ERR_NO_ERROR {
                    batch.errors[index] = KafkaError(.delivery, report.error, "a message was not delivered")
                }
                if let done = Self.settle(id, batch, &state) {
                    finished.append(done)
                    current = nil
                    currentID = 0
                }
            }
            state.outstanding -= reports.count
            if state.outstanding <= resumeBelow { swap(&spaceWaiters, &state.spaceWaiters) }
            if state.outstanding == 0 {
                drainWaiters = Array(state.drainWaiters.values)
                state.drainWaiters = [:]
            }
        }
        for (waiter, batch) in finished { waiter.resume(returning: batch) }
        for waiter in spaceWaiters { waiter.resume() }
        for waiter in drainWaiters { waiter.resume(returning: true) }
    }

    private static func settle(
        _ id: UInt64, _ batch: Batch, _ state: inout State
    ) -> (CheckedContinuation<Batch, Never>, Batch)? {
        batch.remaining -= 1
        guard batch.remaining == 0, let waiter = batch.waiter else { return nil }
        state.batches[id] = nil
        return (waiter, batch)
    }

    /// Waits until every message of the batch has its report; returns them in the order of `messages`.
    func reports(of id: UInt64, topics messages: ArraySlice<KafkaProducerMessage>) async -> [KafkaDeliveryReport] {
        let batch: Batch = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Batch? in
                guard let batch = state.batches[id] else { return nil }
                if batch.remaining == 0 {
                    state.batches[id] = nil
                    return batch
                }
                batch.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return [KafkaDeliveryReport](unsafeUninitializedCapacity: messages.count) { buffer, initialized in
            for index in 0..<messages.count {
                let topic = messages[messages.startIndex + index].topic
                (buffer.baseAddress! + index).initialize(
                    to: KafkaDeliveryReport(
                        topic: topic, partition: batch.partitions[index], offset: batch.offsets[index],
                        error: batch.errors.isEmpty
                            ? nil
                            : batch.errors[index].map {
                                KafkaError($0.kind, code: $0.code, "\($0.message) to \(topic)")
                            }))
            }
            initialized = messages.count
        }
    }

    /// Waits until librdkafka's queue has room again: no more than half its capacity outstanding.
    func waitForSpace() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.outstanding <= resumeBelow { return true }
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
