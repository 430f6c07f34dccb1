/// The members of one JSON object, for a payload that reads its own fields (``DirectJSONDecodable``) rather than
/// through a `Decoder`.
///
/// Every read answers `nil` where ``TreeJSONDecoder`` would give up or a `Decoder` would throw (the member is missing,
/// or of another JSON type, or its text is no such value), and the payload then gives up too: the decoders behind it
/// decide, and give the error. A name is found as Foundation finds it: the first member equal to it as a Swift
/// `String`.
struct JSONObjectFields {
    private let members: [(name: String, value: JSONReader.Tree)]
    /// Whether every name was written as plain ASCII without escapes (``JSONReader/Tree/object(_:asciiNames:)``).
    private let asciiNames: Bool

    /// The members of a parsed object, in the order written; `asciiNames` as the parsed object tells it.
    init(_ members: [(name: String, value: JSONReader.Tree)], asciiNames: Bool) {
        self.members = members
        self.asciiNames = asciiNames
    }

    private func member(_ name: String) -> JSONReader.Tree? {
        if asciiNames {
            // Plain ASCII names are equal exactly when their bytes are: one of another length is passed over without
            // a comparison of the two (which Swift makes by Unicode's rules: a Kelvin sign equals a `K`).
            let count = name.utf8.count
            for member in members where member.name.utf8.count == count && member.name == name { return member.value }
            return nil
        }
        for member in members where member.name == name { return member.value }
        return nil
    }

    /// The string member `name`.
    func string(_ name: String) -> String? {
        guard case .string(let text)? = member(name) else { return nil }
        return text
    }

    /// The member `name`, a value written as one string.
    func value<T: JSONStringValue>(_ type: T.Type, _ name: String) -> T? {
        guard let text = string(name) else { return nil }
        return try? T(jsonString: text)
    }

    /// The optional member `name`, a value written as one string: `.some(nil)` when it is absent or `null`, as a
    /// synthesized `decodeIfPresent` reads it.
    func optional<T: JSONStringValue>(_ type: T.Type, _ name: String) -> T?? {
        switch member(name) {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return (try? T(jsonString: text)).map { .some($0) }
        default: return nil
        }
    }

    /// The integer member `name`, written as digits alone (as ``TreeJSONDecoder`` reads an `Int`).
    func int(_ name: String) -> Int? {
        guard case .number(let text)? = member(name) else { return nil }
        return Int(text, radix: 10)
    }

    /// The Boolean member `name`.
    func bool(_ name: String) -> Bool? {
        guard case .bool(let flag)? = member(name) else { return nil }
        return flag
    }
}
