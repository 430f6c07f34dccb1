import OTContract
import Testing

@testable import OTCtl

@Suite("otctl's contract topics: every event type decodes on its topic", .timeLimit(.minutes(2)))
struct ContractTopicsTests {
    @Test("the example of every type of the contract decodes on its topic, as tail and send decode it")
    func everyType() throws {
        let examples = try ContractExamples.all()
        #expect(examples.count == ContractTopic.all.flatMap(\.eventTypes).count)
        for event in examples {
            let topic = try #require(ContractTopic.carrying(event.type)).topic.name
            #expect(ContractTopics.names.contains(topic))
            let payload = try ContractTopics.decode(event, on: topic)
            #expect(payload.map { type(of: $0).eventType } == event.type, "\(event.type) on \(topic)")
        }
    }
}
