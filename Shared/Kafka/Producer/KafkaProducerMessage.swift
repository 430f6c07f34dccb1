/// A message to produce.
public struct KafkaProducerMessage: Sendable, Hashable {
    /// The topic to produce to.
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose by key.
    public var partition: Int32?
    /// The key; the partition key for keyed topics (the person's national ID on person-keyed topics).
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone on a compacted topic.
    public var value: [UInt8]?
    /// The headers.
    public var headers: [KafkaHeader]
    /// The timestamp in milliseconds since the epoch; `nil` stamps the message when ``KafkaProducer`` enqueues it.
    public var timestamp: Int64?

    /// Creates a message with binary key and value.
    public init(
        topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], partition: Int32? = nil,
        timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
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
