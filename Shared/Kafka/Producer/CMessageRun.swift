import CRdKafka

/// A run of consecutive messages of one topic, without headers and without timestamps of their own, in the C form
/// `CRdKafka_produce_run` hands to librdkafka in one call: their keys and values copied one after another into one
/// buffer, and the `CRdKafka_message`s that point into it. A store's changelog records come so, thousands to a
/// round; through `CRdKafka_produce_batch` each cost a call of `rd_kafka_producev`, which reads its arguments, runs
/// the partitioner and takes the topic's lock for every message.
///
/// The buffers grow when a run needs more room and serve every run of an enqueue call.
struct CMessageRun: ~Copyable {
    /// The most messages one run takes.
    static let maxCount = 1_024

    private var bytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var messages = UnsafeMutableBufferPointer<CRdKafka_message>(start: nil, count: 0)
    private var errors = UnsafeMutableBufferPointer<rd_kafka_resp_err_t>(start: nil, count: 0)

    init() {}

    deinit {
        bytes.deallocate()
        messages.deallocate()
        errors.deallocate()
    }

    /// Whether `message` may go in a run: librdkafka's batch interface takes neither headers nor timestamps.
    static func fits(_ message: KafkaProducerMessage) -> Bool {
        message.headers.isEmpty && message.timestamp == nil
    }

    /// The end of the run that starts at `start`: the messages that follow it, of its topic and fit for a run, up to
    /// ``maxCount``.
    static func end(of start: Int, in source: UnsafeBufferPointer<KafkaProducerMessage>) -> Int {
        var end = start + 1
        while end < source.count, end - start < maxCount, fits(source[end]), source[end].topic == source[start].topic {
            end += 1
        }
        return end
    }

    /// Enqueues `source[range]` to `topic` in one call; each message's delivery report carries `opaque(index)`.
    ///
    /// - Returns: Each message's outcome, in order, valid until the next call: as `CRdKafka_produce_run` gives them.
    mutating func enqueue(
        _ source: UnsafeBufferPointer<KafkaProducerMessage>, _ range: Range<Int>, topic: OpaquePointer,
        opaque: (Int) -> UInt64
    ) -> UnsafeBufferPointer<rd_kafka_resp_err_t> {
        reserve(bytes: range.reduce(1) { $0 + (source[$1].keyBytes?.count ?? 0) + (source[$1].valueBytes?.count ?? 0) })
        reserve(messages: range.count)
        var offset = 0
        for (slot, index) in range.enumerated() {
            let key = copy(source[index].keyBytes, at: &offset)
            let value = copy(source[index].valueBytes, at: &offset)
            messages[slot] = CRdKafka_message(
                topic: topic, partition: source[index].partition ?? RD_KAFKA_PARTITION_UA, key: key,
                key_length: source[index].keyBytes?.count ?? 0, value: value,
                value_length: source[index].valueBytes?.count ?? 0, headers: nil, header_count: 0, timestamp: 0,
                opaque: opaque(index))
        }
        _ = CRdKafka_produce_run(topic, messages.baseAddress, range.count, errors.baseAddress)
        return UnsafeBufferPointer(rebasing: errors[..<range.count])
    }

    /// Copies `source` to the bytes at `offset` and moves `offset` past it; the copy's address, or a null one for
    /// `nil` (no key; a tombstone). Empty bytes get an address too: a null one would make them absent.
    private func copy(_ source: ArraySlice<UInt8>?, at offset: inout Int) -> UnsafeRawPointer? {
        guard let source else { return nil }
        let start = bytes.baseAddress! + offset
        source.withUnsafeBytes { contiguous in
            if let from = contiguous.baseAddress { start.copyMemory(from: from, byteCount: contiguous.count) }
        }
        offset += source.count
        return UnsafeRawPointer(start)
    }

    private mutating func reserve(bytes size: Int) {
        guard bytes.count < size else { return }
        bytes.deallocate()
        bytes = .allocate(byteCount: max(size, 2 * bytes.count), alignment: 1)
    }

    private mutating func reserve(messages count: Int) {
        guard messages.count < count else { return }
        messages.deallocate()
        errors.deallocate()
        messages = .allocate(capacity: max(count, 2 * messages.count))
        errors = .allocate(capacity: messages.count)
    }
}
