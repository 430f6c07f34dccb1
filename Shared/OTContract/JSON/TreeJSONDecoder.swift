import Foundation

/// Decodes a `Decodable` payload from JSON at a fraction of Foundation's `JSONDecoder`'s cost, or gives up and
/// returns `nil`, and then the caller decodes with Foundation's.
///
/// It is used only where it agrees with Foundation: it parses the whole document first (strict RFC 8259, as
/// ``JSONReader`` reads it), and the value is kept only when none of this decoder's containers threw, not even an
/// error that the value's own `init(from:)` caught (an error a type throws itself is the same under both decoders).
/// Every failure, and every input or type it leaves to Foundation (a `Float`, a number out of a `Double`'s range, an
/// integer written with a fraction or an exponent, `Date`, `Data`, `URL`, `Decimal`, `superDecoder`), ends in `nil`,
/// so that errors are always Foundation's, with their coding paths. Of a name given twice in an object the first
/// counts, as in Foundation. `TreeJSONDecoderTests` compares the two. A payload that reads its own members
/// (``DirectJSONDecodable``) does so in place, before any tree is built, and the tree and its containers take over
/// where it gives up (`DirectJSONDecodableTests`).
struct TreeJSONDecoder {
    /// The value of type `T` in `bytes`, or `nil` when Foundation's decoder must decide. `members`, when given, are
    /// the members of the object `bytes` hold, as ``JSONReader/parseMembersDocument()`` finds them.
    static func decode<T: Decodable>(
        _ type: T.Type, from bytes: [UInt8], members: JSONReader.ObjectMembers? = nil
    ) -> T? {
        // The busiest payloads read their members themselves, in place, without a tree or the containers below; where
        // one gives up, the tree and the containers decide.
        if let direct = T.self as? any DirectJSONDecodable.Type,
            let value = Self.direct(direct, as: T.self, from: bytes, members: members)
        {
            return value
        }
        return decodeCoding(T.self, from: bytes)
    }

