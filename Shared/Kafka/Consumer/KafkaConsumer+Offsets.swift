import CRdKafka

extension KafkaConsumer {
    /// The low and high watermarks of a partition, asked of its leader: the first offset kept and the offset the
    /// next message will get.
    public func watermarks(
        of partition: KafkaTopicPartition, timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let client = self.client
        let result: Result<(Int64, Int64), KafkaError> = await runBlocking {
            var low: Int64 = -1
            var high: Int64 = -1
            let error = rd_kafka_query_watermark_offsets(
                client.handle, partition.topic, partition.partition, &low, &high, Int32(clamping: timeout.milliseconds))
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(.consumer, error, "cannot read the watermarks of \(partition)"))
            }
            return .success((low, high))
        }
        return try result.get()
    }
}

extension KafkaConsumer {
    /// The high watermark of a partition as the last fetch response told it (no request to the broker), or `nil`
    /// while none has arrived.
    public func cachedHighWatermark(of partition: KafkaTopicPartition) -> Int64? {
        var low: Int64 = -1
        var high: Int64 = -1
        let error = rd_kafka_get_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return high
    }
}
