/// A payload that writes its own members (``JSONObjectWriter``), without an `Encoder`: for the payloads written on
/// every event of a busy topic. It writes the bytes its `Encodable` conformance would give through
/// ``SortedJSONEncoder`` (`DirectJSONEncodableTests` compares them, and Foundation's).
protocol DirectJSONEncodable {
    func write(to object: inout JSONObjectWriter)
}
