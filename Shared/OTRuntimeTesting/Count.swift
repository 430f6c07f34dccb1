import OTContract

/// The input: count one for the message key.
public struct Count: EventPayload {
    public static let eventType = "no.ot.test.count"
    public static let topic = CountingHandler.input
    /// Optional failure to simulate: `permanent` or `transient`.
    public var fail: String?
    /// Creates an input payload.
    public init(fail: String? = nil) { self.fail = fail }
}
