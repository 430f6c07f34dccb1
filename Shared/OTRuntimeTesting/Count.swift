import OTContract

/// The input: count one for the message key.
public struct Count: EventPayload {
    public static let eventType = "no.ot.test.count"
    public static let topic = CountingHandler.input
    /// Optional failure to simulate: `permanent` or `transient`.
    public var fail: String?
    /// Creates an input payload.
    public init(fail: String? = nil) { self.fail = fail }
}

extension Count: DirectJSONDecodable, DirectJSONEncodable {
    /// The payload read from its JSON object's members, without a `Decoder`, as the services' payloads are read.
    public init?(fields: JSONObjectFields) {
        guard let fail = fields.optionalString("fail") else { return nil }
        self.fail = fail
    }

    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        object.optionalString("fail", fail)
    }
}
