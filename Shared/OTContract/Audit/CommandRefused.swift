/// A command refused because its actor may not act on the youth (outside their county or unit, or an erasure
/// without the administrator role), or because it named no actor. Logged beside the lookups on `ot.audit.v1`.
///
/// CloudEvents type `no.ot.audit.command-refused` on ``Topic/audit``.
public struct CommandRefused: EventPayload {
    /// `no.ot.audit.command-refused`.
    public static let eventType = "no.ot.audit.command-refused"
    /// ``Topic/audit``.
    public static var topic: Topic { .audit }

    /// The command's id.
    public var commandId: String
    /// The command's type.
    public var commandType: String
    /// Who sent it, as the command said; absent when it named no valid actor.
    public var actorId: String?
    /// The actor's county.
    public var actorCounty: County?
    /// The actor's unit, when unit-scoped.
    public var actorUnit: String?
    /// The actor's role.
    public var actorRole: ActorRole?
    /// Whom the command was about.
    public var personId: NationalID
    /// Why it was refused (the reply's reason).
    public var reason: String
    /// When.
    public var occurredAt: Timestamp

    /// Creates the payload.
    public init(
        commandId: String, commandType: String, actor: CommandActor?, personId: NationalID, reason: String,
        occurredAt: Timestamp
    ) {
        self.commandId = commandId
        self.commandType = commandType
        actorId = actor?.userId
        actorCounty = actor?.countyNumber
        actorUnit = actor?.unitId
        actorRole = actor?.role
        self.personId = personId
        self.reason = reason
        self.occurredAt = occurredAt
    }

    /// Checks the ids and the reason.
    public func validate() throws(ContractError) {
        try Check.notBlank(commandId, "data.commandId")
        try Check.notBlank(reason, "data.reason")
    }

    /// The Kafka key: the person's national ID, as for every audit entry about a person.
    ///
    /// - Important: The full national ID: use it as the message key, never in a log line.
    public var partitionKey: String { personId.digits }
}
