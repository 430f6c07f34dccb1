/// An event on `ot.followup-plans.v1`, published by the follow-up plans service: one case per event type.
public enum FollowUpPlanEvent: TopicEvent {
    /// ``PlanCreated``: `no.ot.plan.created`.
    case planCreated(PlanCreated)
    /// ``GoalAdded``: `no.ot.plan.goal-added`.
    case goalAdded(GoalAdded)
    /// ``MeasureAdded``: `no.ot.plan.measure-added`.
    case measureAdded(MeasureAdded)
    /// ``MeasureStatusChanged``: `no.ot.plan.measure-status-changed`.
    case measureStatusChanged(MeasureStatusChanged)
    /// ``ReviewRecorded``: `no.ot.plan.review-recorded`.
    case reviewRecorded(ReviewRecorded)
    /// ``ReviewOverdue``: `no.ot.plan.review-overdue`.
    case reviewOverdue(ReviewOverdue)
    /// ``PlanClosed``: `no.ot.plan.closed`.
    case planClosed(PlanClosed)
    /// ``PlanMissing``: `no.ot.plan.missing`.
    case planMissing(PlanMissing)
    /// ``PlanCarriedOver``: `no.ot.plan.carried-over`.
    case planCarriedOver(PlanCarriedOver)

    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] {
        [
            PlanCreated.self,
            GoalAdded.self,
            MeasureAdded.self,
            MeasureStatusChanged.self,
            ReviewRecorded.self,
            ReviewOverdue.self,
            PlanClosed.self,
            PlanMissing.self,
            PlanCarriedOver.self,
        ]
    }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case PlanCreated.eventType: self = .planCreated(try event.decodePayload())
        case GoalAdded.eventType: self = .goalAdded(try event.decodePayload())
        case MeasureAdded.eventType: self = .measureAdded(try event.decodePayload())
        case MeasureStatusChanged.eventType: self = .measureStatusChanged(try event.decodePayload())
        case ReviewRecorded.eventType: self = .reviewRecorded(try event.decodePayload())
        case ReviewOverdue.eventType: self = .reviewOverdue(try event.decodePayload())
        case PlanClosed.eventType: self = .planClosed(try event.decodePayload())
        case PlanMissing.eventType: self = .planMissing(try event.decodePayload())
        case PlanCarriedOver.eventType: self = .planCarriedOver(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        switch self {
        case .planCreated(let payload): payload
        case .goalAdded(let payload): payload
        case .measureAdded(let payload): payload
        case .measureStatusChanged(let payload): payload
        case .reviewRecorded(let payload): payload
        case .reviewOverdue(let payload): payload
        case .planClosed(let payload): payload
        case .planMissing(let payload): payload
        case .planCarriedOver(let payload): payload
        }
    }
}
