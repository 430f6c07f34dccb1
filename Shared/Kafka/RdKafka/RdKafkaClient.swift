import CRdKafka
import Foundation
import Logging
import Synchronization

/// Owns one librdkafka handle (`rd_kafka_t`) and the Swift object its callbacks reach.
///
/// The one path from librdkafka into Swift: `CRdKafka_new` installs the C trampolines of the shim, which call
/// the `@convention(c)` functions below with an opaque pointer to this client's ``RdKafkaCallbackHandler``.
/// That handler is retained (`Unmanaged.passRetained`) before the handle exists and released in `deinit`,
/// after `CRdKafka_destroy` has returned, when no callback can run any more. The callbacks run on the thread
/// that polls the handle (see CRdKafka.h), never on librdkafka's internal threads.
final class RdKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer

        var rdKafka: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    /// The handle; valid for the client's lifetime. librdkafka's API on it is thread-safe.
    let handle: OpaquePointer
    let handler: RdKafkaCallbackHandler
    private let retainedHandler: Unmanaged<RdKafkaCallbackHandler>

    init(kind: Kind, properties: [String: String], handler: RdKafkaCallbackHandler) throws(KafkaError) {
        self.handler = handler
        let retained = Unmanaged.passRetained(handler)
        var callbacks = CRdKafka_callbacks(
            log: rdKafkaLogCallback,
            error: rdKafkaErrorCallback,
            statistics: rdKafkaStatisticsCallback,
            delivery: rdKafkaDeliveryCallback,
            rebalance: rdKafkaRebalanceCallback
        )
        let sorted = properties.sorted { $0.key < $1.key }
        var keys = sorted.map { strdup($0.key) }
        var values = sorted.map { strdup($0.value) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var errorText = [CChar](repeating: 0, count: 512)
        let created: OpaquePointer? = keys.withUnsafeMutableBufferPointer { keyBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                keyBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: keyBuffer.count) {
                    keyPointers in
                    valueBuffer.baseAddress!.withMemoryRebound(
                        to: UnsafePointer<CChar>?.self, capacity: valueBuffer.count
                    ) { valuePointers in
                        CRdKafka_new(
                            kind.rdKafka, keyPointers, valuePointers, sorted.count, &callbacks,
                            retained.toOpaque(), &errorText, errorText.count)
                    }
                }
            }
        }
        guard let created else {
            retained.release()
            let text = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(.configuration, "cannot create the \(kind) client: \(text); check the configuration")
        }
        self.handle = created
        self.retainedHandler = retained
    }

    deinit {
        for topic in topics.withLock({ $0.values }) { rd_kafka_topic_destroy(topic) }
        CRdKafka_destroy(handle)
        retainedHandler.release()
    }

    /// Topic handles by name, created on first use and destroyed before the client.
    private let topics = Mutex<[String: OpaquePointer]>([:])

    /// The client's handle for `topic` (`rd_kafka_topic_t`), valid for the client's lifetime. Creating it makes
    /// librdkafka ask for the topic's metadata at once.
    func topicHandle(_ topic: String) throws(KafkaError) -> OpaquePointer {
        try topicHandleResult(topic).get()
    }

    /// ``topicHandle(_:)`` as a `Result`, for closures that cannot throw.
    func topicHandleResult(_ topic: String) -> Result<OpaquePointer, KafkaError> {
        topics.withLock { topics in
            if let existing = topics[topic] { return .success(existing) }
            guard let created = rd_kafka_topic_new(handle, topic, nil) else {
                return .failure(KafkaError(.delivery, rd_kafka_last_error(), "cannot use topic \(topic)"))
            }
            topics[topic] = created
            return .success(created)
        }
    }

    /// librdkafka's fatal error, if the client has one (for example a fenced idempotent producer).
    var fatalError: KafkaError? {
        var text = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &text, text.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return KafkaError(.fatal, code: .init(code), "\(message); the client must be recreated")
    }
}

/// The Swift side of a handle's callbacks. Every member is set at creation and called on the polling thread.
final class RdKafkaCallbackHandler: Sendable {
    let logger: Logger
    let onStatistics: (@Sendable (KafkaStatistics) -> Void)?
    let onDelivery: (@Sendable (UnsafeBufferPointer<CRdKafka_delivery_report>) -> Void)?
    let onRebalance:
        (@Sendable (CRdKafka_rebalance_kind, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)?
    let onError: (@Sendable (KafkaError) -> Void)?

    init(
        logger: Logger,
        onStatistics: (@Sendable (KafkaStatistics) -> Void)? = nil,
        onDelivery: (@Sendable (UnsafeBufferPointer<CRdKafka_delivery_report>) -> Void)? = nil,
        onRebalance: (
            @Sendable (CRdKafka_rebalance_kind, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void
        )? =
            nil,
        onError: (@Sendable (KafkaError) -> Void)? = nil
    ) {
        self.logger = logger
        self.onStatistics = onStatistics
        self.onDelivery = onDelivery
        self.onRebalance = onRebalance
        self.onError = onError
    }

    fileprivate static func from(_ context: UnsafeMutableRawPointer?) -> RdKafkaCallbackHandler {
        Unmanaged<RdKafkaCallbackHandler>.fromOpaque(context!).takeUnretainedValue()
    }
}

private func rdKafkaLogCallback(
    _ context: UnsafeMutableRawPointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?,
    _ message: UnsafePointer<CChar>?
) {
    let handler = RdKafkaCallbackHandler.from(context)
    // syslog levels: 0 emergency ... 7 debug
    let swiftLevel: Logger.Level =
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    let facilityText = facility.map { String(cString: $0) } ?? "?"
    handler.logger.log(
        level: swiftLevel, "\(message.map { String(cString: $0) } ?? "")",
        metadata: ["librdkafka.facility": "\(facilityText)"])
}

private func rdKafkaErrorCallback(_ context: UnsafeMutableRawPointer?, _ error: Int32, _ reason: UnsafePointer<CChar>?)
{
    let handler = RdKafkaCallbackHandler.from(context)
    let code = KafkaError.Code(rawValue: error)
    let text = reason.map { String(cString: $0) } ?? code.text
    let kind: KafkaError.Kind = code == .fatal ? .fatal : .consumer
    let kafkaError = KafkaError(kind, code: code, text)
    // Most errors librdkafka reports here are transient (a broker went away); it retries by itself.
    handler.logger.log(
        level: code == .fatal ? .critical : .warning, "librdkafka reported an error",
        metadata: ["error.code": "\(code.name)", "error.reason": "\(text)"])
    handler.onError?(kafkaError)
}

private func rdKafkaStatisticsCallback(
    _ context: UnsafeMutableRawPointer?, _ json: UnsafePointer<CChar>?, _ length: Int
) {
    let handler = RdKafkaCallbackHandler.from(context)
    guard let json, let onStatistics = handler.onStatistics else { return }
    let bytes = UnsafeRawBufferPointer(start: json, count: length)
    onStatistics(KafkaStatistics(json: Array(bytes)))
}

private func rdKafkaDeliveryCallback(
    _ context: UnsafeMutableRawPointer?, _ reports: UnsafePointer<CRdKafka_delivery_report>?, _ count: Int
) {
    let handler = RdKafkaCallbackHandler.from(context)
    handler.onDelivery?(UnsafeBufferPointer(start: reports, count: count))
}

private func rdKafkaRebalanceCallback(
    _ context: UnsafeMutableRawPointer?, _ kind: CRdKafka_rebalance_kind,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
) {
    let handler = RdKafkaCallbackHandler.from(context)
    guard let partitions else { return }
    handler.onRebalance?(kind, partitions)
}
