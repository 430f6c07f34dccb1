import ArgumentParser
import Foundation
import Kafka
import OTContract

/// `otctl history`: one school-history lookup, as an adviser's front end makes it, printed as a time line.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Look up a youth's school history as an adviser would, and print it as a time line.",
        discussion: """
            Sends no.ot.school-history.requested to ot.school-history.requests.v1 and waits for the reply on \
            ot.school-history.replies.v1. ot-school-history decides access by the requester's county or unit and \
            logs the lookup on ot.audit.v1, granted or not: give a true purpose. The youth's national ID is \
            printed masked.
            """)

    @Argument(help: "The youth's national ID.")
    var personId: String

    @Option(name: .customLong("as"), help: "The requester, user:county[:unit], such as ola:50 or ola:50:5001.")
    var requester: String

    @Option(help: "Why the lookup is made (it is logged).")
    var purpose: String

    @Option(help: "Seconds to wait for the reply.")
    var timeout: Int = 30

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        _ = try parsedPerson()
        _ = try Self.requester(from: requester)
        guard !purpose.allSatisfy(\.isWhitespace) else { throw ValidationError("--purpose must say why") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    /// `user:county[:unit]`.
    static func requester(from text: String) throws -> Requester {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), !parts[0].isEmpty, let county = County(rawValue: parts[1]),
            parts.count == 2 || !parts[2].isEmpty
        else {
            throw ValidationError("--as must be user:county[:unit], such as ola:50 or ola:50:5001, not \(text)")
        }
        return Requester(userId: parts[0], countyNumber: county, unitId: parts.count == 3 ? parts[2] : nil)
    }

    private func parsedPerson() throws -> NationalID {
        do {
            return try NationalID(personId)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        let person = try parsedPerson()
        let request = SchoolHistoryRequest(
            requestId: UUID().uuidString.lowercased(), personId: person, requester: try Self.requester(from: requester),
            purpose: purpose)
        let kafka = try broker.configuration()
        let cluster = try ClusterReader(kafka: kafka)
        let partitions = try await cluster.partitions(of: Topic.schoolHistoryReplies.name)
        await cluster.close()
        // The reply is keyed by the request id: listen on its partition from now on, before asking.
        let replyPartition = KafkaPartitioner.murmur2Partition(
            of: Array(request.requestId.utf8), partitionCount: Int32(partitions.count))
        let consumer = try KafkaConsumer(
            configuration: ClusterReader.consumerConfiguration(kafka), logger: otctlLogger)
        try await consumer.assign([
            KafkaTopicPartitionOffset(topic: Topic.schoolHistoryReplies.name, partition: replyPartition, offset: -1)
        ])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: otctlLogger)
        let event = try CloudEvent(request, source: SendInput.source)
        do {
            _ = try await producer.send(
                KafkaProducerMessage(
                    topic: Topic.schoolHistoryRequests.name, key: Array(person.digits.utf8),
                    value: event.structuredJSON(),
                    headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)]))
        } catch {
            await producer.shutdown(timeout: .seconds(5))
            await consumer.close()
            throw OTCtlError("not sent: \(error)")
        }
        await producer.shutdown()
        let requestId = request.requestId
        let reply: SchoolHistoryReply
        do {
            reply = try await withDeadline(
                .seconds(timeout), doing: "waiting for the reply (is ot-school-history running?)"
            ) {
                for try await consumerEvent in consumer.events {
                    guard case .messages(let batch) = consumerEvent else { continue }
                    for message in batch where message.keyString == requestId {
                        return try CloudEvent.decode(
                            value: message.value, headers: message.headers.map { ($0.name, $0.value) }
                        ).decodePayload(as: SchoolHistoryReply.self)
                    }
                }
                throw OTCtlError("the reply topic ended")
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        for line in HistoryTimeline.render(reply, person: person) { output(line) }
        output("request \(requestId); the lookup is logged on \(Topic.audit.name)")
    }
}
