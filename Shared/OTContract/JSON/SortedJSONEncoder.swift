import Foundation

/// Encodes an `Encodable` payload as compact JSON with every object's keys in UTF-8 byte order: the bytes
/// Foundation's `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`, at a fraction of its cost (it
/// builds a tree of class instances with a coding path at every step, and sorts keys as strings).
///
/// Every contract payload is made of objects, arrays, strings, integers, `Double`s, booleans and nulls. For anything
/// else (`Float`, a non-finite `Double`; `Date`, `Data`, `URL` and `Decimal`, which Foundation encodes specially;
/// `superEncoder`) ``encode(_:)`` returns `nil` and the caller uses Foundation's encoder, so the two always agree
/// (`SortedJSONEncoderTests` compares them on every payload type and on random numbers). A payload that writes its
/// own members (``DirectJSONEncodable``) does so without the containers.
@usableFromInline
struct SortedJSONEncoder {
    /// The JSON of `value`, or `nil` when it holds a value this encoder leaves to Foundation's.
    /// - Throws: What the value's `encode(to:)` throws.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8]? {
        // The busiest payloads write their members themselves, without the containers below. Asked of the type, not
        // the value: a payload cast to an existential is copied into a box of its own.
        if let direct = T.self as? any DirectJSONEncodable.Type { return bytes(of: value, as: direct) }
        return try encodeCoding(value)
    }

    /// The JSON of `value` through its `encode(to:)`, or `nil` when it holds a value this encoder leaves to
    /// Foundation's: ``encode(_:)`` without the payload's own writing.
    /// - Throws: What the value's `encode(to:)` throws.
    static func encodeCoding<T: Encodable>(_ value: T) throws -> [UInt8]? {
        do {
            let node = try Node.encoding(value, codingPath: [])
            var writer = JSONWriter(capacity: 256)
            node.write(to: &writer)
            return writer.bytes
        } catch is Unsupported {
            return nil
        }
    }

    /// The JSON of `value`, a `D` (``DirectJSONEncodable``), as it writes itself.
    @usableFromInline
    static func bytes<D: DirectJSONEncodable>(of value: some Encodable, as type: D.Type) -> [UInt8] {
        var object = JSONObjectWriter()
        reinterpret(value, as: D.self).write(to: &object)
        return object.bytes()
    }

    /// Thrown inside the encoder for a value it leaves to Foundation's encoder.
    struct Unsupported: Error {}
}

/// One encoded value; objects and arrays are boxes, so that the containers a value's `encode(to:)` holds write
/// into the tree.
private enum Node {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case string(String)
    case object(ObjectBox)
    case array(ArrayBox)

    /// The node of `value`: scalars directly, anything else through its `encode(to:)`.
    ///
    /// Types are told apart by comparing metatypes, which costs a pointer comparison; a cast (`as? String`) asks the
    /// runtime, which costs far more when it fails, as it does for every struct of the contract.
    ///
    /// A member's `key` comes apart from its container's `codingPath`: the path is put together only for a value
    /// that encodes itself, not for every string and number.
    static func encoding<T: Encodable>(
        _ value: T, codingPath: [any CodingKey], appending key: (any CodingKey)? = nil
    ) throws -> Node {
        if T.self == String.self { return .string(reinterpret(value, as: String.self)) }
        if T.self == Int.self { return .integer(Int64(reinterpret(value, as: Int.self))) }
        if T.self == Bool.self { return .bool(reinterpret(value, as: Bool.self)) }
        if let integer = integerNode(value) { return integer }
        if T.self == Double.self {
            // Foundation refuses a non-finite number (with its own error).
            let number = reinterpret(value, as: Double.self)
            guard number.isFinite else { throw SortedJSONEncoder.Unsupported() }
            return .double(number)
        }
        if T.self == Float.self || T.self == Date.self || T.self == Data.self || T.self == URL.self
            || T.self == Decimal.self
        {
            throw SortedJSONEncoder.Unsupported()
        }
        if ObjectIdentifier(T.self) == countsType {
            let box = ObjectBox()
            box.members = reinterpret(value, as: [String: Int].self).map { ($0.key, .integer(Int64($0.value))) }
            return .object(box)
        }
        if ObjectIdentifier(T.self) == optionalCountsType {
            let box = ObjectBox()
            box.members = reinterpret(value, as: [String: Int?].self).map {
                ($0.key, $0.value.map { .integer(Int64($0)) } ?? .null)
            }
            return .object(box)
        }
        // Asked once per value of any other type, answered from a table kept per type.
        if let stringValue = JSONStringValueTypes.stringValue(T.self) {
            return .string(jsonString(of: value, stringValue))
        }
        let encoder = TreeEncoder(codingPath: key.map { codingPath + [$0] } ?? codingPath)
        try value.encode(to: encoder)
        // A value that encodes nothing is an empty object, as Foundation writes it.
        return encoder.node ?? .object(ObjectBox())
    }

