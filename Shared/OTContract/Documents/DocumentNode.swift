/// A JSON document whose objects keep their members in the order they were written: what the contract's JSON
/// Schemas and its AsyncAPI document are built as, so that they read in a sensible order and come out the same, byte
/// for byte, every time they are generated (``JSONValue`` orders members by name).
enum DocumentNode: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number.
    case integer(Int64)
    /// A number with a fraction.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([DocumentNode])
    /// An object, its members in order; a name appears once.
    case object([Member])

    /// A member of an object.
    struct Member: Sendable, Equatable {
        /// The member's name.
        var name: String
        /// The member's value.
        var value: DocumentNode
    }

    /// An object of the members given, in order.
    static func object(_ members: KeyValuePairs<String, DocumentNode>) -> DocumentNode {
        .object(members.map { Member(name: $0.key, value: $0.value) })
    }

    /// The value of the member `name` of an object; `nil` for another node or an absent member.
    subscript(name: String) -> DocumentNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    /// The members of an object, or none.
    var members: [Member] {
        if case .object(let members) = self { members } else { [] }
    }

    /// The text of a string, or `nil`.
    var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// An object with `value` set as its member `name`: replaced where it is, or added at the end.
    func setting(_ name: String, to value: DocumentNode) -> DocumentNode {
        var members = self.members
        if let index = members.firstIndex(where: { $0.name == name }) {
            members[index].value = value
        } else {
            members.append(Member(name: name, value: value))
        }
        return .object(members)
    }

    /// Whether the node is a string, number, Boolean or `null`.
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

/// Literals make the schemas readable where they are built.
extension DocumentNode: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: DocumentNode...) { self = .array(elements) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
}
