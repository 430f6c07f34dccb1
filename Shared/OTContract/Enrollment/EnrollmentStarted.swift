/// A youth started at a school or in an apprenticeship (the pupil register).
///
/// CloudEvents type `no.vigo.enrollment.started` on ``Topic/enrollment``.
public struct EnrollmentStarted: PersonKeyedPayload {
    /// `no.vigo.enrollment.started`.
    public static let eventType = "no.vigo.enrollment.started"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year it concerns.
    public var schoolYear: SchoolYear
    /// The school or training establishment.
    public var schoolOrgNumber: OrganizationNumber
    /// The programme area (programområde) code.
    public var programmeAreaCode: String
    /// The first day.
    public var startDate: LocalDate
    /// Pupil, apprentice or training candidate.
    public var kind: EnrollmentKind

    /// Creates the payload.
    public init(
        personId: NationalID,
        schoolYear: SchoolYear,
        schoolOrgNumber: OrganizationNumber,
        programmeAreaCode: String,
        startDate: LocalDate,
        kind: EnrollmentKind
    ) {
        self.personId = personId
        self.schoolYear = schoolYear
        self.schoolOrgNumber = schoolOrgNumber
        self.programmeAreaCode = programmeAreaCode
        self.startDate = startDate
        self.kind = kind
    }

    /// Checks that the programme area is given.
    public func validate() throws(ContractError) {
        try Check.notBlank(programmeAreaCode, "data.programmeAreaCode")
    }
}

extension EnrollmentStarted: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let schoolYear = fields.value(SchoolYear.self, "schoolYear"),
            let schoolOrgNumber = fields.value(OrganizationNumber.self, "schoolOrgNumber"),
            let programmeAreaCode = fields.string("programmeAreaCode"),
            let startDate = fields.value(LocalDate.self, "startDate"),
            let kind = fields.value(EnrollmentKind.self, "kind")
        else { return nil }
        self.personId = personId
        self.schoolYear = schoolYear
        self.schoolOrgNumber = schoolOrgNumber
        self.programmeAreaCode = programmeAreaCode
        self.startDate = startDate
        self.kind = kind
    }
}
