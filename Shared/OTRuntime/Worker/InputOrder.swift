import Kafka

/// The order a partition group's messages are processed in: each topic's messages in their offset order, and the
/// topics interleaved by the messages' timestamps, as they were published.
///
/// A batch holds a partition's messages of each input topic as librdkafka fetched them: a run of one topic, then a
/// run of another. Processed so, a service that reads two topics of a partition (ot-followup-plans: registration
/// events and case workers' commands) would, when catching up on a backlog, take every registration event of the run
/// before a command published before them, and decide them otherwise than live, where the command came first.
/// Merged by their timestamps (the time each was published, as the producer set it), a group's messages are handled
/// in the order they were published, whatever the fetches made of them. Within a topic the offset order stays, even
/// where the timestamps disagree; equal timestamps keep the batch's order. Backlogs longer than a batch still come
/// topic by topic across batches (docs/runtime.md, "Order of a partition's topics").
enum InputOrder {
    /// `messages` (one partition's, in batch order), each topic's kept in order and the topics merged by timestamp;
    /// `messages` itself when they are of one topic.
    static func merged(_ messages: [KafkaConsumerMessage]) -> [KafkaConsumerMessage] {
        guard let first = messages.first?.topic, messages.contains(where: { $0.topic != first }) else {
            return messages
        }
        // Each topic's positions in the batch, in order; a service reads two or three topics.
        var topics: [String] = []
        var queues: [[Int]] = []
        for (index, message) in messages.enumerated() {
            if let topic = topics.firstIndex(of: message.topic) {
                queues[topic].append(index)
            } else {
                topics.append(message.topic)
                queues.append([index])
            }
        }
        var heads = [Int](repeating: 0, count: queues.count)
        // A message without a timestamp goes with the one before it in its topic.
        var lastTimestamps = [Int64](repeating: .min, count: queues.count)
        func timestamp(of queue: Int) -> Int64 {
            messages[queues[queue][heads[queue]]].timestamp ?? lastTimestamps[queue]
        }
        var merged: [KafkaConsumerMessage] = []
        merged.reserveCapacity(messages.count)
        while merged.count < messages.count {
            var next = -1
            for queue in queues.indices where heads[queue] < queues[queue].count {
                guard next >= 0 else {
                    next = queue
                    continue
                }
                let (time, nextTime) = (timestamp(of: queue), timestamp(of: next))
                if time < nextTime || (time == nextTime && queues[queue][heads[queue]] < queues[next][heads[next]]) {
                    next = queue
                }
            }
            lastTimestamps[next] = timestamp(of: next)
            merged.append(messages[queues[next][heads[next]]])
            heads[next] += 1
        }
        return merged
    }
}
