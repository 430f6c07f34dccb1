/// Why a handler could not process an event.
public enum HandlerError: Error, Sendable, CustomStringConvertible {
    /// The event can never be processed; it goes to the dead-letter topic with this reason.
    case permanent(String)
    /// Processing failed for a reason that may pass (an unavailable dependency); retried with backoff.
    case transient(String)

    public var description: String {
        switch self {
        case .permanent(let reason): "permanent: \(reason)"
        case .transient(let reason): "transient: \(reason)"
        }
    }
}
