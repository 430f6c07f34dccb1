/// The youth's open OT registration, as a school-history reply shows it.
public struct CurrentRegistration: Codable, Sendable, Hashable {
    /// The registration.
    public var registrationId: String
    /// The OT unit that follows the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The school year it belongs to.
    public var schoolYear: SchoolYear
    /// Its first day.
    public var registeredAt: LocalDate
    /// Why the youth is in OT.
    public var reason: RegistrationReason
    /// The status code now.
    public var statusCode: OTStatusCode

    /// Creates the value.
    public init(
        registrationId: String, unitId: String, countyNumber: County, schoolYear: SchoolYear,
        registeredAt: LocalDate, reason: RegistrationReason, statusCode: OTStatusCode
    ) {
        self.registrationId = registrationId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.registeredAt = registeredAt
        self.reason = reason
        self.statusCode = statusCode
    }
}
