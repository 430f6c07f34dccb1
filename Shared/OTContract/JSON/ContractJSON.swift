import Foundation

/// JSON for the contract's values outside an envelope, such as what a service keeps of them in its store: keys in
/// UTF-8 byte order, slashes unescaped, the same bytes for the same value, exactly as a CloudEvent's `data` is
/// written.
///
/// The light ``SortedJSONEncoder`` and ``TreeJSONDecoder`` do the work; Foundation's encoder and decoder take
/// whatever they leave, and give every error.
public enum ContractJSON {
    /// The encoder for what ``SortedJSONEncoder`` leaves, made once: its configuration never changes after this, and
    /// `encode` may run on several threads at once.
    private static let foundationEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// `value` as JSON.
    ///
    /// Inlinable, so that it is specialized where it is called: for a type known there, whether it writes itself
    /// (``DirectJSONEncodable``) is answered by the compiler, not by a conformance lookup at run time.
    /// - Throws: What the value's `encode(to:)` throws, or Foundation's `EncodingError` (a non-finite number).
    @inlinable
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let direct = T.self as? any DirectJSONEncodable.Type {
            return SortedJSONEncoder.bytes(of: value, as: direct)
        }
        return try encodeCoding(value)
    }

    /// `value` as JSON through its `encode(to:)`: ``SortedJSONEncoder``'s, or Foundation's for what it leaves.
    @usableFromInline
    static func encodeCoding<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let bytes = try SortedJSONEncoder.encodeCoding(value) { return bytes }
        return Array(try foundationEncoder.encode(value))
    }

    /// The value of type `T` in `bytes`.
    /// - Throws: Foundation's `DecodingError`, with the path of what is missing or wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if let value = TreeJSONDecoder.decode(T.self, from: bytes) { return value }
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
