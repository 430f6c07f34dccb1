import ArgumentParser
import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting

/// `ot-registrations-benchmark`: the registrations service as a black box. Publishes a realistic stream of upstream
/// events for synthetic youths (trigger mix near Udir's: about 35 % not applied, 30 % dropped out, 17 % declined, the
/// rest enrolled), runs `ot-registrations` as a process against the embedded broker, and prints events/s (from the
/// service's own `/metrics`) and its peak memory.
@main
struct RegistrationsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-registrations-benchmark",
        abstract: "Events/s and memory of ot-registrations on a realistic simulated stream.")

    @Option(help: "Synthetic youths (each gets person.updated and one or two more events).")
    var youths: Int = 40_000

    @Option(help: "Seed of the simulated stream.")
    var seed: UInt64 = 2026

    func run() async throws {
        let topics = [
            Topic.enrollment, .registrationCommands, .registrations, .replies, .deadLetters(of: .registrations),
        ]
        let kafka = try EmbeddedKafka(brokers: 1, topics: topics.map(\.name))
        let stream = try simulate()
        print("publishing \(stream.count) upstream events for \(youths) synthetic youths…")
        let producer = try kafka.makeProducer()
        try await producer.sendAll(stream)
        await producer.shutdown()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-registrations-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 18_081
        let service = try ChildProcess(
            executable: "ot-registrations",
            environment: [
                "KAFKA_BROKERS": kafka.configuration.bootstrapServers, "OT_DATA_DIR": directory.path,
                "OT_HTTP_PORT": "\(port)", "OT_LOG_LEVEL": "warning",
            ])
        var started: ContinuousClock.Instant?
        var processed = 0
        var peakKiB = 0
        while processed < stream.count {
            try await Task.sleep(for: .milliseconds(100))  // sampling interval of the measurement
            peakKiB = max(peakKiB, residentKiB(of: service.pid))
            guard let metrics = try? await HTTPProbe.get(port: port, path: "/metrics").body else { continue }
            processed = counter("ot_events_processed_total", in: metrics) + counter("ot_events_dead_lettered_total", in: metrics)
            if processed > 0, started == nil { started = .now }
            guard service.isRunning else { throw ValidationError("ot-registrations exited") }
        }
        let elapsed = started!.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let metrics = try await HTTPProbe.get(port: port, path: "/metrics").body
        #if canImport(Glibc)
            peakKiB = max(peakKiB, highWaterKiB(of: service.pid))
        #endif
        _ = await service.terminate()
        print("")
        print("events              \(stream.count) (\(youths) youths)")
        print("registrations       \(counter("ot_outbox_published_total", in: metrics)) events published")
        print("dead-lettered       \(counter("ot_events_dead_lettered_total", in: metrics))")
        print("throughput          \(Int(Double(stream.count) / seconds)) events/s (from the first commit to the last)")
        let batches = max(1, counter("ot_batch_duration_seconds_count", in: metrics))
        let batchSeconds = Double(counter("ot_batch_duration_seconds_sum", in: metrics))
        print("batches             \(batches), mean \(stream.count / batches) events, \(Int(batchSeconds * 1000) / batches) ms each")
        print("peak memory         \(peakKiB / 1024) MiB (VmHWM of the service process)")
    }

    /// The simulated stream: for each youth person.updated, then a trigger or an enrollment.
    private func simulate() throws -> [KafkaProducerMessage] {
        var generator = SeededGenerator(seed: seed)
        var messages: [KafkaProducerMessage] = []
        let counties = County.allCases
        for index in 0..<youths {
            let birthDate = try LocalDate(
                year: 2003 + Int.random(in: 0..<9, using: &generator), month: Int.random(in: 1...12, using: &generator),
                day: Int.random(in: 1...28, using: &generator))
            let person = try NationalID.synthetic(birthDate: birthDate, index: index % 400)
            func add<P: PersonKeyedPayload>(_ payload: P) throws {
                messages.append(
                    KafkaProducerMessage(
                        topic: P.topic.name, key: Array(person.digits.utf8),
                        value: try CloudEvent(payload, source: "urn:vigo:simulation").structuredJSON(),
                        headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)]))
            }
            try add(
                PersonUpdated(
                    personId: person, birthDate: birthDate, gender: Bool.random(using: &generator) ? .kvinne : .mann,
                    countyNumber: counties[index % counties.count], municipalityNumber: "0301"))
            let roll = Double.random(in: 0..<1, using: &generator)
            let year = SchoolYear(startYear: 2025)
            if roll < 0.35 {
                try add(ApplicationMissing(personId: person, schoolYear: year.next, deadline: try LocalDate("2026-03-01")))
            } else if roll < 0.65 {
                try add(
                    EnrollmentDroppedOut(
                        personId: person, schoolYear: year, date: try LocalDate("2026-02-10"),
                        reasonCode: [.highAbsence, .wrongChoice, .didNotShowUp, .changedProgramme].randomElement(using: &generator)!))
            } else if roll < 0.82 {
                try add(
                    OfferAnswered(
                        personId: person, schoolYear: year.next, programmeAreaCode: "SSSSF1----",
                        schoolOrgNumber: "974544202", answer: Bool.random(using: &generator) ? .declined : .noAnswer))
            } else {
                try add(
                    EnrollmentStarted(
                        personId: person, schoolYear: year, schoolOrgNumber: "974544202", programmeAreaCode: "SSSSF1----",
                        startDate: try LocalDate("2025-08-20"), kind: .pupil))
            }
        }
        return messages
    }

    private func counter(_ name: String, in metrics: String) -> Int {
        Int(
            metrics.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +))
    }

    private func residentKiB(of pid: Int32) -> Int { statusField("VmRSS", of: pid) }
    private func highWaterKiB(of pid: Int32) -> Int { statusField("VmHWM", of: pid) }

    private func statusField(_ field: String, of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    }
}

/// A small deterministic generator (SplitMix64), so that the same seed gives the same stream.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
