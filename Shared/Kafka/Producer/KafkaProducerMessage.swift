/// A message to produce.
public struct KafkaProducerMessage: Sendable, Hashable {
    /// The topic to produce to.
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose by key.
    public var partition: Int32?
    /// The key's bytes; the partition key for keyed topics (the person's national ID on person-keyed topics). A part
    /// of a buffer that other messages share, when made so (``init(topic:keyBytes:valueBytes:headers:partition:)``).
    public var keyBytes: ArraySlice<UInt8>?
    /// The value's bytes, as ``keyBytes``; `nil` is a tombstone on a compacted topic.
    public var valueBytes: ArraySlice<UInt8>?
    /// The headers.
    public var headers: [KafkaHeader]
    /// The timestamp in milliseconds since the epoch; `nil` stamps the message when ``KafkaProducer`` enqueues it.
    public var timestamp: Int64?

    /// The key, as an array of its own.
    public var key: [UInt8]? {
        get { keyBytes.map { Array($0) } }
        set { keyBytes = newValue.map { $0[...] } }
    }

    /// The value, as an array of its own; `nil` is a tombstone on a compacted topic.
    public var value: [UInt8]? {
        get { valueBytes.map { Array($0) } }
        set { valueBytes = newValue.map { $0[...] } }
    }

    /// Creates a message with binary key and value.
    public init(
        topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], partition: Int32? = nil,
        timestamp: Int64? = nil
    ) {
        self.init(
            topic: topic, keyBytes: key.map { $0[...] }, valueBytes: value.map { $0[...] }, headers: headers,
            partition: partition, timestamp: timestamp)
    }

    /// Creates a message with key and value that may be parts of one buffer, which the messages made from it share:
    /// many small messages without an allocation (and a free) each for their bytes. The buffer lives as long as the
    /// last of them.
    public init(
        topic: String, keyBytes: ArraySlice<UInt8>?, valueBytes: ArraySlice<UInt8>?, headers: [KafkaHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.keyBytes = keyBytes
        self.valueBytes = valueBytes
        self.headers = headers
        self.partition = partition
        self.timestamp = timestamp
    }

    /// Creates a message with a UTF-8 text key and value.
    public init(
        topic: String, key: String?, value: String?, headers: [KafkaHeader] = [], partition: Int32? = nil
    ) {
        self.init(
            topic: topic, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, headers: headers,
            partition: partition)
    }
}
