/// What a write transaction of a partition store produces besides its rows: the messages its handlers emitted, the
/// consumed offsets it recorded, and whether it erased personal data. Used on the store's writer queue only, and
/// handed to the store's ``Unpublished`` when the transaction commits (dropped when it rolls back).
final class TransactionOutputs: @unchecked Sendable {
    /// The messages emitted so far, in order.
    var messages: [OutboxMessage] = []
    /// The next offset of each input topic, when the transaction consumed input.
    var offsets: [String: Int64]?
    /// The transaction erased personal data (``HandlerContext/scrubAfterPublishing()``).
    var scrub = false

    /// Takes what the transaction produced and starts afresh.
    func take() -> (messages: [OutboxMessage], offsets: [String: Int64]?, scrub: Bool) {
        defer { reset() }
        return (messages, offsets, scrub)
    }

    func reset() {
        messages.removeAll(keepingCapacity: true)
        offsets = nil
        scrub = false
    }
}
