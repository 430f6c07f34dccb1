import OTContract

/// What becomes of a plan command.
enum CommandOutcome: Equatable {
    /// Applied; answered ACCEPTED.
    case accepted
    /// Not applied; answered REJECTED with the reason, in words for the case worker.
    case rejected(String)
    /// Not applied because of who sent it (no valid actor, or a youth outside their scope): answered REJECTED and
    /// logged on `ot.audit.v1`.
    case refused(CommandActor?, String)
    /// It needs a registration that has not arrived: kept and decided when it comes or the wait is over.
    case waiting
}
