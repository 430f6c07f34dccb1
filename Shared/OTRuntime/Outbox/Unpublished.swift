/// What a partition store committed that the changelog does not hold yet, in commit order: the changed rows'
/// records, the emitted messages, the latest consumed offsets, and whether an erasure asks for a scrub once it is
/// out. Kept in memory: a store that stops without publishing it (a crash, a lost partition) is not used again
/// (``PartitionStore`` marks a store in use until it is released with nothing left), and is restored from the
/// changelog instead.
struct Unpublished: Sendable {
    var records: [ChangeRecord] = []
    var messages: [OutboxMessage] = []
    var offsets: [String: Int64]?
    var scrub = false
    /// When the oldest of ``messages`` was committed: how long the outputs waited for Kafka is measured from it.
    var messagesSince: ContinuousClock.Instant?

    var isEmpty: Bool { records.isEmpty && messages.isEmpty && offsets == nil && !scrub }

    /// Adds what a later transaction committed.
    mutating func append(records: [ChangeRecord], messages: [OutboxMessage], offsets: [String: Int64]?, scrub: Bool) {
        self.records.appendAdopting(records)
        if !messages.isEmpty && messagesSince == nil { messagesSince = .now }
        self.messages.appendAdopting(messages)
        if let offsets { self.offsets = (self.offsets ?? [:]).merging(offsets) { $1 } }
        self.scrub = self.scrub || scrub
    }

    /// Puts back what a round took and could not publish, before what was committed since.
    mutating func putBack(_ earlier: Unpublished) {
        records = earlier.records + records
        messages = earlier.messages + messages
        messagesSince = earlier.messagesSince ?? messagesSince
        if let earlier = earlier.offsets { offsets = earlier.merging(offsets ?? [:]) { $1 } }
        scrub = scrub || earlier.scrub
    }
}
