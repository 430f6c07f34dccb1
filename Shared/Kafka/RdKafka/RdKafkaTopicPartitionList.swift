import CRdKafka

/// Owns one `rd_kafka_topic_partition_list_t`, created in `init` and destroyed in `deinit`.
final class RdKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 8) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
    }

    convenience init(_ partitions: some Collection<KafkaTopicPartition>) {
        self.init(capacity: partitions.count)
        for partition in partitions { add(partition, offset: nil) }
    }

    convenience init(_ offsets: some Collection<KafkaTopicPartitionOffset>) {
        self.init(capacity: offsets.count)
        for position in offsets { add(position.topicPartition, offset: position.offset) }
    }

    deinit { rd_kafka_topic_partition_list_destroy(pointer) }

    func add(_ partition: KafkaTopicPartition, offset: Int64?) {
        let element = rd_kafka_topic_partition_list_add(pointer, partition.topic, partition.partition)!
        if let offset { element.pointee.offset = offset }
    }

    /// The first error set on an element by librdkafka, with the element it belongs to.
    var firstError: (KafkaTopicPartition, rd_kafka_resp_err_t)? {
        Self.elements(of: pointer).lazy.compactMap { element in
            element.err == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil
                : (
                    KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                    element.err
                )
        }.first
    }

    /// Reads the elements of a list that librdkafka owns.
    static func elements(
        of list: UnsafePointer<rd_kafka_topic_partition_list_t>
    ) -> UnsafeBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt))
    }

    static func partitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        elements(of: list).map { KafkaTopicPartition(topic: String(cString: $0.topic), partition: $0.partition) }
    }
}
