import ArgumentParser
import Foundation
import Kafka
import OTContract
import OTSimulation
import ProcessLaunch
import UnixSignals

/// `otctl dev`: the whole system on this machine: the embedded broker and the services built so far, with an
/// optional simulated cohort and the statistics it gives.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract:
            "Run the development system: ot-dev-broker and every service built, optionally with a simulated cohort.",
        discussion: """
            Starts ot-dev-broker and each service executable beside otctl (ot-registrations on port 8081, \
            ot-followup-plans on 8082, ot-school-history on 8083, ot-statistics on 8084; one that is not built is skipped) with their data and logs in one folder, fresh \
            each run, and waits until each is ready. With --cohort N it then publishes a simulated school year for \
            N youths, waits until the services have caught up (every input processed, every outbox published, \
            nothing moving), and prints the follow-up plans' figures and the statistics by county. With \
            ot-followup-plans running, the simulated case workers also make plans. Ctrl-C (or SIGTERM) stops the services with \
            SIGTERM, then the broker; --exit stops them after the cohort.

            The services' clock (OT_CLOCK) is set to the last day of the simulated school year, so that its events \
            are processed as they were lived: on the real clock the 1 August roll-over would run between them.
            """)

    /// `otctl dev`'s data folder unless `--data-dir` says otherwise.
    static let defaultDataDirectory = ".ot-data/dev"

    @Option(help: "The folder for data and logs; removed and made again on each run.")
    var dataDir: String = DevCommand.defaultDataDirectory

    @Option(help: "Simulate a school year for this many youths once the system is ready.")
    var cohort: Int?

    @Option(help: "The seed of the simulated cohort.")
    var seed: UInt64 = 2026

    @Option(help: "The simulated school year, such as 2025-2026 (default: the most recently ended one).")
    var schoolYear: String?

    @Option(
        help: """
            The services' clock: end (the simulated school year's last day, when it has ended), now, or a date \
            YYYY-MM-DD or RFC 3339 instant.
            """)
    var clock: String = "end"

    @Option(help: "Events per second for the cohort; 0 publishes as fast as possible.")
    var rate: Double = 0

    @Flag(help: "Stop everything after the cohort (or once started) and exit.")
    var exit = false

    @Option(help: "Seconds to wait for the services to catch up.")
    var timeout: Int = 600

    @Option(help: "The services' OT_LOG_LEVEL.")
    var logLevel: String = "info"

    func validate() throws {
        if let cohort, !(1...CohortSimulation.maximumYouths).contains(cohort) {
            throw ValidationError("--cohort must be 1 to \(CohortSimulation.maximumYouths.grouped)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more events per second") }
        _ = try servicesClock(for: try SimulateCommand.schoolYear(schoolYear))
    }

    func run() async throws {
        ParentWatch.start()  // launched by a tool that then died (a test): stop, and so stop the system
        let schoolYear = try SimulateCommand.schoolYear(self.schoolYear)
        let clock = try servicesClock(for: schoolYear)
        let system = try DevSystem(dataDirectory: URL(fileURLWithPath: dataDir).standardizedFileURL)
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)

        // The flow races the signals; neither can be relied on to end on cancellation (a delivery wait, a process
        // exit), so the first to finish decides, and the system is stopped either way.
        let first = FirstResult<Outcome>()
        let flow = Task {
            do {
                try await self.flow(system, schoolYear: schoolYear, clock: clock)
                first.offer(.finished)
            } catch {
                first.offer(.failed(error))
            }
        }
        let listener = Task {
            for await signal in signals {
                first.offer(.signal("\(signal)"))
                return
            }
        }
        let outcome = await first.value
        flow.cancel()
        listener.cancel()
        if case .signal(let signal) = outcome { output("\n\(signal): stopping") }
        let stopping = ContinuousClock.now
        for line in await system.stop() { output(line) }
        output("stopped in \(stopping.duration(to: .now).seconds)")
        if case .failed(let error) = outcome { throw error }
    }

    /// How the run ended.
    private enum Outcome: Sendable {
        case finished
        case signal(String)
        case failed(any Error)
    }

    /// Starts the system, runs the cohort, and (without `--exit`) waits until a program exits.
    private func flow(_ system: DevSystem, schoolYear: SchoolYear, clock: String?) async throws {
        let started = ContinuousClock.now
        output("otctl dev: data and logs in \(system.dataDirectory.path) (fresh each run)")
        let (broker, brokers) = try await system.startBroker(logLevel: logLevel)
        output("ot-dev-broker      pid \(broker.pid)  \(brokers)")
        if let clock {
            output("services' clock    \(clock) and running on (OT_CLOCK; school year \(schoolYear))")
        }
        let services = try await system.startServices(brokers: brokers, clock: clock, logLevel: logLevel) { name in
            output(
                "\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) not built (no \(name) beside otctl): skipped"
            )
        }
        for service in services {
            try await system.waitUntilReady(service)
            let health = (try? await HTTPGet.get(port: service.port, path: "/health/ready"))?.body ?? ""
            let name = service.process.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            output(
                "\(name) pid \(service.process.pid)  http://127.0.0.1:\(service.port)  "
                    + "\(health.trimmingCharacters(in: .whitespacesAndNewlines))  log \(service.process.logFile.path)")
        }
        let startup = started.duration(to: .now)
        output("started in \(startup.seconds)")

        if let cohort {
            try await runCohort(cohort, schoolYear: schoolYear, brokers: brokers, services: services, startup: startup)
        }
        guard !exit else { return }
        output(
            "\nrunning: Ctrl-C stops everything (otctl stats, tail and send find the broker in \(system.dataDirectory.path))"
        )
        let (name, status) = await system.firstExit()
        throw OTCtlError("\(name) exited with status \(status); see \(system.logFile(name).path)")
    }

    /// Publishes a simulated cohort, waits until the services have caught up, and prints what they made of it.
    private func runCohort(
        _ cohort: Int, schoolYear: SchoolYear, brokers: String, services: [DevSystem.RunningService],
        startup: Duration
    ) async throws {
        output("")
        let plans = services.contains { $0.process.name == ServiceName.followUpPlans.rawValue }
        let stream = try CohortSimulation(youths: cohort, seed: seed, schoolYear: schoolYear, plans: plans).generate()
        output(stream.summary.description)
        SimulateCommand.warnAboutBrokerLimit(stream)
        let kafka = KafkaConfiguration(bootstrapServers: brokers)
        let cluster = try ClusterReader(kafka: kafka)
        let watcher = ServiceWatcher(ports: services.filter(\.isWorker).map(\.port), cluster: cluster)
        var publisher = StreamPublisher(
            producer: try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: otctlLogger),
            rate: rate)
        let inputs: Set<String> = [Topic.enrollment.name, Topic.registrationCommands.name]
        let timeout = self.timeout
        // A plan command needs its registration at the plans service: with plans, each wave waits until the
        // registrations it made have gone through to the plans service (their outboxes published, nothing moving),
        // not only until they were made. Statistics are not waited for.
        let planners: Set = [ServiceName.registrations.rawValue, ServiceName.followUpPlans.rawValue]
        let planning = ServiceWatcher(
            ports: services.filter { planners.contains($0.process.name) }.map(\.port), cluster: cluster)
        let planningTopics = [
            Topic.enrollment, Topic.registrationCommands, Topic.registrations, Topic.followUpPlanCommands,
        ].map(\.name)
        publisher.barrier = { @Sendable in
            if plans {
                _ = try await planning.waitUntilCaughtUp(
                    topics: planningTopics, interval: .milliseconds(100), timeout: .seconds(timeout))
            } else {
                try await watcher.waitUntilConsumed(inputs)
            }
        }
        let report = try await publisher.publish(stream)
        await publisher.producer.shutdown()
        output(SimulateCommand.describe(report))

        let catchingUp = ContinuousClock.now
        let reading = try await watcher.waitUntilCaughtUp(timeout: .seconds(timeout)) { pending in
            output("  waiting for \(pending.isEmpty ? "the system to settle" : pending.joined(separator: "; "))")
        }
        let caughtUp = catchingUp.duration(to: .now)
        output("caught up in \(caughtUp.seconds): every input processed, every outbox published, nothing moving")
        for service in reading.services {
            output(
                "  \(service.service): \(Int(service.consumed).grouped) events processed, "
                    + "\(Int(service.published).grouped) published, \(Int(service.rejected).grouped) commands rejected, "
                    + "\(Int(service.deadLettered).grouped) dead-lettered")
        }
        try await printReplies(cluster)
        if plans { try await printPlans(cluster) }
        try await printStatistics(cluster)
        await cluster.close()
        output(
            "\ntimings: started \(startup.seconds), published \(report.duration.seconds), caught up "
                + "\(caughtUp.seconds)")
        if let dashboard = services.first(where: { $0.process.name == DevSystem.dashboard }) {
            output("the dashboard: http://127.0.0.1:\(dashboard.port)/ (a county: /counties/50, in English: ?lang=en)")
        }
    }

    /// The command replies: how many accepted and rejected, and the commonest reasons.
    private func printReplies(_ cluster: ClusterReader) async throws {
        var accepted = 0
        var reasons: [String: Int] = [:]
        for message in try await cluster.readToEnd(Topic.replies.name) {
            guard let value = message.value,
                let event = try? CloudEvent.decode(value: value, headers: message.headers.map { ($0.name, $0.value) }),
                let reply = try? event.decodePayload(as: CommandReply.self)
            else { continue }
            if reply.status == .accepted {
                accepted += 1
            } else {
                reasons[Masking.maskNationalIDs(in: "\(reply.commandType): \(reply.reason ?? "")"), default: 0] += 1
            }
        }
        let rejected = reasons.values.reduce(0, +)
        output("  replies: \(accepted.grouped) accepted, \(rejected.grouped) rejected")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }).prefix(3) {
            output("    \(count.grouped) × \(reason)")
        }
    }

    /// What the follow-up plans service published, by event type.
    private func printPlans(_ cluster: ClusterReader) async throws {
        var counts: [String: Int] = [:]
        for message in try await cluster.readToEnd(Topic.followUpPlans.name) {
            guard let value = message.value,
                let event = try? CloudEvent.decode(value: value, headers: message.headers.map { ($0.name, $0.value) })
            else { continue }
            counts[event.type, default: 0] += 1
        }
        func count(_ type: String) -> String { (counts[type] ?? 0).grouped }
        output(
            "  follow-up plans: \(count(PlanCreated.eventType)) created, \(count(PlanCarriedOver.eventType)) carried "
                + "over, \(count(PlanClosed.eventType)) closed; \(count(PlanMissing.eventType)) youths without a plan "
                + "after four weeks (no.ot.plan.missing), \(count(ReviewOverdue.eventType)) reviews overdue "
                + "(no.ot.plan.review-overdue)")
    }

    /// The county table of the current period, or why there is none.
    private func printStatistics(_ cluster: ClusterReader) async throws {
        let messages = try await cluster.readToEnd(Topic.statistics.name)
        let (table, _) = StatisticsTable.latest(
            from: messages.map { ($0.keyString, $0.value.map(Array.init), $0.headers) })
        output("")
        guard !table.records.isEmpty else {
            output("no statistics on \(Topic.statistics.name): ot-statistics is not running (not built yet?)")
            return
        }
        output(try table.render(scope: .county, period: .current))
        let dates = table.periods.filter { $0 != .current }.map(\.description)
        if !dates.isEmpty {
            output("reporting dates: \(dates.joined(separator: ", ")) (otctl stats --period \(dates.last!))")
        }
    }

    /// The services' `OT_CLOCK`: the last day of the school year at noon (UTC) for `end` when the year has ended,
    /// nothing for `now` (or `end` of a year not yet over), else the date or instant given.
    func servicesClock(for schoolYear: SchoolYear, today: LocalDate = .today()) throws -> String? {
        switch clock {
        case "now":
            return nil
        case "end":
            guard schoolYear.lastDay < today else { return nil }
            return "\(schoolYear.lastDay)T12:00:00.000Z"
        default:
            if let date = try? LocalDate(clock) { return "\(date)T12:00:00.000Z" }
            guard let instant = try? Timestamp(rfc3339: clock) else {
                throw ValidationError(
                    "--clock must be end, now, a date YYYY-MM-DD or an RFC 3339 instant, not \(clock)")
            }
            return instant.rfc3339
        }
    }
}
