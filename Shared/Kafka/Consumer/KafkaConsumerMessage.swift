/// A consumed message. Its bytes live in one buffer shared by the whole batch it came in, so that a batch costs
/// one allocation rather than several per message; ``key`` and ``value`` are slices of that buffer.
public struct KafkaConsumerMessage: Sendable {
    /// The topic it was read from.
    public let topic: String
    /// The partition it was read from.
    public let partition: Int32
    /// Its offset in the partition.
    public let offset: Int64
    /// The message timestamp in milliseconds since the epoch, when the message has one.
    public let timestamp: Int64?

    let storage: KafkaConsumerBatchStorage
    let keyRange: Range<Int>?
    let valueRange: Range<Int>?
    let headerRange: Range<Int>

    /// The partition, as one value.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The key, or `nil` for a message without one.
    public var key: ArraySlice<UInt8>? { keyRange.map { storage.bytes[$0] } }

    /// The value, or `nil` for a tombstone.
    public var value: ArraySlice<UInt8>? { valueRange.map { storage.bytes[$0] } }

    /// The key read as UTF-8 text.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// The value read as UTF-8 text.
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }

    /// The headers, in order.
    public var headers: [KafkaHeader] {
        storage.headers[headerRange].map { header in
            KafkaHeader(name: header.name, value: header.value.map { Array(storage.bytes[$0]) })
        }
    }

    /// The value of the first header named `name`: `nil` when there is no such header, `.some(nil)` when the
    /// header has a null value.
    public func header(_ name: String) -> ArraySlice<UInt8>?? {
        guard let header = storage.headers[headerRange].first(where: { $0.name == name }) else { return nil }
        return .some(header.value.map { storage.bytes[$0] })
    }

    /// The first header named `name`, read as UTF-8 text.
    public func headerString(_ name: String) -> String? {
        guard case .some(.some(let value)) = header(name) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }
}

/// The bytes and header table of one consumed batch, shared by its messages.
final class KafkaConsumerBatchStorage: Sendable {
    struct Header: Sendable {
        var name: String
        var value: Range<Int>?
    }

    let bytes: [UInt8]
    let headers: [Header]

    init(bytes: [UInt8], headers: [Header]) {
        self.bytes = bytes
        self.headers = headers
    }
}
