import ArgumentParser
import Foundation
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl options: clear errors for bad input", .timeLimit(.minutes(2)))
struct OptionsTests {
    @Test("send: --as names the command's actor, user:county[:unit][:role]")
    func actor() throws {
        #expect(
            try SendCommand.actor(from: "ola:50:5001")
                == CommandActor(userId: "ola", countyNumber: .trondelag, unitId: "5001", role: .adviser))
        #expect(
            try SendCommand.actor(from: "kari:03:ADMINISTRATOR")
                == CommandActor(userId: "kari", countyNumber: .oslo, role: .administrator))
        for text in ["ola", "ola:99", ":50", "a:50:1:2:3"] {
            #expect(throws: (any Error).self) { try SendCommand.actor(from: text) }
        }
    }

    @Test("stats: --county, --period and --scope are checked")
    func stats() throws {
        let county = try StatsCommand.parse(["--county", "50"]).parsed()
        #expect(county.0 == .unit && county.1 == .trondelag && county.2 == .current)
        let national = try StatsCommand.parse(["--scope", "national", "--period", "2026-06-15"]).parsed()
        #expect(try national.0 == .national && national.2 == .reportingDate(LocalDate("2026-06-15")))
        for (arguments, expected) in [
            (["--county", "99"], "unknown county number '99'"),
            (["--period", "2026-13-01"], "--period must be current or a date YYYY-MM-DD"),
            (["--scope", "region"], "--scope must be unit, county or national"),
            (["--county", "50", "--scope", "county"], "--county shows a county's units"),
        ] {
            #expect {
                try StatsCommand.parse(arguments).parsed()
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    @Test("dev: the services' clock is the end of an ended school year, the real time for one not over")
    func devClock() throws {
        let today = try LocalDate("2026-11-29")
        let dev = try DevCommand.parse([])
        #expect(try dev.servicesClock(for: SchoolYear(startYear: 2025), today: today) == "2026-07-31T12:00:00.000Z")
        #expect(try dev.servicesClock(for: SchoolYear(startYear: 2026), today: today) == nil)
        #expect(try DevCommand.parse(["--clock", "now"]).servicesClock(for: SchoolYear(startYear: 2025)) == nil)
        #expect(
            try DevCommand.parse(["--clock", "2026-02-02"]).servicesClock(for: SchoolYear(startYear: 2025))
                == "2026-02-02T12:00:00.000Z")
        #expect(throws: (any Error).self) { try DevCommand.parse(["--clock", "tomorrow"]) }
        #expect(throws: (any Error).self) { try DevCommand.parse(["--cohort", "0"]) }
    }

    @Test("simulate: the school year and counts are checked")
    func simulate() throws {
        #expect(try SimulateCommand.parse(["--school-year", "2024-2025"]).schoolYear == "2024-2025")
        #expect(throws: (any Error).self) { try SimulateCommand.parse(["--school-year", "2024-2026"]) }
        #expect(throws: (any Error).self) { try SimulateCommand.parse(["--count", "-5"]) }
        #expect(throws: (any Error).self) { try SimulateCommand.parse(["--rate", "-1"]) }
    }

    @Test("brokers: --brokers wins; without any, the error says to start otctl dev")
    func brokers() async throws {
        let given = try BrokerOptions.parse(["--brokers", "127.0.0.1:9092"])
        #expect(try await given.configuration(environment: [:]).bootstrapServers == "127.0.0.1:9092")
        let fromEnvironment = try BrokerOptions.parse([])
        #expect(
            try await fromEnvironment.configuration(environment: ["KAFKA_BROKERS": "b:1"]).bootstrapServers == "b:1")
        await #expect {
            try await fromEnvironment.configuration(environment: ["OT_DATA_DIR": "/nonexistent-otctl-test"])
        } throws: { error in
            "\(error)".contains("start the development system with `otctl dev`, or pass --brokers")
        }
    }

    @Test(
        "brokers: a KAFKA_* variable that names no librdkafka property is left out with a note naming it, not its value"
    )
    func ignoredKafkaVariable() async throws {
        var notes: [String] = []
        let configuration = try await BrokerOptions.parse([]).configuration(
            environment: [
                "KAFKA_BROKERS": "b:1", "KAFKA_SASL_PASWORD": "hunter2-secret", "KAFKA_CLIENT_ID": "otctl-test",
            ],
            note: { notes.append($0) })
        #expect(notes == ["note: ignoring KAFKA_SASL_PASWORD: it names no librdkafka property"])
        #expect(!notes.joined().contains("hunter2-secret"))
        #expect(configuration.properties["client.id"] == "otctl-test")
        #expect(configuration.properties["sasl.pasword"] == nil)
    }

    @Test("brokers: the secrets of OT_SECRETS_DIR reach the client as the services read them; a missing folder stops")
    func secretsFromFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-secrets-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // As Kubernetes writes a Secret's key: a file named after the property, with a trailing newline.
        try "s3cret-pw\n".write(
            to: directory.appendingPathComponent("kafka-sasl-password"), atomically: true, encoding: .utf8)
        let options = try BrokerOptions.parse([])
        let configuration = try await options.configuration(
            environment: ["KAFKA_BROKERS": "b:1", "KAFKA_SASL_USERNAME": "otctl", "OT_SECRETS_DIR": directory.path],
            note: { Issue.record("unexpected note: \($0)") })
        #expect(configuration.properties["sasl.password"] == "s3cret-pw")
        #expect(configuration.properties["sasl.username"] == "otctl")
        await #expect {
            try await options.configuration(
                environment: ["KAFKA_BROKERS": "b:1", "OT_SECRETS_DIR": "/nonexistent/otctl-secrets"])
        } throws: { error in
            "\(error)".hasPrefix("OT_SECRETS_DIR: ")
        }
    }

    @Test("OT_LOG_LEVEL: any case, as the services take it; a value that names no level gets a note and warning")
    func logLevel() {
        var notes: [String] = []
        #expect(otctlLogLevel(environment: [:], note: { notes.append($0) }) == .warning)
        #expect(otctlLogLevel(environment: ["OT_LOG_LEVEL": "debug"], note: { notes.append($0) }) == .debug)
        #expect(otctlLogLevel(environment: ["OT_LOG_LEVEL": "ERROR"], note: { notes.append($0) }) == .error)
        #expect(notes.isEmpty)
        #expect(otctlLogLevel(environment: ["OT_LOG_LEVEL": "verbose"], note: { notes.append($0) }) == .warning)
        #expect(
            notes == [
                "note: ignoring OT_LOG_LEVEL=verbose: not one of trace, debug, info, notice, warning, error, critical"
            ])
    }
}