    /// `[String: Int]` and `[String: Int?]`, named once: the metatype of a generic type written in the comparison
    /// is looked up in the runtime's tables on every call.
    private static let countsType = ObjectIdentifier([String: Int].self)
    private static let optionalCountsType = ObjectIdentifier([String: Int?].self)

    /// The string of a value written as one (``JSONStringValue``), without an `Encoder`.
    private static func jsonString<T, S: JSONStringValue>(of value: T, _ type: S.Type) -> String {
        reinterpret(value, as: S.self).jsonString
    }

    /// The node of a fixed-width integer other than `Int`, or `nil` for any other value.
    private static func integerNode<T>(_ value: T) -> Node? {
        if T.self == Int64.self { return .integer(reinterpret(value, as: Int64.self)) }
        if T.self == Int32.self { return .integer(Int64(reinterpret(value, as: Int32.self))) }
        if T.self == Int16.self { return .integer(Int64(reinterpret(value, as: Int16.self))) }
        if T.self == Int8.self { return .integer(Int64(reinterpret(value, as: Int8.self))) }
        if T.self == UInt.self { return .unsigned(UInt64(reinterpret(value, as: UInt.self))) }
        if T.self == UInt64.self { return .unsigned(reinterpret(value, as: UInt64.self)) }
        if T.self == UInt32.self { return .unsigned(UInt64(reinterpret(value, as: UInt32.self))) }
        if T.self == UInt16.self { return .unsigned(UInt64(reinterpret(value, as: UInt16.self))) }
        if T.self == UInt8.self { return .unsigned(UInt64(reinterpret(value, as: UInt8.self))) }
        return nil
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.raw("null")
        case .bool(let value): value ? writer.raw("true") : writer.raw("false")
        case .integer(let value): writer.writeInteger(value)
        case .unsigned(let value): writer.writeDigits(value)
        case .double(let value):
            // Foundation's text: the shortest that reads back the same (Swift's `description`), without a
            // trailing `.0` (`2` for 2.0, `1e+21`, `0.1`); checked against it on 600,000 numbers.
            let text = value.description
            text.hasSuffix(".0") ? writer.raw(text.utf8.dropLast(2)) : writer.raw(text.utf8)
        case .string(let value): writer.writeString(value)
        case .object(let box):
            writer.raw("{")
            box.writeMembers(to: &writer)
            writer.raw("}")
        case .array(let box):
            writer.raw("[")
            for (offset, element) in box.elements.enumerated() {
                if offset > 0 { writer.raw(",") }
                element.write(to: &writer)
            }
            writer.raw("]")
        }
    }
}

/// `value` as the type it is known to be (its metatype compared equal to `type`'s), without a runtime cast.
@inlinable
func reinterpret<T, U>(_ value: T, as type: U.Type) -> U {
    precondition(T.self == U.self)
    return unsafeBitCast(value, to: U.self)
}

private final class ObjectBox {
    var members: [(key: String, node: Node)] = []

