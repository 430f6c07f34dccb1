/// The members every ``RegistrationStatePayload`` carries under the same names, read from its JSON object for the
/// payload's own decoding (``DirectJSONDecodable``): all but `statusCode`, which ``RegistrationClosed`` alone may
/// leave out. `nil` where the payload's `Codable` conformance would throw or ``TreeJSONDecoder`` would give up.
struct RegistrationStateFields {
    let registrationId: String
    let personId: NationalID
    let unitId: String
    let countyNumber: County
    let schoolYear: SchoolYear
    let reason: RegistrationReason
    let statusGroup: OTStatusGroup
    let effectiveDate: LocalDate
    let birthDate: LocalDate
    let gender: Gender?

    init?(_ fields: JSONObjectFields) {
        guard let registrationId = fields.string("registrationId"),
            let personId = fields.value(NationalID.self, "personId"),
            let unitId = fields.string("unitId"),
            let countyNumber = fields.value(County.self, "countyNumber"),
            let schoolYear = fields.value(SchoolYear.self, "schoolYear"),
            let reason = fields.value(RegistrationReason.self, "reason"),
            // Its number, 1–5, as its own `init(from:)` reads it.
            let statusGroup = fields.int("statusGroup").flatMap({ try? OTStatusGroup(number: $0) }),
            let effectiveDate = fields.value(LocalDate.self, "effectiveDate"),
            let birthDate = fields.value(LocalDate.self, "birthDate"),
            let gender = fields.optional(Gender.self, "gender")
        else { return nil }
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.reason = reason
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
        self.birthDate = birthDate
        self.gender = gender
    }
}

extension RegistrationStatePayload {
    /// Writes the members ``RegistrationStateFields`` reads: every member the payloads share but `statusCode`.
    func writeState(to object: inout JSONObjectWriter) {
        // In the names' order, which the writer puts them in: it then finds most of them in place.
        object.value("birthDate", birthDate)
        object.value("countyNumber", countyNumber)
        object.value("effectiveDate", effectiveDate)
        object.optional("gender", gender)
        object.value("personId", personId)
        object.value("reason", reason)
        object.string("registrationId", registrationId)
        object.value("schoolYear", schoolYear)
        object.integer("statusGroup", statusGroup.rawValue)
        object.string("unitId", unitId)
    }
}
