/// A Norwegian organisation number (organisasjonsnummer): the 9 digits that name a school or training
/// establishment in the Central Coordinating Register for Legal Entities.
///
/// Only the form is checked (nine digits), not the check digit, so that test data need not come from the register.
public struct OrganizationNumber: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral,
    JSONStringValue
{
    /// The nine digits.
    public let digits: String

    /// Checks and creates an organisation number.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` unless the text is nine digits.
    public init(_ text: String) throws(ContractError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 9, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidValue(kind: "organisation number", value: text, reason: "must be 9 digits")
        }
        self.digits = text
    }

    /// An organisation number written in code, such as `"974567890"`.
    ///
    /// - Important: For literals only; a literal that is not nine digits stops the program.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// The nine digits.
    public var description: String { digits }

    /// The nine-digit string the value is written as.
    public var jsonString: String { digits }

    /// Reads a nine-digit string.
    public init(jsonString: String) throws(ContractError) { try self.init(jsonString) }
}
