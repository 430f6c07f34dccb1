/// What one partition's restore from its changelog did.
public struct RestoreSummary: Sendable {
    /// The partition number.
    public var partition: Int32
    /// Changelog records read.
    public var records: Int
    /// From assignment to the store being current.
    public var duration: Duration
    /// Why the local store was not used.
    public var reason: String
}
