/// A contract value written on the wire as one JSON string: a code, a date, an instant, a national ID, a statistics
/// key.
///
/// ``SortedJSONEncoder`` writes it and ``TreeJSONDecoder`` reads it straight from and to its string, without an
/// `Encoder` or `Decoder`, a single-value container and a coding path each (perf: most of the cost of reading a
/// registration's payload, a dozen such fields). The value's `Codable` conformance must write ``jsonString`` and
/// read what ``init(jsonString:)`` reads; `JSONStringValueTests` checks each conforming type against it (every code
/// of every code list through `CodeListTests`).
public protocol JSONStringValue {
    /// The string the value is written as.
    var jsonString: String { get }
    /// The value of `jsonString`.
    /// - Throws: The ``ContractError`` of a string that is not such a value; the decoders then leave the value to
    ///   Foundation's, which reports it with its coding path.
    init(jsonString: String) throws(ContractError)
}
