import Foundation
import Kafka
import OTContract

/// A service's dead-letter topic as an operator sees it: the dead letters it holds, and chosen ones published again
/// to the partition they came from.
///
/// Publishing again is safe to repeat: the services de-duplicate by CloudEvents id, so an event they processed
/// (its first replay) has no effect the second time. Reads by assigning partitions, never joining a consumer group.
struct DeadLetterQueue: Sendable {
    /// The brokers and client settings.
    let kafka: KafkaConfiguration
    /// The dead-letter topic, `<service>.dlq.v1`.
    let topic: String

    /// The dead-letter topic of `service`: `ot-registrations` and `registrations` both name
    /// `ot-registrations.dlq.v1`; a name that is no service of the system is taken as it is (`<name>.dlq.v1`).
    static func topic(ofService service: String) -> String {
        if service.hasSuffix(".dlq.v1") { return service }
        guard let known = ServiceName(rawValue: service) ?? ServiceName(rawValue: "ot-" + service) else {
            return "\(service).dlq.v1"
        }
        return Topic.deadLetters(of: known).name
    }

    /// Every dead letter the topic holds now, oldest first (by the time it was dead-lettered, then by position).
    /// - Throws: ``OTCtlError`` when the topic does not exist or cannot be read to its end.
    func read() async throws -> [DeadLetter] {
        let cluster = try ClusterReader(kafka: kafka)
        let messages: [KafkaConsumerMessage]
        do {
            messages = try await cluster.readToEnd(topic)
        } catch {
            await cluster.close()
            throw error
        }
        await cluster.close()
        return messages.map(DeadLetter.init).sorted {
            ($0.timestamp ?? 0, $0.position) < ($1.timestamp ?? 0, $1.position)
        }
    }

    /// The dead letters at `positions`, in the order of `letters`.
    /// - Throws: ``OTCtlError`` naming each position that holds no dead letter.
    func select(_ positions: [DeadLetterPosition], from letters: [DeadLetter]) throws -> [DeadLetter] {
        let wanted = Set(positions)
        let found = letters.filter { wanted.contains($0.position) }
        let missing = wanted.subtracting(found.map(\.position)).sorted()
        guard missing.isEmpty else {
            throw OTCtlError(
                "no dead letter at \(missing.map(\.description).joined(separator: ", ")) in \(topic) "
                    + "(it holds \(letters.count); `otctl dlq list` shows them as partition@offset)")
        }
        return found
    }

    /// Publishes `letters` again, in order, each with its original key, value and headers, to the partition of
    /// its source topic it was consumed from (an explicit partition: a producer that chose by key with another
    /// partitioner than the system's could choose another one). Every message is checked before any is sent.
    ///
    /// - Parameters:
    ///   - letters: The dead letters to publish again.
    ///   - dryRun: Print what would be sent, send nothing.
    ///   - report: Called with one line per dead letter, national IDs masked.
    /// - Returns: How many were sent (none on a dry run).
    /// - Throws: ``OTCtlError`` when a dead letter names no source, its source partition does not exist, or a
    ///   message was not delivered (after reporting those that were).
    @discardableResult
    func replay(_ letters: [DeadLetter], dryRun: Bool, report: (String) -> Void) async throws -> Int {
        let messages = try letters.map { try $0.replayMessage() }
        try await checkPartitions(of: messages)
        guard !dryRun else {
            for letter in letters { report(Self.line("would send", letter, to: letter.source)) }
            return 0
        }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: otctlLogger)
        let reports: [KafkaDeliveryReport]
        do {
            reports = try await producer.send(messages)
        } catch {
            await producer.shutdown(timeout: .seconds(5))
            throw OTCtlError("not sent: \(error)")
        }
        await producer.shutdown()
        var failures = 0
        for (letter, delivery) in zip(letters, reports) {
            if let error = delivery.error {
                failures += 1
                report(Self.line("NOT sent", letter, to: "\(delivery.topic): \(error)"))
            } else {
                report(
                    Self.line(
                        "sent", letter,
                        to: "\(delivery.topic) p\(delivery.partition)@\(delivery.offset) "
                            + "(dead-lettered at offset \(letter.sourceOffset.map(String.init) ?? "?"))"))
            }
        }
        guard failures == 0 else {
            throw OTCtlError(
                "\(failures) of \(letters.count) dead letters were not sent; run the replay of those again")
        }
        return letters.count
    }

    /// Checks that every message's partition exists on its topic.
    private func checkPartitions(of messages: [KafkaProducerMessage]) async throws {
        let cluster = try ClusterReader(kafka: kafka)
        do {
            for message in messages {
                let partitions = try await cluster.partitions(of: message.topic)
                guard let partition = message.partition, partitions.contains(partition) else {
                    throw OTCtlError(
                        "\(message.topic) has no partition \(message.partition.map(String.init) ?? "-") "
                            + "(it has \(partitions.count)): nothing was sent")
                }
            }
        } catch {
            await cluster.close()
            throw error
        }
        await cluster.close()
    }

    /// `sent 3@17 to vigo.enrollment.v1 p3@1240 (…)  no.vigo.person.updated 9948d949-…  key 018208*****`
    private static func line(_ verb: String, _ letter: DeadLetter, to target: String) -> String {
        let what = letter.event.map { "\($0.type) \($0.id)" } ?? "(not a CloudEvent)"
        let key = letter.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
        return Masking.maskNationalIDs(in: "\(verb) \(letter.position) to \(target)  \(what)  key \(key)")
    }

    /// The instant `text` names: an RFC 3339 instant (`2026-12-01T08:00:00Z`), or a time before `now` (`90m`,
    /// `6h`, `7d`, `30s`).
    /// - Throws: ``OTCtlError`` for anything else.
    static func instant(_ text: String, now: Date = Date()) throws -> Date {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        if let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count >= 0 {
            return now.addingTimeInterval(-Double(count) * unit)
        }
        guard let timestamp = try? Timestamp(rfc3339: text) else {
            throw OTCtlError(
                "--since must be an RFC 3339 instant such as 2026-12-01T08:00:00Z, or a time ago such as 90m, 6h "
                    + "or 7d, not \(text)")
        }
        return timestamp.date
    }
}
