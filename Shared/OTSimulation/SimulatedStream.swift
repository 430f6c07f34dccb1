import Kafka
import OTContract

/// What a ``CohortSimulation`` generated: the events in date order, the youths, and a summary.
public struct SimulatedStream: Sendable {
    /// Every event and command, in date order; a youth's own events in causal order.
    public var events: [SimulatedEvent]
    /// The youths, by ``SimulatedYouth/index``.
    public var youths: [SimulatedYouth]
    /// Counts: events by type and topic, the trigger mix, youths by county.
    public var summary: SimulationSummary

    /// Every event as a message to produce, in order (see ``SimulatedEvent/message``).
    public var messages: [KafkaProducerMessage] { events.map(\.message) }

    /// The stream cut into waves, for publishing to a service that consumes several of its topics: in each wave,
    /// each youth's events are all on one topic.
    ///
    /// A service does not order its input topics with each other: a case worker's command published together with
    /// the upstream trigger it follows may be processed first, and rejected ("the youth has no open registration").
    /// Published wave by wave, and each wave processed before the next is published, every youth's events are
    /// processed in their order. A youth's next wave starts where their events change topic, so there are few
    /// waves (three: person and trigger; the case workers' commands; a re-enrollment), each in date order.
    public var waves: [[SimulatedEvent]] {
        var waves: [[SimulatedEvent]] = []
        var current: [Int: (wave: Int, topic: Topic)] = [:]
        for event in events {
            var wave = 0
            if let (previousWave, topic) = current[event.youth] {
                wave = topic == event.topic ? previousWave : previousWave + 1
            }
            current[event.youth] = (wave, event.topic)
            if wave == waves.count { waves.append([]) }
            waves[wave].append(event)
        }
        return waves
    }

    /// The fullest partition's bytes (keys and structured-JSON values) when the stream is produced with the
    /// `murmur2_random` partitioner to topics of `partitionCount` partitions.
    ///
    /// The embedded broker keeps at most 5 MiB per partition and silently drops older messages
    /// (docs/broker.md): check this before publishing a large stream to it.
    public func largestPartition(
        partitionCount: Int32 = Topic.defaultPartitionCount
    ) -> (topic: String, partition: Int32, bytes: Int)? {
        guard partitionCount > 0 else { return nil }
        var bytes: [String: [Int]] = [:]
        for event in events {
            let key = Array(event.key.utf8)
            let partition = Int(KafkaPartitioner.murmur2Partition(of: key, partitionCount: partitionCount))
            bytes[event.topic.name, default: Array(repeating: 0, count: Int(partitionCount))][partition] +=
                key.count + Self.structuredSize(of: event.event)
        }
        var largest: (topic: String, partition: Int32, bytes: Int)?
        for (topic, partitions) in bytes.sorted(by: { $0.key < $1.key }) {
            for (partition, size) in partitions.enumerated() where size > largest?.bytes ?? 0 {
                largest = (topic, Int32(partition), size)
            }
        }
        return largest
    }

    /// The size of an event's structured JSON without writing it: attribute names and punctuation, the attributes,
    /// the data (the simulation's values need no escapes).
    static func structuredSize(of event: CloudEvent) -> Int {
        let frame = #"{"specversion":"1.0","id":"","source":"","type":"","time":"","datacontenttype":"","data":}"#
        var size = frame.utf8.count + event.id.utf8.count + event.source.utf8.count + event.type.utf8.count
        size += event.timeStamp.rfc3339.utf8.count + event.dataContentType.utf8.count + (event.data?.count ?? 4)
        if let correlationID = event.correlationID {
            size += #","correlationid":"""#.utf8.count + correlationID.utf8.count
        }
        // Extension attributes (a command's actor): `,"name":` and the value's JSON.
        for (name, value) in event.extensions {
            size += name.utf8.count + 4 + value.description.utf8.count
        }
        return size
    }
}
