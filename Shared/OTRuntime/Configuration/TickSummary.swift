import Foundation

/// What one round of idle ticks did (``WorkerConfiguration/onTicked``): every ready store's tick, each in a
/// transaction of its own.
public struct TickSummary: Sendable {
    /// The time the handlers saw (``WorkerConfiguration/clock``).
    public var now: Date
    /// The partitions whose tick committed; a store being closed, or one whose tick failed, is not among them.
    public var partitions: [Int32]
}
