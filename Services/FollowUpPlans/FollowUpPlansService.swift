import OTContract
import OTRuntime

/// `ot-followup-plans`: the follow-up plans service. Configured from the environment (docs/configuration.md);
/// health and metrics on `OT_HTTP_PORT`, 8082 by default.
@main
struct FollowUpPlansService {
    static let defaultHTTPPort = 8082

    static func main() async {
        await WorkerMain.run(
            .followUpPlans, inputTopics: [.registrations, .followUpPlanCommands], defaultHTTPPort: defaultHTTPPort
        ) { config in
            FollowUpPlansHandler(rules: try await PlanRules(config: config))
        }
    }
}
