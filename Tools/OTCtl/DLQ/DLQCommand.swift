import ArgumentParser

/// `otctl dlq`: a service's dead letters, listed and published again.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List a service's dead letters with their errors, or publish chosen ones again to their source.",
        discussion: """
            A service puts what it cannot process on <service>.dlq.v1 with the original key, value and headers and \
            headers naming the source topic, partition, offset and the error. National IDs are never printed in \
            full. See docs/operations.md, "Dead letters".
            """,
        subcommands: [DLQListCommand.self, DLQReplayCommand.self])
}
