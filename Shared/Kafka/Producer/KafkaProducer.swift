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
        let deliveries = KafkaProducerDeliveries()
        let handler = RdKafkaCallbackHandler(
            logger: logger,
            onStatistics: configuration.onStatistics,
            onDelivery: { reports in deliveries.record(reports) }
        )
        let client = try RdKafkaClient(kind: .producer, properties: configuration.librdkafkaProperties, handler: handler)
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
        self.poller = RdKafkaPollThread(name: "kafka-producer-poll") {
            _ = CRdKafka_poll(client.handle, 100)
        }
    }

    deinit {
        poller.stop()
    }

    private static let enqueueChunkSize = 4096

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

    private func sendChunk(_ messages: ArraySlice<KafkaProducerMessage>) async throws(KafkaError) -> [KafkaDeliveryReport] {
        guard let batch = deliveries.register(topics: messages.map(\.topic)) else {
            throw KafkaError(.shutDown, "the producer is shut down; create a new one to send")
        }
        var next = messages.startIndex
        while next < messages.endIndex {
            let deliveredBefore = deliveries.deliveredCount
            // Bounded sub-chunks keep the copy per C call small when librdkafka's queue fills up.
            let end = min(next + Self.enqueueChunkSize, messages.endIndex)
            let (enqueued, error) = enqueue(messages[next..<end], batch: batch, firstIndex: next - messages.startIndex)
            deliveries.didEnqueue(enqueued)
            next += enqueued
            guard next < end else { continue }
            if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                await deliveries.waitForSpace(deliveredBefore: deliveredBefore)
            } else {
                let failure = KafkaError(.delivery, error, "cannot enqueue a message for topic \(messages[next].topic)")
                deliveries.fail(batch: batch, index: next - messages.startIndex, error: failure)
                next += 1
            }
        }
        return await deliveries.reports(of: batch)
    }

    /// Hands messages to librdkafka (which copies them), through one contiguous buffer that keeps every pointer
    /// valid for the duration of the call.
    private func enqueue(
        _ messages: ArraySlice<KafkaProducerMessage>, batch: UInt64, firstIndex: Int
    ) -> (Int, rd_kafka_resp_err_t) {
        var arena = KafkaProducerArena()
        var layouts: [KafkaProducerArena.MessageLayout] = []
        layouts.reserveCapacity(messages.count)
        for message in messages { layouts.append(arena.append(message)) }
        return arena.bytes.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress!
            let headers = arena.headers.map { header in
                CRdKafka_header(
                    name: UnsafeRawPointer(base + header.name).assumingMemoryBound(to: CChar.self),
                    value: header.value.map { UnsafeRawPointer(base + $0.lowerBound) },
                    value_length: header.value?.count ?? 0)
            }
            return headers.withUnsafeBufferPointer { headerBuffer in
                let cMessages = layouts.enumerated().map { offset, layout in
                    CRdKafka_message(
                        topic: UnsafeRawPointer(base + layout.topic).assumingMemoryBound(to: CChar.self),
                        partition: layout.partition ?? RD_KAFKA_PARTITION_UA,
                        key: layout.key.map { UnsafeRawPointer(base + $0.lowerBound) },
                        key_length: layout.key?.count ?? 0,
                        value: layout.value.map { UnsafeRawPointer(base + $0.lowerBound) },
                        value_length: layout.value?.count ?? 0,
                        headers: layout.headers.isEmpty ? nil : headerBuffer.baseAddress! + layout.headers.lowerBound,
                        header_count: layout.headers.count,
                        timestamp: layout.timestamp ?? 0,
                        opaque: KafkaProducerDeliveries.opaque(batch: batch, index: firstIndex + offset))
                }
                var error = RD_KAFKA_RESP_ERR_NO_ERROR
                let enqueued = cMessages.withUnsafeBufferPointer {
                    CRdKafka_produce_batch(client.handle, $0.baseAddress, $0.count, &error)
                }
                return (enqueued, error)
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
