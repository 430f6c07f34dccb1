/// One timed run of one client: how many messages and payload bytes moved, in how long.
struct BenchmarkMeasurement: Sendable {
    /// The messages produced or consumed.
    var messages: Int
    /// Their key and value bytes.
    var bytes: Int
    /// The wall-clock time it took.
    var duration: Duration

    /// The seconds, as a floating-point number.
    var seconds: Double { duration / .seconds(1) }

    /// Messages per second.
    var messagesPerSecond: Double { Double(messages) / seconds }

    /// Payload megabytes (10^6 bytes of keys and values) per second.
    var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
}
