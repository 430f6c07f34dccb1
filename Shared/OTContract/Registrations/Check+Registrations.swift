/// Checks that the ``RegistrationEvent`` payloads share: a field that repeats another under the uniform name every
/// registrations event carries (``StatusChanged/statusCode`` and ``StatusChanged/to``, say) must agree with it.
extension Check {
    /// A field that repeats another must hold the same value.
    static func same<Value: Equatable & CustomStringConvertible>(
        _ value: Value, as other: Value, _ path: String, _ otherPath: String
    ) throws(ContractError) {
        guard value == other else { throw .invalidField(path, reason: "is \(value) but \(otherPath) is \(other)") }
    }
}
