import Foundation
import KafkaTesting
import OTContract
import OTSimulation
import TestTraits
import Testing

/// The pipeline `ot-registrations` → `ot-statistics` run as an operator runs it: instances join with empty disks,
/// are killed and lose their disks, leave and come back with old files, are killed in the middle of a restore.
/// Whatever happens to the instances, everything published equals what one instance of each publishes from the
/// same input: nothing lost, nothing doubled by id or by content, the same statistics.
@Suite(
    "Scaling the pipeline: the outputs of one instance, whatever happens to many", .serialized,
    .timeLimit(.minutes(10)), .tags(.processes), .needsBroker)
struct ScalingPipelineTests {
    private static let schoolYear = SchoolYear(startYear: 2025)
    private static let clock = "\(schoolYear.lastDay)T12:00:00.000Z"

    /// The simulated year in steps: each of its waves (SimulatedStream.waves) split into two halves of the youths.
    /// Each step is consumed before the next is published, so each youth's events are processed in their order.
    private static func steps() throws -> [[SimulatedEvent]] {
        let stream = try CohortSimulation(youths: 400, seed: 23, schoolYear: schoolYear).generate()
        return stream.waves.flatMap { wave in
            [wave.filter { $0.youth % 2 == 0 }, wave.filter { $0.youth % 2 == 1 }]
        }.filter { !$0.isEmpty }
    }

    @Test("members join empty, die with their disks, come back with stale files, die mid-restore: outputs as one's")
    func scaledRunEqualsSingleInstance() async throws {
        let steps = try Self.steps()
        try #require(steps.count >= 6)
        let single = try await singleInstanceRun(steps)
        let scaled = try await scaledRun(steps)

        #expect(PipelineOutputs.repeatedIDs(scaled.registrations).isEmpty, "registration events with one id twice")
        #expect(PipelineOutputs.repeatedIDs(scaled.replies).isEmpty, "replies with one id twice")
        #expect(scaled.registrations.count == single.registrations.count)
        let lost = PipelineOutputs.missing(single.registrations, from: scaled.registrations)
        let extra = PipelineOutputs.missing(scaled.registrations, from: single.registrations)
        #expect(lost.isEmpty, "registration events lost: \(lost.count), e.g. \(lost.prefix(3))")
        #expect(extra.isEmpty, "registration events more or different: \(extra.count), e.g. \(extra.prefix(3))")
        #expect(scaled.replies == single.replies)
        #expect(scaled.statistics.count == single.statistics.count)
        let differing = single.statistics.keys.filter { scaled.statistics[$0] != single.statistics[$0] }
        #expect(differing.isEmpty, "statistics records that differ: \(differing.count), e.g. \(differing.prefix(3))")
        #expect(scaled.deadLetters == 0 && single.deadLetters == 0)
    }

    /// One instance of each service, never disturbed.
    private func singleInstanceRun(_ steps: [[SimulatedEvent]]) async throws -> PipelineOutputs {
        try await PipelineCluster.run(clock: Self.clock) { cluster in
            try await cluster.start(.registrations, "a")
            try await cluster.start(.statistics, "a")
            for step in steps { try await cluster.publish(step) }
        }
    }

    /// Instances a and b of each service, through everything an operator's cluster goes through.
    private func scaledRun(_ steps: [[SimulatedEvent]]) async throws -> PipelineOutputs {
        let services: [ServiceName] = [.registrations, .statistics]
        return try await PipelineCluster.run(clock: Self.clock) { cluster in
            for service in services { try await cluster.start(service, "a") }
            try await cluster.publish(steps[0])

            // b joins with an empty disk and takes half the partitions.
            for service in services { try await cluster.start(service, "b") }
            try await cluster.publish(steps[1])

            // a dies, its disk is gone; it comes back empty.
            for service in services {
                await cluster.kill(service, "a")
                try await cluster.loseDisk(service, "a")
                try await cluster.start(service, "a")
            }
            try await cluster.publish(steps[2])

            // a leaves (its files stay); b owns everything and moves on.
            for service in services { #expect(await cluster.stop(service, "a") == 0) }
            try await cluster.publish(steps[3])

            // a comes back with its old files, which b's work made stale.
            for service in services { try await cluster.start(service, "a") }
            try await cluster.publish(steps[4])

            // b leaves; a takes its partitions over and is killed while restoring them; it comes back.
            var marks: [ServiceName: Int] = [:]
            for service in services { marks[service] = await cluster.lineCount(service, "a") }
            // The broker answers slowly while they do: a restore goes on with at least one fetch after the line that
            // starts it, so it lasts long enough for the kill to land inside it however busy the machine is. The
            // watchers run while b stops, so that a restore that starts before the second b is gone is seen too.
            try await cluster.setRoundTripTime(PipelineCluster.slowRoundTrip)
            async let registrationsLines = cluster.killWhenRestoring(
                .registrations, "a", after: marks[.registrations] ?? 0, timeout: .seconds(180))
            async let statisticsLines = cluster.killWhenRestoring(
                .statistics, "a", after: marks[.statistics] ?? 0, timeout: .seconds(180))
            for service in services { #expect(await cluster.stop(service, "b") == 0) }
            let killed = try await [registrationsLines, statisticsLines]
            try await cluster.setRoundTripTime(.zero)
            for lines in killed {
                // Killed after the line that starts a restore, before the one that ends it.
                #expect(lines.contains { $0.contains(PipelineCluster.restoringLine) })
                #expect(lines.last { $0.contains("restor") }?.contains(PipelineCluster.restoringLine) == true)
            }
            for service in services { try await cluster.start(service, "a") }
            for step in steps[5...] { try await cluster.publish(step) }
        }
    }
}
