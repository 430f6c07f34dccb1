/// A youth answered an offered place, or the deadline to answer passed.
///
/// CloudEvents type `no.vigo.offer.answered` on ``Topic/enrollment``.
public struct OfferAnswered: PersonKeyedPayload {
    /// `no.vigo.offer.answered`.
    public static let eventType = "no.vigo.offer.answered"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year of the offered place.
    public var schoolYear: SchoolYear
    /// The programme area (programområde) code of the place.
    public var programmeAreaCode: String
    /// The school or training establishment.
    public var schoolOrgNumber: OrganizationNumber
    /// The answer.
    public var answer: OfferAnswer

    /// Creates the payload.
    public init(
        personId: NationalID,
        schoolYear: SchoolYear,
        programmeAreaCode: String,
        schoolOrgNumber: OrganizationNumber,
        answer: OfferAnswer
    ) {
        self.personId = personId
        self.schoolYear = schoolYear
        self.programmeAreaCode = programmeAreaCode
        self.schoolOrgNumber = schoolOrgNumber
        self.answer = answer
    }

    /// Checks that the programme area is given.
    public func validate() throws(ContractError) {
        try Check.notBlank(programmeAreaCode, "data.programmeAreaCode")
    }
}

extension OfferAnswered: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let schoolYear = fields.value(SchoolYear.self, "schoolYear"),
            let programmeAreaCode = fields.string("programmeAreaCode"),
            let schoolOrgNumber = fields.value(OrganizationNumber.self, "schoolOrgNumber"),
            let answer = fields.value(OfferAnswer.self, "answer")
        else { return nil }
        self.personId = personId
        self.schoolYear = schoolYear
        self.programmeAreaCode = programmeAreaCode
        self.schoolOrgNumber = schoolOrgNumber
        self.answer = answer
    }
}
