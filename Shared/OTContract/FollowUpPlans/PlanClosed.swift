/// A plan closed, by a case worker or because its registration closed.
///
/// CloudEvents type `no.ot.plan.closed` on ``Topic/followUpPlans``.
public struct PlanClosed: PersonKeyedPayload {
    /// `no.ot.plan.closed`.
    public static let eventType = "no.ot.plan.closed"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date it closed.
    public var date: LocalDate
    /// Why.
    public var cause: PlanClosureCause
    /// For `REGISTRATION_CLOSED`: why the registration closed.
    public var registrationClosureCause: RegistrationClosureCause?
    /// For `REGISTRATION_CLOSED` by a status code: the group 5 code it closed with.
    public var registrationStatusCode: OTStatusCode?

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        date: LocalDate,
        cause: PlanClosureCause,
        registrationClosureCause: RegistrationClosureCause? = nil,
        registrationStatusCode: OTStatusCode? = nil
    ) {
        self.planId = planId
        self.personId = personId
        self.date = date
        self.cause = cause
        self.registrationClosureCause = registrationClosureCause
        self.registrationStatusCode = registrationStatusCode
    }

    /// Checks that only a plan closed with its registration names the registration's cause.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        switch (cause, registrationClosureCause) {
        case (.registrationClosed, nil): throw .missingField("data.registrationClosureCause")
        case (.caseWorker, .some):
            throw .invalidField(
                "data.registrationClosureCause", reason: "only a plan closed with its registration has one")
        default: break
        }
        if registrationStatusCode != nil, registrationClosureCause != .statusCode {
            throw .invalidField(
                "data.registrationStatusCode", reason: "only a registration closed by a status code has one")
        }
    }
}
