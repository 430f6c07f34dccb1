import Configuration
import Foundation
import Logging
import OTContract
import Synchronization
import Testing

@testable import OTRuntime

@Suite("Logging: OT_LOG_LEVEL, OT_LOG_FORMAT and JSON lines", .timeLimit(.minutes(2)))
struct LogSettingsTests {
    @Test("the level and format are names; anything else is an error naming the variable")
    func settings() throws {
        #expect(try LogSettings(config: ConfigReader(environment: [:])) == LogSettings(level: .info, format: .text))
        #expect(
            try LogSettings(config: ConfigReader(environment: ["OT_LOG_LEVEL": "DEBUG", "OT_LOG_FORMAT": "json"]))
                == LogSettings(level: .debug, format: .json))
        #expect { try LogSettings(config: ConfigReader(environment: ["OT_LOG_LEVEL": "verbose"])) } throws: { error in
            "\(error)".contains(
                "OT_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, not verbose")
        }
        #expect { try LogSettings(config: ConfigReader(environment: ["OT_LOG_FORMAT": "xml"])) } throws: { error in
            "\(error)".contains("OT_LOG_FORMAT must be text or json, not xml")
        }
    }

    @Test("a JSON line per event, with the logger's and the event's metadata, national IDs masked")
    func jsonLines() throws {
        let lines = Mutex<[String]>([])
        #expect(
            LogSettings(level: .info, format: .json).handler(label: "ot-test") is MaskingLogHandler<JSONLogHandler>)
        var handler = MaskingLogHandler(
            JSONLogHandler(label: "ot-test", logLevel: .info) { line in lines.withLock { $0.append(line) } })
        handler[metadataKey: "instance"] = "a"
        var logger = Logger(label: "ot-test") { _ in handler }
        logger.logLevel = .info
        logger.debug("not written")
        logger.warning("rejected 01820850056", metadata: ["key": "01820850056", "partition": "3"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1 && written[0].hasSuffix("\n"))
        let object = try JSONValue(parsing: Array(written[0].utf8.dropLast()))
        #expect(object["level"] == "warning" && object["logger"] == "ot-test" && object["instance"] == "a")
        #expect(object["message"] == "rejected 018208*****" && object["key"] == "018208*****")
        #expect(object["partition"] == "3" && object["time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(!written[0].contains("01820850056"))
    }

    @Test("the text format masks national IDs too: in the message, the event's metadata and the logger's own")
    func textLinesMasked() {
        #expect(
            LogSettings(level: .info, format: .text).handler(label: "ot-test") is MaskingLogHandler<StreamLogHandler>)
        let log = EventLog()
        var handler = MaskingLogHandler(CapturingLogHandler(log: log))
        handler[metadataKey: "person"] = "01820850056"
        handler.metadata["batch"] = .array(["01820850056", "7"])
        var logger = Logger(label: "ot-test") { _ in handler }
        logger.logLevel = .info
        logger.debug("not written 01820850056")
        let error = QuotingError()
        logger.warning(
            "refused 01820850056: \(error)",
            metadata: ["key": "01820850056", "nested": ["id": .stringConvertible(error)], "offset": "123456789012"])
        let written = log.events.withLock { $0 }
        #expect(written.count == 1)
        guard let event = written.first else { return }
        #expect("\(event.message)" == "refused 018208*****: 018208***** is no code")
        #expect(event.metadata?["key"] == "018208*****" && event.metadata?["offset"] == "123456789012")
        #expect(event.metadata?["nested"] == ["id": "018208***** is no code"])
        #expect(handler.metadata["person"] == "018208*****" && handler.metadata["batch"] == ["018208*****", "7"])
        #expect(!"\(event.message) \(event.metadata ?? [:]) \(handler.metadata)".contains("01820850056"))
    }
}

/// An error whose text quotes input, as a contract error can.
private struct QuotingError: Error, CustomStringConvertible {
    var description: String { "01820850056 is no code" }
}

/// The events a ``CapturingLogHandler`` was given.
private final class EventLog: Sendable {
    let events = Mutex<[LogEvent]>([])
}

/// Keeps every event it is given, and the logger's metadata, as a handler that writes would.
private struct CapturingLogHandler: LogHandler {
    let log: EventLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.events.withLock { $0.append(event) }
    }
}
