/// Why the contract's documents (docs/contract/) cannot be made: a payload type without an example, or a payload
/// whose decoding the schema builder cannot follow. A change to the contract that needs the generator changed too.
public struct ContractDocumentError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the event type or the field.
    public var message: String

    /// Creates an error with its message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
