import Kafka
import OTContract

/// What a run of the pipeline published, in the form two runs are compared by: every registration event and reply
/// (id, type, subject, correlation and data, but not the processing time), and the statistics topic as a reader of
/// a compacted topic sees it (the last record per key, its data).
struct PipelineOutputs: Equatable {
    /// One published event.
    struct Event: Hashable, Comparable, CustomStringConvertible {
        var id: String
        var type: String
        var subject: String
        var correlation: String
        var data: String

        init(_ message: KafkaConsumerMessage) throws {
            let event = try CloudEvent.decode(
                value: message.value, headers: message.headers.map { ($0.name, $0.value) })
            id = event.id
            type = event.type
            subject = event.subject ?? ""
            correlation = event.correlationID ?? ""
            data = event.data.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.id, lhs.data) < (rhs.id, rhs.data) }
        var description: String { "\(type) \(id) \(subject) \(data)" }
    }

    /// Every event on `ot.registrations.v1`, sorted by id.
    var registrations: [Event]
    /// Every reply on `ot.replies.v1`, sorted by id.
    var replies: [Event]
    /// The data of the last record of each key of `ot.statistics.v1`.
    var statistics: [String: String]
    /// Messages on the two services' dead-letter topics.
    var deadLetters: Int64

    init(
        registrations: [KafkaConsumerMessage], replies: [KafkaConsumerMessage], statistics: [KafkaConsumerMessage],
        deadLetters: Int64
    ) throws {
        self.registrations = try registrations.map(Event.init).sorted()
        self.replies = try replies.map(Event.init).sorted()
        var latest: [String: String] = [:]
        // Each key lives on one partition, where the log's order is the order of publication.
        for message in statistics {
            latest[message.keyString ?? ""] = try message.value == nil ? nil : Event(message).data
        }
        self.statistics = latest
        self.deadLetters = deadLetters
    }

    /// Ids that occur more than once among the events of `events`.
    static func repeatedIDs(_ events: [Event]) -> [String] {
        Dictionary(grouping: events, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
    }

    /// The events of `events` that `other` does not hold (as many times), for a readable failure.
    static func missing(_ events: [Event], from other: [Event]) -> [Event] {
        var counts = Dictionary(other.map { ($0, 1) }, uniquingKeysWith: +)
        var missing: [Event] = []
        for event in events {
            if let count = counts[event], count > 0 { counts[event] = count - 1 } else { missing.append(event) }
        }
        return missing
    }
}
