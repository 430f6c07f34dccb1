/// A case-worker command on `ot.followup-plans.commands.v1`: one case per command type. Every command gets a
/// ``CommandReply`` on `ot.replies.v1`.
public enum FollowUpPlanCommand: TopicEvent {
    /// ``CreatePlan``: `no.ot.plan.create`.
    case createPlan(CreatePlan)
    /// ``AddGoal``: `no.ot.plan.goal.add`.
    case addGoal(AddGoal)
    /// ``AddMeasure``: `no.ot.plan.measure.add`.
    case addMeasure(AddMeasure)
    /// ``SetMeasureStatus``: `no.ot.plan.measure.status.set`.
    case setMeasureStatus(SetMeasureStatus)
    /// ``RecordReview``: `no.ot.plan.review.record`.
    case recordReview(RecordReview)
    /// ``ClosePlan``: `no.ot.plan.close`.
    case closePlan(ClosePlan)

    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] {
        [
            CreatePlan.self,
            AddGoal.self,
            AddMeasure.self,
            SetMeasureStatus.self,
            RecordReview.self,
            ClosePlan.self,
        ]
    }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case CreatePlan.eventType: self = .createPlan(try event.decodePayload())
        case AddGoal.eventType: self = .addGoal(try event.decodePayload())
        case AddMeasure.eventType: self = .addMeasure(try event.decodePayload())
        case SetMeasureStatus.eventType: self = .setMeasureStatus(try event.decodePayload())
        case RecordReview.eventType: self = .recordReview(try event.decodePayload())
        case ClosePlan.eventType: self = .closePlan(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        switch self {
        case .createPlan(let payload): payload
        case .addGoal(let payload): payload
        case .addMeasure(let payload): payload
        case .setMeasureStatus(let payload): payload
        case .recordReview(let payload): payload
        case .closePlan(let payload): payload
        }
    }
}
