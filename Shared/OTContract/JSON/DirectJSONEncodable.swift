/// A payload that writes its own members (``JSONObjectWriter``), without an `Encoder`: for the payloads written on
/// every event of a busy topic. It writes the bytes its `Encodable` conformance would give through
/// ``SortedJSONEncoder`` (`DirectJSONEncodableTests` compares them, and Foundation's).
public protocol DirectJSONEncodable {
    /// Adds the payload's members to `object`.
    func write(to object: inout JSONObjectWriter)
}
