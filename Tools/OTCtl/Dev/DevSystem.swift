import Foundation
import Kafka
import OTContract
import Synchronization

/// The development system as child processes of otctl: `ot-dev-broker` and every service executable that sits next
/// to the `otctl` binary, with one data folder (stores, bootstrap file) and their logs in `<data>/logs`.
final class DevSystem: Sendable {
    /// A service otctl knows how to run.
    struct ServiceSpec: Sendable {
        /// The executable's name.
        var name: String
        /// Its usual HTTP port (another free one is taken when it is in use).
        var port: Int
        /// A worker (consumes inputs, reports its progress in `/metrics`); the dashboard is not.
        var isWorker = true
    }

    /// A service that runs.
    struct RunningService: Sendable {
        /// The process.
        var process: DevProcess
        /// Its HTTP port.
        var port: Int
        /// A worker, whose progress `otctl dev` waits on.
        var isWorker = true
    }

    /// The services, in the order they start: registrations, follow-up plans, school history, statistics, and the
    /// dashboard (one whose executable is missing is skipped).
    static let services = [
        ServiceSpec(name: ServiceName.registrations.rawValue, port: 8081),
        ServiceSpec(name: ServiceName.followUpPlans.rawValue, port: 8082),
        ServiceSpec(name: ServiceName.schoolHistory.rawValue, port: 8083),
        ServiceSpec(name: ServiceName.statistics.rawValue, port: 8084),
        ServiceSpec(name: dashboard, port: 8085, isWorker: false),
    ]

    /// The dashboard's executable.
    static let dashboard = "ot-dashboard"

    /// The file that marks a data folder as made by `otctl dev`, so that only such a folder is ever removed.
    static let markerName = ".otctl-dev"

    /// The data folder: `bootstrap.servers`, the services' stores, and `logs/`.
    let dataDirectory: URL
    /// Where the executables are: beside `otctl`.
    let binDirectory: URL
    private let broker = Mutex<DevProcess?>(nil)
    private let running = Mutex<[RunningService]>([])

    /// Prepares a fresh data folder (removing one that an earlier run made) and finds the executables.
    /// - Throws: ``OTCtlError`` when the folder exists but was not made by `otctl dev`.
    init(dataDirectory: URL, binDirectory: URL = DevSystem.executableDirectory()) throws {
        self.dataDirectory = dataDirectory
        self.binDirectory = binDirectory
        try Self.prepare(dataDirectory)
    }

