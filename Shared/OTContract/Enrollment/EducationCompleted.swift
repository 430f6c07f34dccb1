/// A youth completed upper-secondary education: the right to it, and OT's responsibility, end.
///
/// CloudEvents type `no.vigo.education.completed` on ``Topic/enrollment``.
public struct EducationCompleted: PersonKeyedPayload {
    /// `no.vigo.education.completed`.
    public static let eventType = "no.vigo.education.completed"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date of completion.
    public var date: LocalDate
    /// What the education gave.
    public var qualification: Qualification

    /// Creates the payload.
    public init(personId: NationalID, date: LocalDate, qualification: Qualification) {
        self.personId = personId
        self.date = date
        self.qualification = qualification
    }
}

extension EducationCompleted: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let date = fields.value(LocalDate.self, "date"),
            let qualification = fields.value(Qualification.self, "qualification")
        else { return nil }
        self.personId = personId
        self.date = date
        self.qualification = qualification
    }
}
