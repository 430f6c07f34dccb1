/// A case worker closes a youth's registration with a group 5 status code (moved, registered in error, now in
/// school or work).
///
/// CloudEvents type `no.ot.registration.close` on ``Topic/registrationCommands``.
public struct CloseRegistration: PersonKeyedPayload {
    /// `no.ot.registration.close`.
    public static let eventType = "no.ot.registration.close"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date the registration closes.
    public var date: LocalDate
    /// The closing status: a group 5 code.
    public var statusCode: OTStatusCode

    /// Creates the payload.
    public init(personId: NationalID, date: LocalDate, statusCode: OTStatusCode) {
        self.personId = personId
        self.date = date
        self.statusCode = statusCode
    }

    /// Checks that the status code closes a registration and is valid on the date.
    public func validate() throws(ContractError) {
        guard statusCode.closesRegistration else {
            throw .invalidField(
                "data.statusCode",
                reason: "\(statusCode.rawValue) is in group \(statusCode.group.rawValue); closing needs a group 5 code")
        }
        try Check.valid(statusCode, on: date, "data.statusCode")
    }
}
