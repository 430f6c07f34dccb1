/// The four services, by the name of their executable.
public enum ServiceName: String, Sendable, CaseIterable {
    /// Who is in OT, their status codes and activities.
    case registrations = "ot-registrations"
    /// Follow-up plans (oppfølgingsplaner).
    case followUpPlans = "ot-followup-plans"
    /// An individual's school history, access-scoped and audited.
    case schoolHistory = "ot-school-history"
    /// Statistics per unit, county and nation.
    case statistics = "ot-statistics"

    /// The CloudEvents `source` of the events the service produces: `urn:ot:<service>`.
    public var eventSource: String { "urn:ot:\(rawValue)" }
}
