/// Describes a `Decodable` type as a JSON Schema by running its own `init(from:)` against a decoder that records
/// every field it asks for: a field decoded with `decode` is required, one decoded with `decodeIfPresent` (an
/// optional property) may be absent or `null`, exactly as Foundation's `JSONDecoder` takes them. The schema
/// therefore follows the payload types as they are, and cannot drift from them.
///
/// Values with a format of their own (``SchemaLeaf``: national IDs, dates, timestamps…) and code lists
/// (``CodeList``) are described by their type without decoding; arrays, string-keyed dictionaries and optionals by
/// their element. A type whose decoding takes another path (an unkeyed or single-value container of its own, a
/// nested container) is refused with an error naming its field, so that the generator is extended on purpose.
struct SchemaDecoder: Decoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let record: ObjectRecord

    private init(codingPath: [any CodingKey], record: ObjectRecord) {
        self.codingPath = codingPath
        self.record = record
    }

    /// The JSON Schema of `type`, and a value of it to hand on to the type that holds it.
    /// - Throws: ``ContractDocumentError`` naming the field whose type cannot be described.
    static func describe<T: Decodable>(
        _ type: T.Type, codingPath: [any CodingKey] = []
    ) throws -> (schema: DocumentNode, value: T) {
        if let leaf = T.self as? any SchemaLeaf.Type {
            return (leaf.jsonSchema, try cast(leaf.placeholder(), codingPath))
        }
        if let codes = T.self as? any CodeList.Type {
            return (codeSchema(codes), try cast(firstCode(of: codes), codingPath))
        }
        if let optional = T.self as? any OptionalMarker.Type {
            let wrapped = try describe(optional.wrappedType, codingPath: codingPath)
            return (nullable(wrapped.schema), try cast(optional.absent, codingPath))
        }
        if let array = T.self as? any ArrayMarker.Type {
            let element = try describe(array.elementType, codingPath: codingPath)
            return (.object(["type": "array", "items": element.schema]), try cast(array.empty, codingPath))
        }
        if let dictionary = T.self as? any DictionaryMarker.Type {
            let value = try describe(dictionary.valueType, codingPath: codingPath)
            return (
                .object(["type": "object", "additionalProperties": value.schema]),
                try cast(dictionary.empty, codingPath)
            )
        }
        let record = ObjectRecord()
        let value = try T(from: SchemaDecoder(codingPath: codingPath, record: record))
        guard record.isKeyed else { throw unsupported("\(T.self) decodes no object", codingPath) }
        return (record.schema, value)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard !record.isKeyed else { throw Self.unsupported("a second keyed container", codingPath) }
        record.isKeyed = true
        return KeyedDecodingContainer(KeyedContainer<Key>(codingPath: codingPath, record: record))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw Self.unsupported("an unkeyed container of its own", codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw Self.unsupported("a single value of its own (make it a SchemaLeaf)", codingPath)
    }

    /// A code list's schema: a string, one of its codes.
    private static func codeSchema<Codes: CodeList>(_ codes: Codes.Type) -> DocumentNode {
        .object([
            "type": "string", "enum": .array(Codes.allCases.map { .string($0.rawValue) }),
            "description": .string("A code of the code list \"\(Codes.codeListName)\"."),
        ])
    }

    private static func firstCode<Codes: CodeList>(of codes: Codes.Type) throws -> Codes {
        guard let first = Codes.allCases.first else { throw unsupported("\(Codes.self) has no codes", []) }
        return first
    }

    /// `schema` admitting `null` as well: what `decodeIfPresent` accepts besides an absent field.
    static func nullable(_ schema: DocumentNode) -> DocumentNode {
        var result = schema
        switch schema["type"] {
        case .string(let type)?: result = result.setting("type", to: .array([.string(type), "null"]))
        case .array(let types)? where !types.contains(.null):
            result = result.setting("type", to: .array(types + ["null"]))
        default: break
        }
        if case .array(let codes)? = schema["enum"], !codes.contains(.null) {
            result = result.setting("enum", to: .array(codes + [.null]))
        }
        return result
    }

    private static func cast<T>(_ value: Any, _ codingPath: [any CodingKey]) throws -> T {
        guard let value = value as? T else { throw unsupported("no value of \(T.self)", codingPath) }
        return value
    }

    static func unsupported(_ what: String, _ codingPath: [any CodingKey]) -> ContractDocumentError {
        let path = (["data"] + codingPath.map(\.stringValue)).joined(separator: ".")
        return ContractDocumentError("cannot describe \(path) as a JSON Schema: \(what)")
    }
}

/// The fields one object's decoding asked for.
private final class ObjectRecord {
    var isKeyed = false
    var properties: [DocumentNode.Member] = []
    var required: [String] = []

    var schema: DocumentNode {
        var schema: DocumentNode = .object(["type": "object", "properties": .object(properties)])
        if !required.isEmpty { schema = schema.setting("required", to: .array(required.map { .string($0) })) }
        return schema
    }
}

/// The keyed container of ``SchemaDecoder``: every field asked for is recorded with its schema.
private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    let record: ObjectRecord

    var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try field(type, key, required: true)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try field(type, key, required: false)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(type, key, required: true) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try field(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(type, key, required: true) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(type, key, required: true) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(type, key, required: true) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(type, key, required: true) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(type, key, required: true) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(type, key, required: true) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(type, key, required: true) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(type, key, required: true) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(type, key, required: true) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try field(type, key, required: false) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try field(type, key, required: false) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try field(type, key, required: false) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try field(type, key, required: false) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try field(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try field(type, key, required: false)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaDecoder.unsupported("a nested container", codingPath + [key])
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaDecoder.unsupported("a nested unkeyed container", codingPath + [key])
    }

    func superDecoder() throws -> any Decoder { throw SchemaDecoder.unsupported("a super decoder", codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw SchemaDecoder.unsupported("a super decoder", codingPath + [key])
    }

    /// Records the field `key` with the schema of `type` (admitting `null` unless it is required) and hands back a
    /// value of it.
    private func field<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        guard !record.properties.contains(where: { $0.name == key.stringValue }) else {
            throw SchemaDecoder.unsupported("the field is decoded twice", codingPath + [key])
        }
        let described = try SchemaDecoder.describe(type, codingPath: codingPath + [key])
        record.properties.append(
            DocumentNode.Member(
                name: key.stringValue, value: required ? described.schema : SchemaDecoder.nullable(described.schema)))
        if required { record.required.append(key.stringValue) }
        return described.value
    }
}

/// `Optional`, seen through an existential: its wrapped type and its `nil`.
private protocol OptionalMarker {
    static var wrappedType: any Decodable.Type { get }
    static var absent: Self { get }
}

extension Optional: OptionalMarker where Wrapped: Decodable {
    fileprivate static var wrappedType: any Decodable.Type { Wrapped.self }
    fileprivate static var absent: Self { nil }
}

/// `Array`, seen through an existential: its element type and an empty array.
private protocol ArrayMarker {
    static var elementType: any Decodable.Type { get }
    static var empty: Self { get }
}

extension Array: ArrayMarker where Element: Decodable {
    fileprivate static var elementType: any Decodable.Type { Element.self }
    fileprivate static var empty: Self { [] }
}

/// A dictionary keyed by strings (a JSON object of any members), seen through an existential.
private protocol DictionaryMarker {
    static var valueType: any Decodable.Type { get }
    static var empty: Self { get }
}

extension Dictionary: DictionaryMarker where Key == String, Value: Decodable {
    fileprivate static var valueType: any Decodable.Type { Value.self }
    fileprivate static var empty: Self { [:] }
}
