/// A Kafka message header: a name and an optional value.
public struct KafkaHeader: Sendable, Hashable {
    /// The header's name.
    public var name: String
    /// The header's value; `nil` is a null value.
    public var value: [UInt8]?

    /// Creates a header with a binary value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header with a UTF-8 text value.
    public init(name: String, string: String) {
        self.name = name
        self.value = Array(string.utf8)
    }

    /// The value read as UTF-8 text, if there is one.
    public var stringValue: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
