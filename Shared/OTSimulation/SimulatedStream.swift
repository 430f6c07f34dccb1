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

    /// The fullest partition's bytes (keys and values) when the stream is produced with the `murmur2_random`
    /// partitioner to topics of `partitionCount` partitions.
    ///
    /// The embedded broker keeps at most 5 MiB per partition and silently drops older messages
    /// (docs/broker.md): check this before publishing a large stream to it.
    public func largestPartition(
        partitionCount: Int32 = Topic.defaultPartitionCount
    ) -> (topic: String, partition: Int32, bytes: Int)? {
        var bytes: [KafkaTopicPartition: Int] = [:]
        for event in events {
            let key = Array(event.key.utf8)
            let partition = KafkaPartitioner.murmur2Partition(of: key, partitionCount: partitionCount)
            bytes[KafkaTopicPartition(topic: event.topic.name, partition: partition), default: 0] +=
                key.count + event.event.structuredJSON().count
        }
        return bytes.max { $0.value < $1.value }.map { ($0.key.topic, $0.key.partition, $0.value) }
    }
}
