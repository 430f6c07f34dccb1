import OTContract

/// A registration as a reader of `ot.registrations.v1` sees it in the end (for the tests of every service that
/// reads the topic): registered when, for which school year, why, and how it ended. Registrations set to `Feil`
/// (registered in error) are left out: they never counted.
public struct RegistrationOutline: Equatable, Sendable, CustomStringConvertible {
    public var registeredAt: LocalDate
    public var schoolYear: SchoolYear
    public var reason: RegistrationReason
    public var closedOn: LocalDate?
    public var cause: RegistrationClosureCause?
    public var closingStatus: OTStatusCode?

    public init(
        registeredAt: LocalDate, schoolYear: SchoolYear, reason: RegistrationReason, closedOn: LocalDate? = nil,
        cause: RegistrationClosureCause? = nil, closingStatus: OTStatusCode? = nil
    ) {
        self.registeredAt = registeredAt
        self.schoolYear = schoolYear
        self.reason = reason
        self.closedOn = closedOn
        self.cause = cause
        self.closingStatus = closingStatus
    }

    public var description: String {
        "\(registeredAt) \(schoolYear) \(reason.rawValue)"
            + (closedOn.map { " closed \($0) \(cause?.rawValue ?? "") \(closingStatus?.rawValue ?? "")" } ?? " open")
    }

    /// The registrations a person's events describe, in the order they were registered.
    public static func of(_ events: [RegistrationEvent]) -> [RegistrationOutline] {
        var order: [String] = []
        var outlines: [String: RegistrationOutline] = [:]
        var inError: Set<String> = []
        for event in events {
            switch event {
            case .registered(let registered):
                order.append(registered.registrationId)
                outlines[registered.registrationId] = RegistrationOutline(
                    registeredAt: registered.registeredAt, schoolYear: registered.schoolYear, reason: registered.reason)
            case .statusChanged(let changed) where changed.to == .feil:
                inError.insert(changed.registrationId)
            case .closed(let closed):
                outlines[closed.registrationId]?.closedOn = closed.effectiveDate
                outlines[closed.registrationId]?.cause = closed.cause
                outlines[closed.registrationId]?.closingStatus = closed.statusCode
            default:
                break
            }
        }
        return order.filter { !inError.contains($0) }.compactMap { outlines[$0] }
    }
}
