import ArgumentParser
import Foundation
import Kafka
import OTContract

/// `otctl send`: publishes one command or event from JSON, after decoding it exactly as a service would.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Publish one command or event from JSON, checked against the contract first.",
        discussion: """
            The input (--file, or standard input) is either a whole structured CloudEvent, or with --type the \
            payload of a new event (new id, source urn:ot:otctl, and for a command a new correlation id). It is \
            decoded through the topic's typed events, and refused with the contract's error when it is invalid. \
            The key is the payload's personId (or --key on topics not keyed by person).

              echo '{"personId":"…","statusCode":"OTOV","effectiveDate":"2026-03-10"}' \\
                | otctl send --topic ot.registrations.commands.v1 --type no.ot.status.set
            """)

    @Option(help: "The topic, such as ot.registrations.commands.v1.")
    var topic: String

    @Option(help: "A JSON file (default: standard input).")
    var file: String?

    @Option(help: "The event type of a payload to wrap in a new CloudEvent, such as no.ot.status.set.")
    var type: String?

    @Option(help: "The Kafka key, on topics whose key is not the payload's personId.")
    var key: String?

    @Option(help: "The correlation id (default: the event's own, or a new one for a command).")
    var correlationID: String?

    @Option(
        name: .customLong("as"),
        help: "The command's actor, user:county[:unit][:role] (role ADVISER or ADMINISTRATOR; ADVISER by default).")
    var actor: String?

    @Flag(help: "Check the input and print what would be sent, without sending it.")
    var dryRun = false

    @OptionGroup var broker: BrokerOptions

    func run() async throws {
        let input = try SendInput.parse(
            try readInput(), topic: topic, type: type, key: key, correlationID: correlationID,
            actor: try actor.map(Self.actor(from:)))
        if [Topic.registrationCommands.name, Topic.followUpPlanCommands.name].contains(input.topic),
            (try? CommandActor(of: input.event)) == nil
        {
            output("note: the command names no actor; the services refuse it (give --as user:county[:unit][:role])")
        }
        let keyText = Masking.maskNationalIDs(in: input.key)
        if dryRun {
            output("valid \(input.event.type) for \(input.topic), key \(keyText) (not sent)")
        } else {
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(kafka: try await broker.configuration()), logger: otctlLogger)
            let report: KafkaDeliveryReport
            do {
                report = try await producer.send(input.message)
            } catch {
                await producer.shutdown(timeout: .seconds(5))
                throw OTCtlError("not sent: \(error)")
            }
            await producer.shutdown()
            output(
                "sent \(input.event.type) to \(input.topic) (partition \(report.partition), offset \(report.offset)), "
                    + "key \(keyText)")
        }
        output("id             \(input.event.id)")
        if let correlationID = input.event.correlationID {
            output("correlationid  \(correlationID)\(input.addedCorrelationID ? " (new)" : "")")
            if !dryRun, ContractTopics.commandTopics.contains(input.topic) {
                output("the reply comes on \(Topic.replies.name) under the key \(correlationID)")
            }
        }
    }

    /// `user:county[:unit][:role]`, such as `ola:50:5001` or `kari:50:ADMINISTRATOR`.
    static func actor(from text: String) throws -> CommandActor {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.count <= 4, !parts[0].isEmpty, let county = County(rawValue: parts[1]) else {
            throw ValidationError("--as must be user:county[:unit][:role], such as ola:50:5001, not \(text)")
        }
        var unit: String?
        var role = ActorRole.adviser
        for part in parts.dropFirst(2) {
            if let named = ActorRole(rawValue: part) { role = named } else if !part.isEmpty { unit = part }
        }
        return CommandActor(userId: parts[0], countyNumber: county, unitId: unit, role: role)
    }

    private func readInput() throws -> [UInt8] {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw OTCtlError("cannot read \(file)")
            }
            return Array(data)
        }
        guard isatty(STDIN_FILENO) == 0 else {
            throw OTCtlError("no input: give --file, or pipe the JSON to standard input")
        }
        return Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}
