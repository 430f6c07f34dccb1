/// The typed data of one event or command type of the contract.
///
/// Each payload names its CloudEvents `type` and the topic that carries it, and checks the rules that reach across
/// its fields (a status code valid on its effective date, a status group that matches its code) in ``validate()``.
/// Decoding checks every field's presence, type and format; ``validate()`` runs after it, and before encoding.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The CloudEvents `type`, such as `no.vigo.person.updated`.
    static var eventType: String { get }
    /// The topic this payload travels on.
    static var topic: Topic { get }
    /// Checks the rules that reach across fields.
    /// - Throws: ``ContractError/invalidField(_:reason:)`` naming the field path, or another ``ContractError``.
    func validate() throws(ContractError)
}

extension EventPayload {
    /// No rules across fields by default.
    public func validate() throws(ContractError) {}
}

/// Checks shared by the payloads' ``EventPayload/validate()``.
enum Check {
    /// A text field must hold something other than whitespace.
    static func notBlank(_ value: String, _ path: String) throws(ContractError) {
        // Most values start with a printable ASCII character, which is no whitespace: no Unicode lookup for them.
        if let first = value.utf8.first, first > 0x20, first < 0x7F { return }
        guard value.contains(where: { !$0.isWhitespace }) else {
            throw .invalidField(path, reason: "must not be empty")
        }
    }

    /// An optional text field, when present, must hold something other than whitespace.
    static func notBlank(_ value: String?, _ path: String) throws(ContractError) {
        if let value { try notBlank(value, path) }
    }

    /// An OT status code must be valid on the date it takes effect.
    static func valid(_ code: OTStatusCode, on date: LocalDate, _ path: String) throws(ContractError) {
        do {
            try code.validate(on: date)
        } catch {
            throw .invalidField(path, reason: error.description)
        }
    }

    /// A status group field must be the group of its status code.
    static func group(_ group: OTStatusGroup, matches code: OTStatusCode, _ path: String) throws(ContractError) {
        guard group == code.group else {
            throw .invalidField(
                path, reason: "is \(group.rawValue) but \(code.rawValue) is in group \(code.group.rawValue)")
        }
    }

    /// A date must not come before another.
    static func notBefore(_ date: LocalDate, _ other: LocalDate, _ path: String, _ otherPath: String)
        throws(ContractError)
    {
        guard date >= other else { throw .invalidField(path, reason: "\(date) is before \(otherPath) \(other)") }
    }
}
