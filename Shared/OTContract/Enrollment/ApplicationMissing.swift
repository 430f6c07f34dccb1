/// A youth with a right to upper-secondary education did not apply by the deadline: the commonest way into OT.
///
/// CloudEvents type `no.vigo.application.missing` on ``Topic/enrollment``.
public struct ApplicationMissing: PersonKeyedPayload {
    /// `no.vigo.application.missing`.
    public static let eventType = "no.vigo.application.missing"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year there was no application for.
    public var schoolYear: SchoolYear
    /// The deadline that passed (1 March; 1 February for priority admission).
    public var deadline: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, schoolYear: SchoolYear, deadline: LocalDate) {
        self.personId = personId
        self.schoolYear = schoolYear
        self.deadline = deadline
    }
}

extension ApplicationMissing: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let schoolYear = fields.value(SchoolYear.self, "schoolYear"),
            let deadline = fields.value(LocalDate.self, "deadline")
        else { return nil }
        self.personId = personId
        self.schoolYear = schoolYear
        self.deadline = deadline
    }
}
