import Testing

@testable import OTRuntime

/// What a store committed and the relay has not published, in commit order, with when its oldest output was
/// committed (the start of `ot_outbox_publish_delay_seconds`).
@Suite("Unpublished: what waits for the relay, and since when", .timeLimit(.minutes(2)))
struct UnpublishedTests {
    static func message(_ id: String) -> OutboxMessage {
        OutboxMessage(
            outboxID: id, topic: "out", partition: 0, key: nil, value: Array(id.utf8), headers: [], encodedHeaders: [])
    }

    @Test("a round put back goes before what came since, and the outputs' wait runs from the older commit")
    func putBackKeepsTheOlderCommit() throws {
        var waiting = Unpublished()
        waiting.append(records: [], messages: [Self.message("a")], offsets: nil, scrub: false)
        let first = try #require(waiting.messagesSince)
        // The relay takes it all for a round; a later transaction commits meanwhile.
        let taken = waiting
        waiting = Unpublished()
        waiting.append(records: [], messages: [Self.message("b")], offsets: nil, scrub: false)
        waiting.messagesSince = first.advanced(by: .milliseconds(5))  // committed later, whatever the clock's grain
        // The round could not publish: what it took goes back first.
        waiting.putBack(taken)
        #expect(waiting.messages.map(\.outboxID) == ["a", "b"])
        #expect(waiting.messagesSince == first)
    }

    @Test("records alone start no wait; the first output does, and a later one does not move it")
    func sinceTheFirstOutput() throws {
        var waiting = Unpublished()
        waiting.append(records: [], messages: [], offsets: ["in/0": 1], scrub: false)
        #expect(waiting.messagesSince == nil)
        waiting.append(records: [], messages: [Self.message("a")], offsets: nil, scrub: false)
        let first = try #require(waiting.messagesSince)
        waiting.append(records: [], messages: [Self.message("b")], offsets: nil, scrub: false)
        #expect(waiting.messagesSince == first)
    }
}
