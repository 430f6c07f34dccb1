import OTContract
import OTRuntime

/// `ot-school-history`: school-history lookups, scoped and audited. Configured from the environment
/// (docs/configuration.md); health and metrics on `OT_HTTP_PORT`, 8083 by default.
@main
struct SchoolHistoryService {
    static let defaultHTTPPort = 8083

    static func main() async {
        await WorkerMain.run(
            .schoolHistory, inputTopics: [.enrollment, .registrations, .schoolHistoryRequests],
            defaultHTTPPort: defaultHTTPPort
        ) { _ in
            SchoolHistoryHandler()
        }
    }
}
