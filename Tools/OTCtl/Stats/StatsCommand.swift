import ArgumentParser
import Kafka
import OTContract

/// `otctl stats`: the statistics the statistics service publishes, as a table.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the statistics on ot.statistics.v1 as a table: counties (or units) and the nation.",
        discussion: """
            Reads ot.statistics.v1 from its beginning to its end as it is when the command starts, keeps the \
            latest record per key, and shows one period. No personal data: counts only, small cells suppressed.
            """)

    @Option(help: "Show this county's units (a two-digit county number, such as 50).")
    var county: String?

    @Option(help: "current, or a reporting date YYYY-MM-DD.")
    var period: String = "current"

    @Option(help: "unit, county or national (default: county; unit with --county).")
    var scope: String?

    @Option(help: "table (default), json (the records as the topic has them) or csv (for a spreadsheet).")
    var format: String = "table"

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        _ = try parsed()
        guard ["table", "json", "csv"].contains(format) else {
            throw ValidationError("--format must be table, json or csv, not \(format)")
        }
    }

    func run() async throws {
        let (scope, county, period) = try parsed()
        let cluster = try ClusterReader(kafka: try await broker.configuration())
        let messages: [KafkaConsumerMessage]
        do {
            messages = try await cluster.readToEnd(Topic.statistics.name)
        } catch {
            await cluster.close()
            throw error
        }
        await cluster.close()
        let (table, undecodable) = StatisticsTable.latest(
            from: messages.map { ($0.keyString, $0.value.map(Array.init), $0.headers) })
        switch format {
        case "json": output(try table.json(scope: scope, county: county, period: period))
        case "csv": output(try table.csv(scope: scope, county: county, period: period))
        default: output(try table.render(scope: scope, county: county, period: period))
        }
        if undecodable > 0 { printNote("\(undecodable) messages on \(Topic.statistics.name) did not decode") }
    }

    /// The options, checked.
    func parsed() throws -> (StatisticsTable.Scope, County?, StatisticsPeriod) {
        let county: County?
        do {
            county = try self.county.map { try County(code: $0) }
        } catch {
            throw ValidationError(
                "--county: \(error); counties: \(County.allCases.map(\.rawValue).joined(separator: " "))")
        }
        let period: StatisticsPeriod
        do {
            period = try StatisticsPeriod(self.period)
        } catch {
            throw ValidationError("--period must be current or a date YYYY-MM-DD, not \(self.period)")
        }
        var scope = county == nil ? StatisticsTable.Scope.county : .unit
        if let text = self.scope {
            guard let chosen = StatisticsTable.Scope(rawValue: text) else {
                throw ValidationError("--scope must be unit, county or national, not \(text)")
            }
            if county != nil, chosen != .unit {
                throw ValidationError("--county shows a county's units; leave out --scope or give --scope unit")
            }
            scope = chosen
        }
        return (scope, county, period)
    }
}
