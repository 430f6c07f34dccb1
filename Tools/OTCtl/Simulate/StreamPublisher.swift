import Kafka
import OTContract
import OTSimulation

/// Publishes a simulated stream with the project's producer, checking every delivery report.
///
/// With a ``barrier``, the stream goes out in its ``OTSimulation/SimulatedStream/waves`` and the barrier is awaited
/// after each wave but the last (until the services have processed it), so that a service that consumes both the
/// upstream and the command topic sees each youth's events in order. Without one, the stream goes out in date order
/// in one go.
struct StreamPublisher {
    /// The producer.
    let producer: KafkaProducer
    /// Events per second; 0 publishes as fast as the producer goes.
    var rate: Double = 0
    /// Waits until the services have processed everything published so far.
    var barrier: (@Sendable () async throws -> Void)?
    /// Messages handed to the producer in one call.
    var chunkSize = 5_000

    /// What was published.
    struct Report {
        /// Messages delivered.
        var delivered = 0
        /// Messages delivered per topic.
        var byTopic: [String: Int] = [:]
        /// Waves published (1 without a barrier).
        var waves = 0
        /// From the first message to the last delivery report (and the last barrier).
        var duration: Duration = .zero
    }

    /// Publishes `stream`.
    /// - Parameter progress: Called after each chunk with the messages delivered so far.
    /// - Throws: ``OTCtlError`` when messages were not delivered (naming the first error), or the barrier's error.
    func publish(
        _ stream: SimulatedStream, progress: (Int) -> Void = { _ in }
    ) async throws -> Report {
        let started = ContinuousClock.now
        let waves = barrier == nil ? [stream.events] : stream.waves
        var report = Report()
        let chunk = rate > 0 ? max(1, min(chunkSize, Int(rate / 10))) : chunkSize
        for (number, wave) in waves.enumerated() {
            var start = 0
            while start < wave.count {
                let end = min(start + chunk, wave.count)
                let messages = wave[start..<end].map(\.message)
                let reports = try await producer.send(messages)
                let failed = reports.filter { !$0.isDelivered }
                if let first = failed.first?.error {
                    throw OTCtlError(
                        "\(failed.count) of \(messages.count) messages were not delivered (\(report.delivered) before "
                            + "them were): \(first)")
                }
                for message in messages { report.byTopic[message.topic, default: 0] += 1 }
                report.delivered += messages.count
                progress(report.delivered)
                start = end
                if rate > 0 {
                    // Paced against the start, so that the rate does not drift with each chunk's own time.
                    try await Task.sleep(
                        until: started + .seconds(Double(report.delivered) / rate), clock: .continuous)
                }
            }
            report.waves += 1
            if number < waves.count - 1, let barrier { try await barrier() }
        }
        report.duration = started.duration(to: .now)
        return report
    }
}