    /// The value of type `T` in `bytes` through its `init(from:)` and this decoder's containers, or `nil` when
    /// Foundation's decoder must decide: ``decode(_:from:members:)`` without the payload's own reading.
    static func decodeCoding<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        let tree: JSONReader.Tree
        do {
            tree = try JSONReader.withReader(bytes) { (reader) throws(ContractError) in try reader.parseTreeDocument() }
        } catch {
            return nil
        }
        let session = Session()
        guard let value = try? session.value(T.self, from: tree, codingPath: []), !session.failed else { return nil }
        return value
    }

    /// The payload of type `D`, which is `T`, read by itself (``DirectJSONDecodable``); `nil` where it gives up.
    private static func direct<D: DirectJSONDecodable, T>(
        _ type: D.Type, as: T.Type, from bytes: [UInt8], members: JSONReader.ObjectMembers?
    ) -> T? {
        // `D` is `T` opened: no cast at run time.
        JSONObjectFields.reading(bytes, members: members, D.init(fields:)).map { reinterpret($0, as: T.self) }
    }

    /// One decoding: whether any error was thrown in it.
    final class Session {
        private(set) var failed = false

        /// Marks the decoding failed and returns the error to throw.
        func fail() -> Failure {
            failed = true
            return Failure()
        }

        struct Failure: Error {}

        /// Types are told apart by comparing metatypes, which costs a pointer comparison; a cast asks the runtime,
        /// which costs far more when it fails, as it does for every struct of the contract.
        ///
        /// A member's or element's `key` comes apart from its container's `codingPath`: the path is put together only
        /// for a value that decodes itself, not for every string and number.
        func value<T: Decodable>(
            _ type: T.Type, from tree: JSONReader.Tree, codingPath: [any CodingKey],
            appending key: (any CodingKey)? = nil
        ) throws -> T {
            if T.self == String.self {
                guard case .string(let text) = tree else { throw fail() }
                return reinterpret(text, as: T.self)
            }
            if T.self == Bool.self {
                guard case .bool(let flag) = tree else { throw fail() }
                return reinterpret(flag, as: T.self)
            }
            if Self.isInteger(T.self) { return try integer(T.self, from: tree) }
            if T.self == Double.self { return reinterpret(try double(from: tree), as: T.self) }
            if T.self == Float.self || T.self == Date.self || T.self == Data.self || T.self == URL.self
                || T.self == Decimal.self
            {
                throw fail()
            }
            if ObjectIdentifier(T.self) == Self.countsType { return reinterpret(try counts(from: tree), as: T.self) }
            // Asked only of a string, not of every object and array: a type written as a string (a date, a code)
            // is refused as anything else by its own `init(from:)` too.
            if case .string(let text) = tree, let stringValue = JSONStringValueTypes.stringValue(T.self) {
                return try value(stringValue, from: text, as: T.self)
            }
            let path = key.map { codingPath + [$0] } ?? codingPath
            return try T(from: TreeDecoder(tree: tree, codingPath: path, session: self))
        }

        /// `[String: Int]`, named once: the metatype of a generic type written in the comparison is looked up in
        /// the runtime's tables on every call (1 % of `ot-registrations`' samples).
        private static let countsType = ObjectIdentifier([String: Int].self)

        /// A value written as one string, read without a `Decoder` (``JSONStringValue``).
        private func value<S: JSONStringValue, T>(_ type: S.Type, from text: String, as: T.Type) throws -> T {
            do {
                return reinterpret(try S(jsonString: text), as: T.self)
            } catch {
                throw fail()
            }
        }

        /// A `[String: Int]` (the statistics' cells) read straight from its object, as `Dictionary`'s own
        /// `init(from:)` reads it through a keyed container (every name once, the first of a name given twice), without
        /// a coding key and a container call per member.
        private func counts(from tree: JSONReader.Tree) throws -> [String: Int] {
            guard case .object(let members, _) = tree else { throw fail() }
            var counts: [String: Int] = [:]
            counts.reserveCapacity(members.count)
            for member in members where counts[member.name] == nil {
                guard case .number(let text) = member.value, let value = Int(text, radix: 10) else { throw fail() }
                counts[member.name] = value
            }
            return counts
        }

        /// A number as Foundation reads it: correctly rounded, as `Double(_:)` is. Foundation refuses one too large
        /// for a `Double` and one that is not zero but rounds to it; this gives up on those, and on any zero written
        /// with an exponent.
        private func double(from tree: JSONReader.Tree) throws -> Double {
            guard case .number(let text) = tree, let value = Double(text), value.isFinite else { throw fail() }
            // Foundation reads a zero with an exponent its own way (`0e5` is refused, `0e-5` is not): it decides.
            if value == 0 {
                guard
                    text.utf8.allSatisfy({
                        $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                    })
                else { throw fail() }
            }
            return value
        }

        /// Whether `T` is one of the standard library's fixed-width integer types. Asked before ``integer(_:from:)``
        /// rather than by an optional result: a `T?` needs `Optional<T>`'s metadata, which the runtime looked up in its
        /// tables for every value decoded (1 % of `ot-registrations`' samples).
        private static func isInteger<T>(_ type: T.Type) -> Bool {
            T.self == Int.self || T.self == Int64.self || T.self == Int32.self || T.self == Int16.self
                || T.self == Int8.self || T.self == UInt.self || T.self == UInt64.self || T.self == UInt32.self
                || T.self == UInt16.self || T.self == UInt8.self
        }

        /// A fixed-width integer written as digits alone; `T` is one (``isInteger(_:)``).
        private func integer<T>(_ type: T.Type, from tree: JSONReader.Tree) throws -> T {
            func digits<I: FixedWidthInteger>(_ type: I.Type) throws -> T {
                guard case .number(let text) = tree, let value = I(text, radix: 10) else { throw fail() }
                return reinterpret(value, as: T.self)
            }
            if T.self == Int.self { return try digits(Int.self) }
            if T.self == Int64.self { return try digits(Int64.self) }
            if T.self == Int32.self { return try digits(Int32.self) }
            if T.self == Int16.self { return try digits(Int16.self) }
            if T.self == Int8.self { return try digits(Int8.self) }
            if T.self == UInt.self { return try digits(UInt.self) }
            if T.self == UInt64.self { return try digits(UInt64.self) }
            if T.self == UInt32.self { return try digits(UInt32.self) }
            if T.self == UInt16.self { return try digits(UInt16.self) }
            return try digits(UInt8.self)  // `reinterpret` checks that `T` is `UInt8`
        }
    }
}

