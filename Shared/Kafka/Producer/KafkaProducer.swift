import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Produces messages and reports, for each, whether the broker acknowledged it.
///
/// Idempotent by default (see ``KafkaProducerConfiguration``): retries after broker errors neither duplicate nor
/// reorder messages within a partition. ``send(_:)-(KafkaProducerMessage)`` returns after the delivery report; the batch
/// variant enqueues many messages in one call into librdkafka and returns all their reports.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(kafka: .fromEnvironment()), logger: logger)
/// let report = try await producer.send(KafkaProducerMessage(topic: "t", key: "k", value: "v"))
/// await producer.shutdown()
/// ```
///
/// As a swift-service-lifecycle ``Service``, it runs until graceful shutdown, then flushes and closes.
public final class KafkaProducer: Sendable {
    private let client: RdKafkaClient
    private let deliveries: KafkaProducerDeliveries
    private let poller: RdKafkaPollThread
    private let logger: Logger

    /// Creates a producer and starts its polling thread.
    ///
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/configuration`` when a property is invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let deliveries = KafkaProducerDeliveries(queueCapacity: configuration.queueCapacity)
        let handler = RdKafkaCallbackHandler(
            logger: logger,
            onStatistics: configuration.onStatistics,
            onDelivery: { reports in deliveries.record(reports) }
        )
        let client = try RdKafkaClient(
            kind: .producer, properties: configuration.librdkafkaProperties, handler: handler)
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
        self.poller = RdKafkaPollThread(name: "kafka-producer") {
            _ = CRdKafka_poll(client.handle, 100)
        }
    }

    deinit {
        poller.stop()
    }

    /// Sends one message and waits for its delivery report.
    ///
    /// - Returns: The report, with the partition and offset the message got.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/delivery`` when the message was not delivered, or
    ///   ``KafkaError/Kind/shutDown`` after ``shutdown(timeout:)``.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let report = try await send([message])[0]
        if let error = report.error { throw error }
        return report
    }

    /// Sends messages in order and waits for all their delivery reports.
    ///
    /// Messages cross into librdkafka in one call per chunk; when librdkafka's queue is full the call waits for
    /// deliveries to make room. A message that cannot be enqueued or delivered gets a report with its error;
    /// the others go on.
    ///
    /// - Returns: One report per message, in the order of `messages`.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/shutDown`` after ``shutdown(timeout:)``.
    public func send(_ messages: [KafkaProducerMessage]) async throws(KafkaError) -> [KafkaDeliveryReport] {
        guard messages.count > KafkaProducerDeliveries.maxBatchSize else { return try await sendChunk(messages[...]) }
        var reports: [KafkaDeliveryReport] = []
        reports.reserveCapacity(messages.count)
        var start = 0
        while start < messages.count {
            let end = min(start + KafkaProducerDeliveries.maxBatchSize, messages.count)
            reports += try await sendChunk(messages[start..<end])
            start = end
        }
        return reports
    }

    /// Sends messages in order and waits until all are delivered.
    ///
    /// - Throws: The first message's ``KafkaError`` that was not delivered (the others may have been), or
    ///   ``KafkaError/Kind/shutDown`` after ``shutdown(timeout:)``.
    public func sendAll(_ messages: [KafkaProducerMessage]) async throws(KafkaError) {
        if let error = try await send(messages).lazy.compactMap(\.error).first { throw error }
    }

    private func sendChunk(_ messages: ArraySlice<KafkaProducerMessage>) async throws(KafkaError)
        -> [KafkaDeliveryReport]
    {
        guard let batch = deliveries.register(count: messages.count) else {
            throw KafkaError(.shutDown, "the producer is shut down; create a new one to send")
        }
        var next = 0
        while next < messages.count {
            // Enqueue until librdkafka's queue is full, then wait for deliveries to make room and go on from there.
            next = messages.withUnsafeBufferPointer { enqueue($0, from: next, batch: batch) }
            if next < messages.count { await deliveries.waitForSpace() }
        }
        return await deliveries.reports(of: batch, topics: messages)
    }

    /// Hands messages to librdkafka from index `start` on, read in place (a message copied out of the array costs a
    /// retain and release of each of its buffers); returns the index of the first one not enqueued because the queue
    /// is full, or the count when all went in. A message that cannot be enqueued otherwise gets its error report.
    ///
    /// Consecutive messages of one topic without headers or timestamps go in runs, each in one call
    /// (``CMessageRun``); the others one by one.
    private func enqueue(
        _ messages: UnsafeBufferPointer<KafkaProducerMessage>, from start: Int, batch: UInt64
    ) -> Int {
        var enqueuedSinceCount = 0
        defer { deliveries.didEnqueue(enqueuedSinceCount) }
        // A message without a timestamp is stamped now, once for the run: librdkafka otherwise reads the wall clock
        // for every message (a third of a per cent of `ot-registrations`' samples).
        let now = Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down))
        var lastTopic: (name: String, handle: OpaquePointer)?
        var headers = CHeaderBuffer()
        var run = CMessageRun()
        /// Counts a message enqueued, or reports why it was not; `false` when the queue is full.
        func note(_ error: rd_kafka_resp_err_t, of index: Int) -> Bool {
            switch error {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                enqueuedSinceCount += 1
                // Keep the outstanding count current often enough for flush and space waits to see it.
                if enqueuedSinceCount >= 1_024 {
                    deliveries.didEnqueue(enqueuedSinceCount)
                    enqueuedSinceCount = 0
                }
            case RD_KAFKA_RESP_ERR__QUEUE_FULL:
                return false
            default:
                deliveries.fail(
                    batch: batch, index: index,
                    error: KafkaError(.delivery, error, "cannot enqueue a message for topic \(messages[index].topic)"))
            }
            return true
        }
        var index = start
        while index < messages.count {
            // Consecutive messages nearly always share a topic: skip the handle cache's lock for them.
            let topic: OpaquePointer
            if let lastTopic, lastTopic.name == messages[index].topic {
                topic = lastTopic.handle
            } else {
                switch client.topicHandleResult(messages[index].topic) {
                case .success(let handle):
                    topic = handle
                    lastTopic = (messages[index].topic, handle)
                case .failure(let error):
                    deliveries.fail(batch: batch, index: index, error: error)
                    index += 1
                    continue
                }
            }
            if CMessageRun.fits(messages[index]) {
                let end = CMessageRun.end(of: index, in: messages)
                let errors = run.enqueue(messages, index..<end, topic: topic) {
                    KafkaProducerDeliveries.opaque(batch: batch, index: $0)
                }
                // Once the queue is full, no later message of the run went in.
                for (offset, error) in errors.enumerated() {
                    if !note(error, of: index + offset) { return index + offset }
                }
                index = end
                continue
            }
            let error = Self.enqueue(
                messages, index, topic: topic, headers: headers.load(messages[index].headers),
                opaque: KafkaProducerDeliveries.opaque(batch: batch, index: index),
                timestamp: messages[index].timestamp ?? now, client: client)
            if !note(error, of: index) { return index }
            index += 1
        }
        return messages.count
    }

    private static func enqueue(
        _ messages: UnsafeBufferPointer<KafkaProducerMessage>, _ index: Int, topic: OpaquePointer,
        headers: (headers: UnsafePointer<CRdKafka_header>?, count: Int), opaque: UInt64, timestamp: Int64,
        client: RdKafkaClient
    ) -> rd_kafka_resp_err_t {
        withOptionalBytes(messages[index].keyBytes) { key in
            withOptionalBytes(messages[index].valueBytes) { value in
                var cMessage = CRdKafka_message(
                    topic: topic, partition: messages[index].partition ?? RD_KAFKA_PARTITION_UA,
                    key: key.baseAddress, key_length: key.count, value: value.baseAddress,
                    value_length: value.count, headers: headers.headers, header_count: headers.count,
                    timestamp: timestamp, opaque: opaque)
                var error = RD_KAFKA_RESP_ERR_NO_ERROR
                _ = CRdKafka_produce_batch(client.handle, &cMessage, 1, &error)
                return error
            }
        }
    }

    /// The number of messages enqueued whose delivery reports have not arrived yet.
    public var outstandingCount: Int { deliveries.outstanding }

    /// Waits until every enqueued message has its delivery report.
    ///
    /// - Throws: ``KafkaError`` with code ``KafkaError/Code/timedOut`` when `timeout` passes first.
    public func flush(timeout: Duration) async throws(KafkaError) {
        guard await deliveries.waitUntilDrained(timeout: timeout) else {
            throw KafkaError(
                .delivery, code: .timedOut,
                "\(deliveries.outstanding) messages still undelivered after \(timeout); the brokers may be unreachable")
        }
    }

    /// Stops accepting messages, waits up to `timeout` for outstanding deliveries, and stops polling.
    /// Messages still undelivered then are reported as failed when the producer is destroyed.
    public func shutdown(timeout: Duration = .seconds(30)) async {
        deliveries.close()
        do {
            try await flush(timeout: timeout)
        } catch {
            logger.warning("producer shut down with messages undelivered", metadata: ["error": "\(error)"])
        }
        poller.stop()
    }

    /// librdkafka's fatal error, if the producer has one (an idempotent producer that lost its sequence).
    public var fatalError: KafkaError? { client.fatalError }
}

extension KafkaProducer: Service {
    /// Runs until graceful shutdown (or cancellation), then flushes and closes the producer.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}

/// Calls `body` with the bytes of `bytes`, or an empty buffer without a base address for `nil`: librdkafka takes a
/// null pointer for no key or value (a tombstone), so empty bytes get an address, whatever their storage gives.
private func withOptionalBytes<R>(_ bytes: ArraySlice<UInt8>?, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    guard let bytes else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return bytes.withUnsafeBytes { buffer in
        guard buffer.baseAddress == nil else { return body(buffer) }
        return withUnsafeBytes(of: UInt8(0)) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) }
    }
}
