/// The answer to a command: `ACCEPTED`, or `REJECTED` with a reason a front end can show its user. Published with
/// the command's correlation id as the Kafka key and as the `correlationid` attribute.
///
/// CloudEvents type `no.ot.command.replied` on ``Topic/replies``.
public struct CommandReply: EventPayload {
    /// `no.ot.command.replied`.
    public static let eventType = "no.ot.command.replied"
    /// ``Topic/replies``.
    public static var topic: Topic { .replies }

    /// The `id` of the command answered.
    public var commandId: String
    /// The `type` of the command answered.
    public var commandType: String
    /// Accepted or rejected.
    public var status: ReplyStatus
    /// Why it was rejected (or a note on an accepted command).
    public var reason: String?

    /// Creates the payload.
    public init(commandId: String, commandType: String, status: ReplyStatus, reason: String? = nil) {
        self.commandId = commandId
        self.commandType = commandType
        self.status = status
        self.reason = reason
    }

    /// Checks that a rejection says why.
    public func validate() throws(ContractError) {
        try Check.notBlank(commandId, "data.commandId")
        if status == .rejected, reason?.contains(where: { !$0.isWhitespace }) != true {
            throw .missingField("data.reason")
        }
    }

    /// The reply accepting a command.
    public static func accepted(_ command: CloudEvent) -> CommandReply {
        CommandReply(commandId: command.id, commandType: command.type, status: .accepted)
    }

    /// The reply rejecting a command.
    /// - Parameters:
    ///   - command: The command.
    ///   - reason: Why, in words a front end can show its user; never a national ID.
    public static func rejected(_ command: CloudEvent, reason: String) -> CommandReply {
        CommandReply(commandId: command.id, commandType: command.type, status: .rejected, reason: reason)
    }
}
