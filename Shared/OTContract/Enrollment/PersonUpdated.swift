/// The population register's facts about a person changed, or were given for the first time.
///
/// CloudEvents type `no.vigo.person.updated` on ``Topic/enrollment``.
public struct PersonUpdated: PersonKeyedPayload {
    /// `no.vigo.person.updated`.
    public static let eventType = "no.vigo.person.updated"
    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// Date of birth.
    public var birthDate: LocalDate
    /// Gender as registered; absent when the population register has none.
    public var gender: Gender?
    /// The county the person lives in.
    public var countyNumber: County
    /// The four-digit number of the municipality (kommunenummer) the person lives in.
    public var municipalityNumber: String

    /// Creates the payload.
    public init(
        personId: NationalID,
        birthDate: LocalDate,
        gender: Gender?,
        countyNumber: County,
        municipalityNumber: String
    ) {
        self.personId = personId
        self.birthDate = birthDate
        self.gender = gender
        self.countyNumber = countyNumber
        self.municipalityNumber = municipalityNumber
    }

    /// Checks that the municipality number is four digits.
    public func validate() throws(ContractError) {
        guard municipalityNumber.utf8.count == 4, municipalityNumber.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            throw .invalidField("data.municipalityNumber", reason: "must be 4 digits")
        }
    }
}

extension PersonUpdated: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let personId = fields.value(NationalID.self, "personId"),
            let birthDate = fields.value(LocalDate.self, "birthDate"),
            let gender = fields.optional(Gender.self, "gender"),
            let countyNumber = fields.value(County.self, "countyNumber"),
            let municipalityNumber = fields.string("municipalityNumber")
        else { return nil }
        self.personId = personId
        self.birthDate = birthDate
        self.gender = gender
        self.countyNumber = countyNumber
        self.municipalityNumber = municipalityNumber
    }
}
