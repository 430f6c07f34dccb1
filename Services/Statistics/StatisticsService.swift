import Configuration
import OTContract
import OTRuntime

/// `ot-statistics`: the statistics service. Configured from the environment (docs/configuration.md), and
/// `OT_STATISTICS_REPORTING_DATES` (`MM-DD,MM-DD`, default `02-01,06-15`); health and metrics on `OT_HTTP_PORT`,
/// 8084 by default.
@main
struct StatisticsService {
    static let defaultHTTPPort = 8084

    static func main() async {
        await WorkerMain.run(
            .statistics, inputTopics: [.registrations, .statisticsRepartition], defaultHTTPPort: defaultHTTPPort
        ) { config in
            guard let dates = config.string(forKey: "ot.statistics.reporting.dates") else { return StatisticsHandler() }
            return StatisticsHandler(calendar: try ReportingCalendar(dates))
        }
    }
}
