import OTContract

/// The output: the key's count after an input.
public struct Counted: EventPayload {
    public static let eventType = "no.ot.test.counted"
    public static let topic = CountingHandler.output
    /// The key counted.
    public var key: String
    /// Its count after this input.
    public var count: Int
    /// The id of the input event.
    public var inputID: String

    /// Creates an output payload.
    public init(key: String, count: Int, inputID: String) {
        self.key = key
        self.count = count
        self.inputID = inputID
    }
}
