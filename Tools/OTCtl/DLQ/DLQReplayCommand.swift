import ArgumentParser
import Foundation

/// `otctl dlq replay`: publishes chosen dead letters again to the topic and partition they came from.
struct DLQReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Publish chosen dead letters again to their source topic and partition, as they were.",
        discussion: """
            Each dead letter goes back with its original key, value and headers (without the dead-letter headers) \
            to the partition of the source topic it was consumed from: an explicit partition, not one chosen by \
            key. Fix the cause first. Safe to repeat: the services skip an event whose id they have processed. \
            A dead letter about a person erased since is processed as new and brings their data back: leave \
            those out (docs/otctl.md).

              otctl dlq replay ot-registrations --offset 3@17 --offset 5@2 --dry-run
              otctl dlq replay ot-registrations --all --since 6h
            """)

    @Argument(help: "The service, such as ot-registrations (or registrations).")
    var service: String

    @Option(
        name: .customLong("offset"),
        help: "A dead letter's position partition@offset, as `otctl dlq list` shows it; repeat for more.")
    var offsets: [String] = []

    @Flag(help: "Every dead letter of the service (with --since: every one since then).")
    var all = false

    @Option(help: "With --all: only dead letters since this instant (RFC 3339) or this long ago (90m, 6h, 7d).")
    var since: String?

    @Flag(help: "Print what would be sent, send nothing.")
    var dryRun = false

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard all != !offsets.isEmpty else {
            throw ValidationError("choose the dead letters: --offset partition@offset (repeatable) or --all")
        }
        if since != nil, !all { throw ValidationError("--since goes with --all") }
        _ = try positions()
    }

    /// The positions `--offset` names.
    func positions() throws -> [DeadLetterPosition] {
        try offsets.map { text in
            guard let position = DeadLetterPosition(text) else {
                throw ValidationError(
                    "--offset must be a dead letter's partition@offset such as 3@17 (`otctl dlq list` shows them), "
                        + "not \(text)")
            }
            return position
        }
    }

    func run() async throws {
        let queue = DeadLetterQueue(
            kafka: try await broker.configuration(), topic: DeadLetterQueue.topic(ofService: service))
        let since = try since.map { try DeadLetterQueue.instant($0) }
        let letters = try await queue.read()
        let chosen =
            all
            ? DLQListCommand.shown(letters, since: since, limit: nil) : try queue.select(positions(), from: letters)
        guard !chosen.isEmpty else {
            printNote("no dead letters to replay in \(queue.topic)")
            return
        }
        let sent = try await queue.replay(chosen, dryRun: dryRun) { output($0) }
        printNote(
            dryRun
                ? "\(chosen.count) dead letters would be sent (dry run)"
                : "\(sent) dead letters sent; the services skip any event they have processed already")
    }
}
