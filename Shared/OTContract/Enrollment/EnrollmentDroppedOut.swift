/// A youth left school or an apprenticeship during the school year, or did not show up at its start (`IM`).
///
/// CloudEvents type `no.vigo.enrollment.dropped-out` on ``Topic/enrollment``.
public struct EnrollmentDroppedOut: PersonKeyedPayload {
    /// `no.vigo.enrollment.dropped-out`.
    public static let eventType = "no.vigo.enrollment.dropped-out"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year it concerns.
    public var schoolYear: SchoolYear
    /// The date the youth left.
    public var date: LocalDate
    /// Why, as a B06 code.
    public var reasonCode: DropoutReason

    /// Creates the payload.
    public init(personId: NationalID, schoolYear: SchoolYear, date: LocalDate, reasonCode: DropoutReason) {
        self.personId = personId
        self.schoolYear = schoolYear
        self.date = date
        self.reasonCode = reasonCode
    }
}

extension EnrollmentDroppedOut: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let schoolYear = fields.value(SchoolYear.self, "schoolYear"),
            let date = fields.value(LocalDate.self, "date"),
            let reasonCode = fields.value(DropoutReason.self, "reasonCode")
        else { return nil }
        self.personId = personId
        self.schoolYear = schoolYear
        self.date = date
        self.reasonCode = reasonCode
    }
}
