import OTContract

/// What brings a simulated youth to OT's attention in the school year, or keeps them out of it.
///
/// The mix is near Udir's figures for registered youths (domain.md): about 35 % had not applied, 30 % dropped out
/// during the year, 15–20 % declined a place, the rest other reasons; plus youths whose event registers no one.
public enum SimulatedTrigger: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `no.vigo.application.missing`: no application by the deadline (1 March, or 1 February for priority
    /// admission). Registers the youth (`IKKE_SOKT`).
    case applicationMissing = "application-missing"
    /// `no.vigo.enrollment.dropped-out` with a B06 reason that registers the youth (`SLUTTET`): FR, FV, MI, IM, TN,
    /// AR, FL or AF.
    case droppedOut = "dropped-out"
    /// `no.vigo.enrollment.dropped-out` with a reason that keeps the youth in education (AP, AS, LA, UV, PM):
    /// registers no one.
    case droppedOutContinuing = "dropped-out-continuing"
    /// `no.vigo.offer.answered` with `DECLINED` or `NO_ANSWER`. Registers the youth (`TAKKET_NEI`).
    case offerDeclined = "offer-declined"
    /// A case worker's `no.ot.registration.register` with reason `ANNET` (no apprenticeship place, say).
    case manualRegistration = "manual-registration"
    /// An offer accepted and a pupil enrolled: never enters OT.
    case enrolled = "enrolled"

    /// The share of simulated youths with this trigger.
    public var share: Double {
        switch self {
        case .applicationMissing: 0.35
        case .droppedOut: 0.26
        case .droppedOutContinuing: 0.04
        case .offerDeclined: 0.17
        case .manualRegistration: 0.08
        case .enrolled: 0.10
        }
    }

    /// Whether the trigger registers the youth in OT.
    public var registers: Bool {
        switch self {
        case .applicationMissing, .droppedOut, .offerDeclined, .manualRegistration: true
        case .droppedOutContinuing, .enrolled: false
        }
    }

    /// The registration reason the registrations service gives, for a trigger that registers.
    public var reason: RegistrationReason? {
        switch self {
        case .applicationMissing: .ikkeSokt
        case .droppedOut: .sluttet
        case .offerDeclined: .takketNei
        case .manualRegistration: .annet
        case .droppedOutContinuing, .enrolled: nil
        }
    }

    /// The trigger's name, such as `application-missing`.
    public var description: String { rawValue }

    /// In declaration order.
    public static func < (lhs: SimulatedTrigger, rhs: SimulatedTrigger) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
