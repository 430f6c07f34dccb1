import ArgumentParser

/// `otctl`: the operator's command-line tool for VIGO OT on Kafka.
@main
struct OTCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otctl",
        abstract:
            "Operate VIGO OT: the development system, simulations, statistics, topics, events and dead letters.",
        discussion: """
            Brokers: --brokers, else KAFKA_BROKERS, else the bootstrap file of ot-dev-broker ($OT_DATA_DIR, \
            .ot-data, or otctl dev's .ot-data/dev). National IDs are never printed in full. See docs/otctl.md.
            """,
        subcommands: [
            DevCommand.self, SimulateCommand.self, StatsCommand.self, TailCommand.self, SendCommand.self,
            HistoryCommand.self, TopicsCommand.self, DLQCommand.self, ValidateCommand.self,
        ])
}
