import Foundation
import Kafka
import OTContract
import OTSimulation
import TestTraits
import Testing

@testable import Registrations

/// The simulated school year of `otctl simulate` against the real service: its commands must make sense to the
/// service, or the statistics built on them would not.
@Suite("Registrations: a simulated school year", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct SimulationTests {
    @Test("every command of a simulated school year is accepted, and the service registers whom the simulation expects")
    func simulatedYear() async throws {
        // The service's clock at the end of the simulated school year, as `otctl dev` sets it: no roll-over of
        // 1 August runs between the year's events.
        try await RegistrationsFixture.with(today: "2026-07-31") { fixture in
            let stream = try CohortSimulation(youths: 300, seed: 11, schoolYear: SchoolYear(startYear: 2025)).generate()
            let commands = stream.events.filter { $0.topic == .registrationCommands }.count
            // Wave by wave, each processed before the next, as `otctl dev` publishes: the service does not order its two
            // input topics with each other (SimulatedStream.waves).
            for wave in stream.waves {
                for last in try await fixture.send(wave.map(\.message)) {
                    try await fixture.waitUntilCommitted(last)
                }
            }

            let messages = try await fixture.output.wait(
                "a reply to each of \(commands) commands", timeout: .seconds(180)
            ) {
                $0.filter { $0.topic == Topic.replies.name }.count >= commands
            }
            let replies = try messages.filter { $0.topic == Topic.replies.name }
                .map { try decoded($0).decodePayload(as: CommandReply.self) }
            let rejected = replies.filter { $0.status == .rejected }.map { "\($0.commandType): \($0.reason ?? "")" }
            #expect(rejected.isEmpty, "\(rejected.count) of \(commands) rejected, such as \(rejected.prefix(3))")

            let summary = stream.summary
            let events = try await fixture.output.wait("the registrations of the simulated youths") { messages in
                messages.filter {
                    $0.topic == Topic.registrations.name && (try? decoded($0).type) == YouthRegistered.eventType
                }
                .count >= summary.registered
            }.filter { $0.topic == Topic.registrations.name }.map { try RegistrationEvent(decoded($0)) }
            let registered = events.compactMap { if case .registered(let event) = $0 { event } else { nil } }
            #expect(registered.count == summary.registered)
            #expect(
                Set(registered.map(\.personId))
                    == Set(stream.youths.filter { $0.registrationDate != nil }.map(\.personId)))
        }
    }
}
