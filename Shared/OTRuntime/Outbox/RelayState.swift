/// What the relay knows of one store between rounds; read and changed only by the store's drain (one at a time).
struct RelayState: Sendable {
    /// Messages the changelog holds (in chunks, ``OutboxChunk``) that are not delivered yet, in order.
    var recorded: [OutboxMessage] = []
    /// Per chunk on the changelog, how many of its messages are not delivered yet.
    var undelivered: [Int64: Int] = [:]
    /// Chunks some of whose messages are delivered and some not: the next round records the undelivered again
    /// (``OutboxRelay``), as the positions those deliveries reached may reach the changelog in it.
    var partlyDelivered: Set<Int64> = []
    /// Chunks whose messages are all delivered but whose records the changelog still holds: their tombstones go
    /// with the next round.
    var delivered: [Int64] = []
    /// The sequence number the next recorded message gets.
    var nextSeq: Int64 = 1
    /// The number the next chunk gets.
    var nextChunk: Int64 = 1
    /// The number of the last round.
    var round: Int64 = 0
    /// The changelog offset of this file's last round marker; `nil` before its first.
    var markerOffset: Int64?
    /// The consumed offsets the changelog holds, for the group's mirror; `nil` when unknown.
    var offsets: [String: Int64]?
    /// An erasure waits for everything to be out, then for the store's log to be truncated.
    var scrub = false

    /// Nothing of the store waits to be published or delivered.
    var isSettled: Bool { recorded.isEmpty && delivered.isEmpty && markerOffset != nil }
}