    /// Writes the members by key in UTF-8 byte order, each as `"key":value` after a comma when members came
    /// before; of a key encoded twice, the last.
    ///
    /// The order is found on the keys' first eight bytes as one integer each, in a buffer on the stack; only keys
    /// that share those bytes are compared further.
    func writeMembers(to writer: inout JSONWriter) {
        let members = members
        withUnsafeTemporaryAllocation(of: SortKey.self, capacity: members.count) { buffer in
            var order = buffer
            for index in members.indices {
                order.initializeElement(
                    at: index, to: SortKey(prefix: Self.prefix(of: members[index].key), index: index))
            }
            // The index breaks ties: of equal keys, the one encoded last comes last.
            order.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let (left, right) = (members[a.index].key, members[b.index].key)
                return left == right ? a.index < b.index : JSONBytes.precedes(left, right)
            }
            var first = true
            for position in order.indices {
                let member = members[order[position].index]
                if position + 1 < order.count, order[position + 1].prefix == order[position].prefix,
                    members[order[position + 1].index].key == member.key
                {
                    continue
                }
                writer.member(member.key, first: &first)
                member.node.write(to: &writer)
            }
            order.deinitialize()
        }
    }

    /// A member's place in the sort: its key's first bytes, and where it was encoded.
    private struct SortKey {
        var prefix: UInt64
        var index: Int
    }

    /// The first eight bytes of `key`'s UTF-8, the first the most significant, zeros after a shorter key: in the
    /// keys' byte order wherever they differ in those bytes.
    private static func prefix(of key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { bytes in
            var prefix: UInt64 = 0
            for offset in 0..<8 {
                prefix = prefix << 8 | (offset < bytes.count ? UInt64(bytes[offset]) : 0)
            }
            return prefix
        }
    }
}

private final class ArrayBox {
    var elements: [Node] = []
}

/// The `Encoder` a value encodes itself into: it keeps the one container (or single value) the value asks for.
private final class TreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = node {
            box = existing
        } else {
            box = ObjectBox()
            // Room for a payload's members (the largest have about fifteen), instead of growing five times.
            box.members.reserveCapacity(16)
            node = .object(box)
        }
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = node {
            box = existing
        } else {
            box = ArrayBox()
            node = .array(box)
        }
        return UnkeyedTreeContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueTreeContainer(encoder: self) }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.members.append((key.stringValue, .null)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.members.append((key.stringValue, try Node.encoding(value, codingPath: codingPath, appending: key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.members.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.members.append((key.stringValue, .array(nested)))
        return UnkeyedTreeContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { UnsupportedEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { UnsupportedEncoder(codingPath: codingPath) }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    mutating func encodeNil() throws { box.elements.append(.null) }

    /// The key of the next element, as Foundation names it in coding paths.
    private var indexKey: JSONIndexKey { JSONIndexKey(intValue: box.elements.count) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = indexKey
        box.elements.append(try Node.encoding(value, codingPath: codingPath, appending: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ObjectBox()
        let path = codingPath + [indexKey]
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let path = codingPath + [indexKey]
        box.elements.append(.array(nested))
        return UnkeyedTreeContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder { UnsupportedEncoder(codingPath: codingPath) }
}

private struct SingleValueTreeContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try Node.encoding(value, codingPath: codingPath)
    }
}

/// Given for `superEncoder`, which no contract type uses: every container it hands out throws ``Unsupported``, so
/// the value goes to Foundation's encoder.
private struct UnsupportedEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(UnsupportedContainer<Key>(codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedContainer<AnyKey>(codingPath: codingPath) }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        UnsupportedContainer<AnyKey>(codingPath: codingPath)
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

private struct UnsupportedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, UnkeyedEncodingContainer,
    SingleValueEncodingContainer
{
    let codingPath: [any CodingKey]
    var count: Int { 0 }

    func encodeNil(forKey key: Key) throws { throw SortedJSONEncoder.Unsupported() }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw SortedJSONEncoder.Unsupported() }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    { KeyedEncodingContainer(UnsupportedContainer<NestedKey>(codingPath: codingPath)) }
    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { self }
    func superEncoder() -> any Encoder { UnsupportedEncoder(codingPath: codingPath) }
    func superEncoder(forKey key: Key) -> any Encoder { UnsupportedEncoder(codingPath: codingPath) }
    func encodeNil() throws { throw SortedJSONEncoder.Unsupported() }
    func encode<T: Encodable>(_ value: T) throws { throw SortedJSONEncoder.Unsupported() }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedContainer<NestedKey>(codingPath: codingPath))
    }
    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
}
