import OTContract

/// The output: the key's count after an input.
public struct Counted: EventPayload {
    public static let eventType = "no.ot.test.counted"
    public static let topic = CountingHandler.output
    /// The key counted.
    public var key: String
    /// Its count after this input.
    public var count: Int
    /// The id of the input event.
    public var inputID: String

    /// Creates an output payload.
    public init(key: String, count: Int, inputID: String) {
        self.key = key
        self.count = count
        self.inputID = inputID
    }
}

extension Counted: DirectJSONDecodable, DirectJSONEncodable {
    /// The payload read from its JSON object's members, without a `Decoder`, as the services' payloads are read.
    public init?(fields: JSONObjectFields) {
        guard let key = fields.string("key"), let count = fields.int("count"), let inputID = fields.string("inputID")
        else { return nil }
        self.key = key
        self.count = count
        self.inputID = inputID
    }

    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        object.string("key", key)
        object.integer("count", count)
        object.string("inputID", inputID)
    }
}
