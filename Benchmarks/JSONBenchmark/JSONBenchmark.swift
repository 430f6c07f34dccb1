import ArgumentParser
import Foundation
import OTContract

/// `ot-json-benchmark`: the contract's JSON on the services' hottest paths, one operation at a time, without Kafka or
/// SQLite: a registration event's payload as `ot-statistics` reads it and `ot-registrations` writes it, an upstream
/// event's payload as `ot-registrations` reads it, and the CloudEvents envelope around them. Prints nanoseconds per
/// operation (the best of three rounds), so that a change to `ContractJSON`, `JSONReader` or the envelope can be
/// measured in seconds rather than through a service's whole benchmark, whose noise on this machine is larger than
/// such a change.
@main
struct JSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-json-benchmark",
        abstract: "Nanoseconds per encode and decode of the contract's hottest payloads and envelope.")

    @Option(help: "Operations per round (three rounds; the best is printed).")
    var iterations = 200_000

    func run() throws {
        let person = try NationalID(jsonString: "01820850056")
        let registered = YouthRegistered(
            registrationId: "0f8fad5b-d9cb-469f-a165-70867728950e", personId: person, unitId: "5001",
            countyNumber: .trondelag, schoolYear: SchoolYear(startYear: 2026),
            registeredAt: try LocalDate(jsonString: "2026-09-01"), reason: .takketNei, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: try LocalDate(jsonString: "2008-03-01"), gender: .kvinne)
        let droppedOut = EnrollmentDroppedOut(
            personId: person, schoolYear: SchoolYear(startYear: 2026), date: try LocalDate(jsonString: "2026-11-02"),
            reasonCode: .gotWork)
        let registeredJSON = try ContractJSON.encode(registered)
        let droppedOutJSON = try ContractJSON.encode(droppedOut)
        let envelope = try CloudEvent(registered, source: ServiceName.registrations.eventSource).structuredJSON()
        let upstream = try CloudEvent(droppedOut, source: "urn:vigo:pupil-register").structuredJSON()

        print(
            "payload sizes         \(registeredJSON.count) B (\(YouthRegistered.eventType)), "
                + "\(droppedOutJSON.count) B (\(EnrollmentDroppedOut.eventType)); envelopes \(envelope.count) and "
                + "\(upstream.count) B")
        var sink = 0
        try measure("encode \(YouthRegistered.eventType)") { sink &+= try ContractJSON.encode(registered).count }
        try measure("decode \(YouthRegistered.eventType)") {
            sink &+= try ContractJSON.decode(YouthRegistered.self, from: registeredJSON).unitId.utf8.count
        }
        try measure("decode \(EnrollmentDroppedOut.eventType)") {
            sink &+= try ContractJSON.decode(EnrollmentDroppedOut.self, from: droppedOutJSON).date.day
        }
        try measure("decode envelope") { sink &+= try CloudEvent.decode(value: envelope, headers: []).id.utf8.count }
        try measure("decode envelope and payload") {
            let event = try CloudEvent.decode(value: envelope, headers: [])
            sink &+= try event.decodePayload(as: YouthRegistered.self).unitId.utf8.count
        }
        try measure("decode upstream event (EnrollmentEvent)") {
            let event = try CloudEvent.decode(value: upstream, headers: [])
            sink &+= try EnrollmentEvent(event).personId.masked.utf8.count
        }
        // Keeps the work from being optimized away.
        if sink == 42 { print("") }
    }

    /// Runs `operation` `iterations` times in each of three rounds and prints the best round's time per operation.
    private func measure(_ name: String, _ operation: () throws -> Void) throws {
        var best = Duration.seconds(Int64.max)
        for _ in 0..<3 {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try operation() }
            best = min(best, start.duration(to: .now))
        }
        let nanoseconds = best / .nanoseconds(1)
        print("\(name.padding(toLength: 42, withPad: " ", startingAt: 0)) \(Int(nanoseconds / Double(iterations))) ns")
    }
}