/// The `Decoder` a value decodes itself from: one node of the parsed tree.
private struct TreeDecoder: Decoder {
    let tree: JSONReader.Tree
    let codingPath: [any CodingKey]
    let session: TreeJSONDecoder.Session
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members, let asciiNames) = tree else { throw session.fail() }
        return KeyedDecodingContainer(
            KeyedTreeContainer<Key>(
                members: members, asciiNames: asciiNames, codingPath: codingPath, session: session))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = tree else { throw session.fail() }
        return UnkeyedTreeContainer(elements: elements, codingPath: codingPath, session: session)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueTreeContainer(tree: tree, codingPath: codingPath, session: session)
    }
}

/// A class, so that `KeyedDecodingContainer`'s box copies one reference per call, not three.
private final class KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(name: String, value: JSONReader.Tree)]
    /// Whether every member's name was written as plain ASCII (`JSONReader.Tree.object`).
    let asciiNames: Bool
    let codingPath: [any CodingKey]
    let session: TreeJSONDecoder.Session

    init(
        members: [(name: String, value: JSONReader.Tree)], asciiNames: Bool, codingPath: [any CodingKey],
        session: TreeJSONDecoder.Session
    ) {
        self.members = members
        self.asciiNames = asciiNames
        self.codingPath = codingPath
        self.session = session
    }

    var allKeys: [Key] {
        var seen: Set<String> = []
        return members.compactMap { member in seen.insert(member.name).inserted ? Key(stringValue: member.name) : nil }
    }

    func contains(_ key: Key) -> Bool { members.contains { $0.name == key.stringValue } }

    /// The first member named `key`, as Foundation takes it (by Swift's `String` equality).
    ///
    /// Where every name is plain ASCII, names equal to each other have the same bytes, so the first one equal to the
    /// key is found among those of the key's UTF-8 length, which a `String` knows without reading its bytes. Only a
    /// key found there by no name is looked for again among all: a key that is not ASCII can equal a name of another
    /// length.
    private func tree(_ key: Key) throws -> JSONReader.Tree {
        let name = key.stringValue
        if asciiNames {
            let length = name.utf8.count
            if let member = members.first(where: { $0.name.utf8.count == length && $0.name == name }) {
                return member.value
            }
        }
        guard let member = members.first(where: { $0.name == name }) else { throw session.fail() }
        return member.value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try tree(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try session.value(T.self, from: try tree(key), codingPath: codingPath, appending: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(tree: try tree(key), codingPath: codingPath + [key], session: session).container(
            keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(tree: try tree(key), codingPath: codingPath + [key], session: session).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { throw session.fail() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw session.fail() }
}

private struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let elements: [JSONReader.Tree]
    let codingPath: [any CodingKey]
    let session: TreeJSONDecoder.Session
    private(set) var currentIndex = 0

    init(elements: [JSONReader.Tree], codingPath: [any CodingKey], session: TreeJSONDecoder.Session) {
        self.elements = elements
        self.codingPath = codingPath
        self.session = session
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The key of the element at `currentIndex`, as Foundation names it.
    private var indexKey: JSONIndexKey { JSONIndexKey(intValue: currentIndex) }

    private mutating func next() throws -> JSONReader.Tree {
        guard !isAtEnd else { throw session.fail() }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw session.fail() }
        guard case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let key = indexKey
        return try session.value(T.self, from: try next(), codingPath: codingPath, appending: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let path = codingPath + [indexKey]
        return try TreeDecoder(tree: try next(), codingPath: path, session: session).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = codingPath + [indexKey]
        return try TreeDecoder(tree: try next(), codingPath: path, session: session).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw session.fail() }
}

private struct SingleValueTreeContainer: SingleValueDecodingContainer {
    let tree: JSONReader.Tree
    let codingPath: [any CodingKey]
    let session: TreeJSONDecoder.Session

    func decodeNil() -> Bool {
        if case .null = tree { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try session.value(T.self, from: tree, codingPath: codingPath)
    }
}
