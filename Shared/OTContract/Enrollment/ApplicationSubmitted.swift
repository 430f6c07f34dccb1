/// A youth applied for upper-secondary education (VIGO admission).
///
/// CloudEvents type `no.vigo.application.submitted` on ``Topic/enrollment``.
public struct ApplicationSubmitted: PersonKeyedPayload {
    /// `no.vigo.application.submitted`.
    public static let eventType = "no.vigo.application.submitted"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year applied for.
    public var schoolYear: SchoolYear
    /// When the application was submitted.
    public var submittedAt: Timestamp
    /// The choices in order of priority; at least one.
    public var choices: [ApplicationChoice]

    /// Creates the payload.
    public init(personId: NationalID, schoolYear: SchoolYear, submittedAt: Timestamp, choices: [ApplicationChoice]) {
        self.personId = personId
        self.schoolYear = schoolYear
        self.submittedAt = submittedAt
        self.choices = choices
    }

    /// Checks that there is at least one choice and that every choice names a programme area.
    public func validate() throws(ContractError) {
        guard !choices.isEmpty else { throw .invalidField("data.choices", reason: "must hold at least one choice") }
        for (index, choice) in choices.enumerated() {
            try Check.notBlank(choice.programmeAreaCode, "data.choices[\(index)].programmeAreaCode")
        }
    }
}
