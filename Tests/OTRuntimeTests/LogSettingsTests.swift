import Configuration
import Foundation
import Logging
import OTContract
import OTRuntime
import Synchronization
import Testing

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
        var handler = JSONLogHandler(label: "ot-test", logLevel: .info) { line in lines.withLock { $0.append(line) } }
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
}
