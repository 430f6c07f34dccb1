import OTContract
import OTRuntime

/// `ot-registrations`: the registrations service. Configured from the environment (docs/configuration.md);
/// health and metrics on `OT_HTTP_PORT`, 8081 by default.
@main
struct RegistrationsService {
    static let defaultHTTPPort = 8081

    static func main() async {
        await WorkerMain.run(
            .registrations, inputTopics: [.enrollment, .registrationCommands], defaultHTTPPort: defaultHTTPPort
        ) { _ in
            RegistrationsHandler(units: try Units.bundled())
        }
    }
}
