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
            printed masked. Without the national ID (or with -) it is read from the first line of standard input, so \
            that it stays out of the shell's history and the process list: otctl history --as ola:50 --purpose … \
            < id.txt, or typed at the prompt.
            """)

    @Argument(
        help: ArgumentHelp(
            "The youth's national ID; without it (or with -), the first line of standard input.",
            valueName: "national-id"))
    var personId: String?

    @Option(name: .customLong("as"), help: "The requester, user:county[:unit], such as ola:50 or ola:50:5001.")
    var requester: String

    @Option(help: "Why the lookup is made (it is logged).")
    var purpose: String

    @Option(help: "Seconds to wait for the reply.")
    var timeout: Int = 30

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if let personId, personId != "-" { _ = try Self.person(from: personId) }
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

    /// The national ID given as the argument, else read from the first line of standard input (`readLine`), with a
    /// prompt on standard error when that is a terminal (`prompt`). Surrounding white space is dropped.
    /// - Throws: `ValidationError` saying why, the number masked, when it is not a valid national ID or no line came.
    static func person(
        argument: String?, readLine: () -> String? = { Swift.readLine() }, prompt: () -> Void = promptOnTerminal
    ) throws -> NationalID {
        if let argument, argument != "-" { return try person(from: argument) }
        prompt()
        guard let line = readLine() else {
            throw ValidationError("no national ID: give it as the argument or on the first line of standard input")
        }
        return try person(from: line.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func person(from text: String) throws -> NationalID {
        do {
            return try NationalID(text)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    private static func promptOnTerminal() {
        guard isatty(STDIN_FILENO) == 1 else { return }
        FileHandle.standardError.write(Data("national ID: ".utf8))
    }

    func run() async throws {
        let person = try Self.person(argument: personId)
        let request = SchoolHistoryRequest(
            requestId: UUID().uuidString.lowercased(), personId: person, requester: try Self.requester(from: requester),
            purpose: purpose)
        let kafka = try await broker.configuration()
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
