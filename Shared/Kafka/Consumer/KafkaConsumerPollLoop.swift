import CRdKafka
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The consumer's polling thread: polls batches while the iterating task has asked for one, copies them out of
/// librdkafka, and turns rebalance callbacks into events.
///
/// - Important: Everything here except ``isClosing`` is confined to the polling thread (and, after that thread
///   has stopped, to the thread that closes the consumer), which is why the class is `@unchecked Sendable`.
final class KafkaConsumerPollLoop: @unchecked Sendable {
    private let rendezvous: KafkaConsumerRendezvous
    private let logger: Logger
    private let pollTimeout: Duration
    private let startOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])?
    private let closing = Atomic<Bool>(false)
    private let idleWakeUps = Atomic<Bool>(false)
    private var buffer: [UnsafeMutablePointer<rd_kafka_message_t>?]
    private var hasDemand = false
    private var revokedDuringPoll: Set<KafkaTopicPartition> = []
    /// Set once the client exists; the loop never runs before that.
    var client: RdKafkaClient!

    init(
        rendezvous: KafkaConsumerRendezvous, logger: Logger, maxBatchSize: Int, pollTimeout: Duration,
        startOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])?
    ) {
        self.rendezvous = rendezvous
        self.logger = logger
        self.pollTimeout = pollTimeout
        self.startOffsets = startOffsets
        self.buffer = Array(repeating: nil, count: max(1, maxBatchSize))
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    func beginClosing() { closing.store(true, ordering: .releasing) }

    /// Whether a poll that finds nothing delivers an empty batch (``KafkaConsumer/wakesWhenIdle``).
    var wakesWhenIdle: Bool {
        get { idleWakeUps.load(ordering: .relaxed) }
        set { idleWakeUps.store(newValue, ordering: .relaxed) }
    }

    /// One turn of the loop: wait for demand, poll a batch, deliver it.
    func pollOnce() {
        if rendezvous.isFinished || isClosing {
            _ = rendezvous.waitForDemand(timeout: pollTimeout)  // idle until stopped
            return
        }
        if !hasDemand {
            hasDemand = rendezvous.waitForDemand(timeout: pollTimeout)
            if !hasDemand { return }
        }
        let count = buffer.withUnsafeMutableBufferPointer {
            CRdKafka_consumer_poll_batch(client.handle, Int32(pollTimeout.milliseconds), $0.baseAddress, $0.count)
        }
        guard count > 0 else {
            if wakesWhenIdle, !rendezvous.isFinished, !isClosing {
                hasDemand = false
                rendezvous.deliver(.messages([]))
            }
            return
        }
        let messages = copyMessages(count: count)
        revokedDuringPoll.removeAll()
        if let fatal = client.fatalError {
            rendezvous.finish(.failure(fatal))
            return
        }
        guard !messages.isEmpty, hasDemand else { return }
        hasDemand = false
        rendezvous.deliver(.messages(messages))
    }

    /// Copies `count` polled messages into one buffer and releases them to librdkafka. Error messages are logged
    /// and left out; so are messages of partitions revoked during this poll (their new owner reads them again).
    private func copyMessages(count: Int) -> [KafkaConsumerMessage] {
        defer { buffer.withUnsafeMutableBufferPointer { CRdKafka_messages_destroy($0.baseAddress, count) } }
        // Every byte the copies take, headers' values too: a buffer reserved short grows to twice its size, a copy
        // of the whole batch, when the last messages' bytes are appended.
        // Each message's header list, parsed once (librdkafka keeps it with the message until it is destroyed) and
        // walked by index: asking for a header by index through the message, and once past the last, parsed and
        // looked the list up four times a message (1.7 % of `ot-registrations`' instructions).
        var total = 0
        var headerLists: [(list: OpaquePointer, count: Int)?] = []
        headerLists.reserveCapacity(count)
        var name: UnsafePointer<CChar>?
        var headerValue: UnsafeRawPointer?
        var headerLength = 0
        for index in 0..<count {
            let pointer = buffer[index]!
            total += pointer.pointee.len + pointer.pointee.key_len
            var list: OpaquePointer?
            guard rd_kafka_message_headers(pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                headerLists.append(nil)
                continue
            }
            let headerCount = rd_kafka_header_cnt(list)
            headerLists.append((list, headerCount))
            for headerIndex in 0..<headerCount
            where rd_kafka_header_get_all(list, headerIndex, &name, &headerValue, &headerLength)
                == RD_KAFKA_RESP_ERR_NO_ERROR
            {
                total += headerLength
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var headers: [KafkaConsumerBatchStorage.Header] = []
        var topics: [OpaquePointer: String] = [:]
        // A batch's messages mostly come from one topic, and carry the same header names: the last ones are asked
        // first (a dictionary lookup and a new string per message were about 0.4 % of `ot-registrations`).
        var lastTopic: (handle: OpaquePointer, name: String)?
        var lastHeaderName: (bytes: [CChar], name: String) = ([], "")
        var layouts: [(String, Int32, Int64, Int64?, Range<Int>?, Range<Int>?, Range<Int>)] = []
        layouts.reserveCapacity(count)
        for index in 0..<count {
            let pointer = buffer[index]!
            let message = pointer.pointee
            let topic: String
            if let rkt = message.rkt {
                if let last = lastTopic, last.handle == rkt {
                    topic = last.name
                } else if let known = topics[rkt] {
                    topic = known
                    lastTopic = (rkt, known)
                } else {
                    topic = String(cString: rd_kafka_topic_name(rkt))
                    topics[rkt] = topic
                    lastTopic = (rkt, topic)
                }
            } else {
                topic = ""
            }
            if message.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = KafkaError(.consumer, message.err, "consuming \(topic)[\(message.partition)]")
                logger.warning("consumer error", metadata: ["error": "\(error)"])
                continue
            }
            if !revokedDuringPoll.isEmpty,
                revokedDuringPoll.contains(KafkaTopicPartition(topic: topic, partition: message.partition))
            {
                continue
            }
            let key = append(message.key, message.key_len, to: &bytes)
            let value = append(message.payload, message.len, to: &bytes)
            let firstHeader = headers.count
            if let (list, headerCount) = headerLists[index] {
                for headerIndex in 0..<headerCount
                where rd_kafka_header_get_all(list, headerIndex, &name, &headerValue, &headerLength)
                    == RD_KAFKA_RESP_ERR_NO_ERROR
                {
                    headers.append(
                        .init(
                            name: name.map { headerName($0, last: &lastHeaderName) } ?? "",
                            value: append(UnsafeMutableRawPointer(mutating: headerValue), headerLength, to: &bytes)))
                }
            }
            var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
            layouts.append(
                (
                    topic, message.partition, message.offset,
                    timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp, key, value,
                    firstHeader..<headers.count
                ))
        }
        let storage = KafkaConsumerBatchStorage(bytes: bytes, headers: headers)
        return layouts.map {
            KafkaConsumerMessage(
                topic: $0.0, partition: $0.1, offset: $0.2, timestamp: $0.3, storage: storage, keyRange: $0.4,
                valueRange: $0.5, headerRange: $0.6)
        }
    }

    /// The header name at `pointer` as a string: `last`'s when it is the same text, else a new one, which becomes
    /// `last`.
    private func headerName(_ pointer: UnsafePointer<CChar>, last: inout (bytes: [CChar], name: String)) -> String {
        let length = strlen(pointer)
        if length == last.bytes.count, memcmp(pointer, last.bytes, length) == 0 { return last.name }
        let name = String(cString: pointer)
        last = (Array(UnsafeBufferPointer(start: pointer, count: length)), name)
        return name
    }

    private func append(_ pointer: UnsafeMutableRawPointer?, _ length: Int, to bytes: inout [UInt8]) -> Range<Int>? {
        guard let pointer else { return nil }
        let start = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        return start..<bytes.count
    }

    /// librdkafka's rebalance callback, on the polling thread, inside a poll (or inside close).
    func rebalance(_ kind: CRdKafka_rebalance_kind, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = RdKafkaTopicPartitionList.partitions(of: list)
        logger.info(
            "partitions \(kind == CRdKafka_rebalance_assign ? "assigned" : kind == CRdKafka_rebalance_lost ? "lost" : "revoked")",
            metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
        let event: KafkaConsumerEvent
        switch kind {
        case CRdKafka_rebalance_assign:
            revokedDuringPoll.subtract(partitions)
            event = .assigned(partitions)
        case CRdKafka_rebalance_lost:
            revokedDuringPoll.formUnion(partitions)
            event = .lost(partitions)
        default:
            revokedDuringPoll.formUnion(partitions)
            event = .revoked(partitions)
        }
        // librdkafka's cooperative protocol also calls back with empty lists; they change nothing.
        guard !partitions.isEmpty, !isClosing, !rendezvous.isFinished else { return }
        // Deliver, then wait until the task asks again: for a revocation that means it has finished and
        // committed its work for these partitions, and only then does librdkafka release them.
        while !hasDemand && !isClosing && !rendezvous.isFinished {
            hasDemand = rendezvous.waitForDemand(timeout: pollTimeout)
        }
        guard hasDemand, rendezvous.deliver(event) else { return }
        hasDemand = false
        while !hasDemand && !isClosing && !rendezvous.isFinished {
            hasDemand = rendezvous.waitForDemand(timeout: pollTimeout)
        }
        // Only now, with the assignment handled (a store restored, say), are the start offsets known.
        if kind == CRdKafka_rebalance_assign, let startOffsets, hasDemand {
            let offsets = startOffsets(partitions)
            let elements = UnsafeMutableBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt))
            for index in elements.indices {
                let partition = KafkaTopicPartition(
                    topic: String(cString: elements[index].topic), partition: elements[index].partition)
                if let offset = offsets[partition] { elements[index].offset = offset }
            }
        }
    }
}
