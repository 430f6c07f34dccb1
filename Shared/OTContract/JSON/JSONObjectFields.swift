/// The members of one JSON object, for a payload that reads its own fields (``DirectJSONDecodable``) rather than
/// through a `Decoder`. The object is read in place (``JSONReader/parseMembersDocument()``): a value's text is built
/// only when the payload asks for it, and a name is never built.
///
/// Every read answers `nil` where ``TreeJSONDecoder`` would give up or a `Decoder` would throw (the member is missing,
/// or of another JSON type, or its text is no such value), and the payload then gives up too: the decoders behind it
/// decide, and give the error. A name is found as Foundation finds it: the first member equal to it as a Swift
/// `String`.
public struct JSONObjectFields {
    /// Reads the members' bytes; valid only inside ``reading(_:_:)``.
    private let reader: JSONReader
    private let object: JSONReader.ObjectMembers

    private init(reader: JSONReader, object: JSONReader.ObjectMembers) {
        self.reader = reader
        self.object = object
    }

    /// What `body` reads from the members of the object `bytes` hold; `nil` when they hold no well-formed document
    /// (strict RFC 8259, as ``JSONReader`` reads it), when its value is not an object, or when `body` gives up.
    /// The fields must not outlive `body`: they read `bytes` in place.
    ///
    /// `members`, when given, are what ``JSONReader/parseMembersDocument()`` finds in `bytes` (as reading an envelope
    /// found them in its `data`): they are not read again.
    static func reading<Value>(
        _ bytes: [UInt8], members: JSONReader.ObjectMembers? = nil, _ body: (JSONObjectFields) -> Value?
    ) -> Value? {
        // The array's buffer, not ``JSONReader/withReader(_:_:)``: that is generic over the collection and returns
        // through a `Result`, which a payload outside this module (not specialized here) paid about 2,800
        // instructions a read for.
        bytes.withUnsafeBufferPointer { buffer -> Value? in
            var reader = JSONReader(buffer)
            let object: JSONReader.ObjectMembers
            // Members that do not fit the bytes (never, unless they were read from other bytes) are read again
            // rather than trusted: their ranges are read without a bounds check.
            if let members, members.end <= buffer.count {
                object = members
            } else {
                guard let parsed = try? reader.parseMembersDocument() else { return nil }
                object = parsed
            }
            return body(JSONObjectFields(reader: reader, object: object))
        }
    }

    private func member(_ name: StaticString) -> JSONReader.MemberValue? {
        for member in object.members {
            switch member.name {
            case .ascii(let range):
                // Plain ASCII names are equal exactly when their bytes are.
                if reader.bytes(in: range, equal: name) { return member.value }
            case .decoded(let index):
                // Compared as a Swift `String`, by Unicode's rules: a Kelvin sign equals a `K`.
                if object.decoded[index] == name.description { return member.value }
            }
        }
        return nil
    }

    /// The text of `token`.
    private func text(_ token: JSONReader.MemberText) -> String {
        switch token {
        case .ascii(let range): String(decoding: reader.bytes(in: range), as: UTF8.self)
        case .decoded(let index): object.decoded[index]
        }
    }

    /// The string member `name`.
    public func string(_ name: StaticString) -> String? {
        guard case .string(let token)? = member(name) else { return nil }
        return text(token)
    }

    /// The member `name`, a value written as one string.
    public func value<T: JSONStringValue>(_ type: T.Type, _ name: StaticString) -> T? {
        guard let text = string(name) else { return nil }
        return try? T(jsonString: text)
    }

    /// The optional member `name`, a value written as one string: `.some(nil)` when it is absent or `null`, as a
    /// synthesized `decodeIfPresent` reads it.
    public func optional<T: JSONStringValue>(_ type: T.Type, _ name: StaticString) -> T?? {
        switch member(name) {
        case nil, .null?: return .some(nil)
        case .string(let token)?: return (try? T(jsonString: text(token))).map { .some($0) }
        default: return nil
        }
    }

    /// The optional string member `name`: `.some(nil)` when it is absent or `null`, as a synthesized
    /// `decodeIfPresent` reads it; `nil` when it is of another JSON type.
    public func optionalString(_ name: StaticString) -> String?? {
        switch member(name) {
        case nil, .null?: return .some(nil)
        case .string(let token)?: return .some(text(token))
        default: return nil
        }
    }

    /// The integer member `name`, written as digits alone (as ``TreeJSONDecoder`` reads an `Int`).
    public func int(_ name: StaticString) -> Int? {
        guard case .number(let range)? = member(name) else { return nil }
        return Int(String(decoding: reader.bytes(in: range), as: UTF8.self), radix: 10)
    }

    /// The Boolean member `name`.
    public func bool(_ name: StaticString) -> Bool? {
        guard case .bool(let flag)? = member(name) else { return nil }
        return flag
    }
}
