import ArgumentParser
import Foundation

/// `otctl dlq list`: one line per dead letter of a service, oldest first.
struct DLQListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show a service's dead letters: position, time, source, event, key (masked), attempts and error.",
        discussion: """
            One line per dead letter, oldest first: its position on the dead-letter topic (partition@offset, what \
            `otctl dlq replay --offset` takes), when it was dead-lettered, the topic, partition and offset it was \
            consumed from, the event's type and id when it is a CloudEvent, the key, the attempts and the error.

              otctl dlq list ot-registrations --since 24h
            """)

    @Argument(help: "The service, such as ot-registrations (or registrations).")
    var service: String

    @Option(help: "Only dead letters since this instant (RFC 3339) or this long ago (90m, 6h, 7d).")
    var since: String?

    @Option(help: "Only the last N dead letters.")
    var limit: Int?

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let queue = DeadLetterQueue(
            kafka: try await broker.configuration(), topic: DeadLetterQueue.topic(ofService: service))
        let since = try since.map { try DeadLetterQueue.instant($0) }
        let letters = try await queue.read()
        let shown = Self.shown(letters, since: since, limit: limit)
        for letter in shown { output(letter.line) }
        printNote(
            "\(letters.count) dead letters in \(queue.topic)"
                + (shown.count == letters.count ? "" : ", \(shown.count) shown"))
    }

    /// The dead letters (oldest first) dead-lettered at `since` or later, the last `limit` of them.
    static func shown(_ letters: [DeadLetter], since: Date?, limit: Int?) -> [DeadLetter] {
        var shown = letters
        if let since {
            let milliseconds = Int64(since.timeIntervalSince1970 * 1000)
            shown = shown.filter { ($0.timestamp ?? 0) >= milliseconds }
        }
        if let limit { shown = Array(shown.suffix(limit)) }
        return shown
    }
}
