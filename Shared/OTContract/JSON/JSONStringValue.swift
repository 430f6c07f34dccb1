/// A contract value written on the wire as one JSON string: a code, a date, an instant, a national ID, a statistics
/// key.
///
/// Its `Codable` conformance is the one below, made of ``jsonString`` and ``init(jsonString:)``, for every such type.
/// ``SortedJSONEncoder`` and ``TreeJSONDecoder`` call the two directly, without an `Encoder` or `Decoder`, a
/// single-value container and a coding path each (perf: most of the cost of reading a registration's payload, a
/// dozen such fields). `JSONStringValueTests` checks each conforming type against Foundation's coders (every code of
/// every code list through `CodeListTests`).
public protocol JSONStringValue: Codable {
    /// The string the value is written as.
    var jsonString: String { get }
    /// The value of `jsonString`.
    /// - Throws: The ``ContractError`` of a string that is not such a value; the decoders then leave the value to
    ///   Foundation's, which reports it with its coding path.
    init(jsonString: String) throws(ContractError)
}

extension JSONStringValue {
    /// Decodes the string and reads the value from it (``init(jsonString:)``).
    /// - Throws: `DecodingError.dataCorrupted` at the value's coding path, with the ``ContractError``'s description,
    ///   for a string that is no such value.
    public init(from decoder: any Decoder) throws { self = try Self(jsonStringFrom: decoder) }

    /// Encodes ``jsonString``.
    public func encode(to encoder: any Encoder) throws { try encodeJSONString(to: encoder) }

    /// ``init(from:)``'s work, for an enum to name as its own: Swift gives an enum its synthesized coding (or
    /// `RawRepresentable`'s) rather than a protocol's default.
    public init(jsonStringFrom decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(jsonString: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// ``encode(to:)``'s work, for an enum to name as its own.
    public func encodeJSONString(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jsonString)
    }
}