    /// The folder of the running `otctl` binary (its build folder, where the other products are).
    static func executableDirectory() -> URL {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    private static func prepare(_ directory: URL) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            let contents = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty || contents.contains(markerName) else {
                throw OTCtlError(
                    "\(directory.path) exists and was not made by otctl dev (it has no \(markerName)): "
                        + "give another --data-dir, or remove it yourself")
            }
            try files.removeItem(at: directory)
        }
        try files.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        try Data("made by otctl dev: removed and made again on each run\n".utf8)
            .write(to: directory.appendingPathComponent(markerName))
    }

    /// The log file of a program.
    func logFile(_ name: String) -> URL {
        dataDirectory.appendingPathComponent("logs").appendingPathComponent("\(name).log")
    }

    /// Starts `ot-dev-broker` and waits for its bootstrap file.
    /// - Returns: The bootstrap servers.
    func startBroker(logLevel: String, timeout: Duration = .seconds(30)) async throws -> (DevProcess, String) {
        let executable = binDirectory.appendingPathComponent("ot-dev-broker")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw OTCtlError(
                "no ot-dev-broker beside otctl in \(binDirectory.path): swift build --product ot-dev-broker")
        }
        let process = try await DevProcess(
            name: "ot-dev-broker", executable: executable, arguments: ["--data-dir", dataDirectory.path],
            environment: [DataDirectory.variable: dataDirectory.path, "OT_LOG_LEVEL": logLevel],
            logFile: logFile("ot-dev-broker"))
        broker.withLock { $0 = process }
        let file = dataDirectory.appendingPathComponent(DataDirectory.bootstrapFileName)
        let servers = try await withDeadline(timeout, doing: "waiting for ot-dev-broker's bootstrap file") {
            while true {
                if let text = try? String(contentsOf: file, encoding: .utf8),
                    case let servers = text.trimmingCharacters(in: .whitespacesAndNewlines), !servers.isEmpty
                {
                    return servers
                }
                guard process.isRunning else {
                    throw OTCtlError("ot-dev-broker exited at start; its log:\n\(process.logTail())")
                }
                try await Task.sleep(for: .milliseconds(100))  // the broker writes the file once it listens
            }
        }
        return (process, servers)
    }

    /// Starts every service whose executable is built, each on its usual port or a free one.
    /// - Parameters:
    ///   - brokers: The bootstrap servers.
    ///   - clock: The services' `OT_CLOCK`, or `nil` for the real time.
    ///   - logLevel: Their `OT_LOG_LEVEL`.
    ///   - skipped: Called with the name of each service that is not built.
    func startServices(
        brokers: String, clock: String?, logLevel: String, skipped: (String) -> Void
    ) async throws -> [RunningService] {
        var started: [RunningService] = []
        for spec in Self.services {
            let executable = binDirectory.appendingPathComponent(spec.name)
            guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                skipped(spec.name)
                continue
            }
            guard let port = HTTPGet.isFree(port: spec.port) ? spec.port : HTTPGet.freePort() else {
                throw OTCtlError("no free port for \(spec.name)")
            }
            var environment = [
                KafkaConfiguration.brokersVariable: brokers,
                DataDirectory.variable: dataDirectory.path,
                // otctl probes 127.0.0.1: an OT_HTTP_HOST in otctl's own environment must not move the services.
                "OT_HTTP_HOST": "127.0.0.1",
                "OT_HTTP_PORT": String(port),
                "OT_LOG_LEVEL": logLevel,
            ]
            if let clock { environment["OT_CLOCK"] = clock }
            let process = try await DevProcess(
                name: spec.name, executable: executable, environment: environment, logFile: logFile(spec.name))
            let service = RunningService(process: process, port: port, isWorker: spec.isWorker)
            running.withLock { $0.append(service) }
            started.append(service)
        }
        return started
    }

    /// Waits until a service answers `/health/ready` with 200.
    /// - Throws: ``OTCtlError`` when it exits first (with the end of its log), or after `timeout`.
    func waitUntilReady(_ service: RunningService, timeout: Duration = .seconds(120)) async throws {
        try await withDeadline(timeout, doing: "waiting for \(service.process.name) to be ready") {
            while true {
                if let response = try? await HTTPGet.get(port: service.port, path: "/health/ready"),
                    response.status == 200
                {
                    return
                }
                guard service.process.isRunning else {
                    throw OTCtlError(
                        "\(service.process.name) exited at start; the end of its log:\n\(service.process.logTail())")
                }
                try await Task.sleep(for: .milliseconds(200))  // readiness is polled, as a load balancer would
            }
        }
    }

    /// Waits until any program of the system exits.
    /// - Returns: Its name and exit status.
    func firstExit() async -> (name: String, status: Int32) {
        let processes = running.withLock { $0.map(\.process) } + (broker.withLock { $0 }.map { [$0] } ?? [])
        // Waiting for an exit cannot be cancelled, so the waits race outside a task group.
        let first = FirstResult<(name: String, status: Int32)>()
        for process in processes {
            Task { first.offer((process.name, await process.waitForExit())) }
        }
        return await first.value
    }

    /// Stops the services with SIGTERM (each finishes its batch, publishes its outbox and exits 0), then the broker.
    /// - Returns: One line per program, saying how it ended.
    func stop() async -> [String] {
        let services = running.withLock { services in
            defer { services.removeAll() }
            return services
        }
        var lines = await withTaskGroup(of: String.self) { group in
            for service in services {
                group.addTask { await Self.stop(service.process) }
            }
            var lines: [String] = []
            for await line in group { lines.append(line) }
            return lines.sorted()
        }
        if let broker = broker.withLock({ process in
            defer { process = nil }
            return process
        }) {
            lines.append(await Self.stop(broker))
        }
        return lines
    }

    private static func stop(_ process: DevProcess) async -> String {
        let started = ContinuousClock.now
        let wasRunning = process.isRunning
        let (status, killed) = await process.stop()
        let how =
            killed
            ? "killed after not stopping within \(DevProcess.stopTimeout.seconds)"
            : wasRunning ? "exit status \(status)" : "had exited (\(status))"
        return "\(process.name) stopped: \(how), \(started.duration(to: .now).seconds)"
    }
}
