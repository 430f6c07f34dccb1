/// Where a dead letter sits on its dead-letter topic: `partition@offset`, as `otctl dlq list` prints it.
///
/// An offset alone does not name a dead letter: every partition of the topic has its own offsets.
struct DeadLetterPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The partition of the dead-letter topic.
    var partition: Int32
    /// The offset in that partition.
    var offset: Int64

    /// Reads `P@N` (also `pP@N`, as `otctl tail` writes positions); `nil` for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let partitionText = parts[0].hasPrefix("p") ? parts[0].dropFirst() : parts[0]
        guard let partition = Int32(partitionText), partition >= 0, let offset = Int64(parts[1]), offset >= 0 else {
            return nil
        }
        self.init(partition: partition, offset: offset)
    }

    /// A position.
    init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }

    var description: String { "\(partition)@\(offset)" }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.partition, lhs.offset) < (rhs.partition, rhs.offset)
    }
}
