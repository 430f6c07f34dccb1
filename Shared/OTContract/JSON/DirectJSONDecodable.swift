/// A payload that reads its own fields from a JSON object (``JSONObjectFields``), without a `Decoder`: for the
/// payloads decoded on every event of a busy topic. It gives the value its `Codable` conformance would give, or
/// `nil`, and then the decoders behind it decide.
public protocol DirectJSONDecodable {
    /// The payload read from `fields`, or `nil` where the `Decodable` conformance must decide.
    init?(fields: JSONObjectFields)
}
