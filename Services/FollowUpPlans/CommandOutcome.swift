/// What becomes of a plan command.
enum CommandOutcome: Equatable {
    /// Applied; answered ACCEPTED.
    case accepted
    /// Not applied; answered REJECTED with the reason, in words for the case worker.
    case rejected(String)
    /// It needs a registration that has not arrived: kept and decided when it comes or the wait is over.
    case waiting
}
