/// A code list (kodeverk): a closed set of string codes, written as the code on the wire. Every code list is an enum
/// without payloads (`CodeListTests` checks each), which its hashing relies on.
///
/// Decoding a code that is not in the list is an error (``ContractError/unknownCode(kind:value:)``, inside a payload
/// ``ContractError/invalidField(_:reason:)`` naming the field), never a silent default.
public protocol CodeList: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable,
    CustomStringConvertible, JSONStringValue
{
    /// What the codes are, for error messages: "OT status code", "county number".
    static var codeListName: String { get }
}

extension CodeList {
    /// Looks a code up.
    ///
    /// Inlinable, so that a service reading codes from its store calls it for the concrete type: called generically
    /// from another module, every call had the runtime look up the metadata of `Optional<Self>` (1.1 % of
    /// `ot-statistics`' samples).
    /// - Throws: ``ContractError/unknownCode(kind:value:)`` for a code not in the list.
    @inlinable
    public init(code: String) throws(ContractError) {
        guard let value = Self(rawValue: code) else { throw .unknownCode(kind: Self.codeListName, value: code) }
        self = value
    }

    /// The code.
    public var description: String { rawValue }

    /// The code.
    public var jsonString: String { rawValue }

    /// Looks the code up, as ``init(code:)``.
    public init(jsonString: String) throws(ContractError) { try self.init(code: jsonString) }

    /// Decodes the code and checks it is in the list (``JSONStringValue``'s coding).
    public init(from decoder: any Decoder) throws { try self.init(jsonStringFrom: decoder) }

    /// Encodes the code.
    public func encode(to encoder: any Encoder) throws { try encodeJSONString(to: encoder) }

    /// Hashes the case: an enum with raw values otherwise takes `RawRepresentable`'s hashing, which makes the code's
    /// string and hashes its bytes (about 300 instructions a value against 200; the statistics service keys its
    /// counts by several codes at once). An enum without payloads is its case's number in at most a byte, the same
    /// for equal values.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: self) { hasher.combine(bytes: $0) }
    }
}
