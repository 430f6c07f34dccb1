import OTContract

/// Watches running services through their `/metrics` and the topics through their watermarks: what `otctl dev`
/// and `otctl simulate --wait-for-service` wait on (see ``CatchUp``).
struct ServiceWatcher: Sendable {
    /// The services' HTTP ports.
    var ports: [Int]
    /// The cluster.
    let cluster: ClusterReader

    /// Each service's progress, from its `/metrics`.
    /// - Throws: ``OTCtlError`` when a service does not answer.
    func progress() async throws -> [ServiceProgress] {
        var result: [ServiceProgress] = []
        for port in ports {
            let response = try await HTTPGet.get(port: port, path: "/metrics")
            guard response.status == 200 else {
                throw OTCtlError("the service on port \(port) answered /metrics with HTTP \(response.status)")
            }
            result.append(ServiceProgress(samples: PrometheusText.parse(response.body)))
        }
        return result
    }

    /// One reading: the services' progress and the message counts of `topics` and of every input they name.
    func reading(topics: [String] = Topic.all.map(\.name)) async throws -> CatchUp.Reading {
        let services = try await progress()
        let names = Set(topics).union(services.flatMap(CatchUp.inputs(of:)))
        return CatchUp.Reading(messageCounts: try await cluster.messageCounts(of: names.sorted()), services: services)
    }

    /// Waits until every service that consumes one of `topics` has consumed all its inputs hold: the barrier between
    /// the waves of a simulated stream (outboxes and downstream services are not waited for).
    /// - Throws: ``OTCtlError`` after `timeout`.
    func waitUntilConsumed(_ topics: Set<String>, timeout: Duration = .seconds(300)) async throws {
        try await withDeadline(
            timeout, doing: "waiting for the services to consume \(topics.sorted().joined(separator: ", "))"
        ) {
            while true {
                let services = try await progress().filter { !CatchUp.inputs(of: $0).isDisjoint(with: topics) }
                let inputs = Set(services.flatMap(CatchUp.inputs(of:)))
                let reading = CatchUp.Reading(
                    messageCounts: try await cluster.messageCounts(of: inputs.sorted()), services: services)
                if services.allSatisfy({ $0.consumed >= CatchUp.expected(of: $0, in: reading) }) { return }
                try await Task.sleep(for: .milliseconds(100))  // the services' progress is polled, not pushed
            }
        }
    }

    /// Waits until the services have caught up (``CatchUp``) as far as `topics` and their inputs tell, reading every
    /// `interval`; calls `progress` with what is pending about every 5 seconds.
    /// - Returns: The last reading.
    /// - Throws: ``OTCtlError`` after `timeout`, saying what was still pending.
    func waitUntilCaughtUp(
        topics: [String] = Topic.all.map(\.name), interval: Duration = .milliseconds(500),
        timeout: Duration = .seconds(600), progress: @escaping @Sendable ([String]) -> Void = { _ in }
    ) async throws -> CatchUp.Reading {
        let started = ContinuousClock.now
        var catchUp = CatchUp()
        var lastReport = started
        while true {
            let reading = try await self.reading(topics: topics)
            if catchUp.observe(reading) { return reading }
            let pending = CatchUp.pending(in: reading)
            if started.duration(to: .now) > timeout {
                throw OTCtlError(
                    "the services did not catch up within \(timeout.seconds): "
                        + (pending.isEmpty ? "still publishing" : pending.joined(separator: "; ")))
            }
            if lastReport.duration(to: .now) >= .seconds(5) {
                progress(pending)
                lastReport = .now
            }
            try await Task.sleep(for: interval)  // the services' progress is polled, not pushed
        }
    }
}
