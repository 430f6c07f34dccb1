import ArgumentParser
import Foundation

/// `otctl validate`: checks CloudEvents in files offline, exactly as the services would take them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check CloudEvents in files against the contract, offline, as the services would take them.",
        discussion: """
            Each FILE (- for standard input) holds one event, a JSON object, or JSON lines, one event per line. \
            Each event is decoded in structured mode through the typed events of the topic its type belongs to, \
            with the services' own decoding (national IDs' check digits and the rules across fields included), and \
            a command's actor is checked. One line per event: LOCATION: ok TYPE ID, or LOCATION: invalid: REASON. \
            Exit status 1 when any event is invalid. The JSON Schemas of docs/contract/ check the same structure \
            without Swift (docs/contract/README.md).

              otctl validate docs/contract/examples/no.ot.status.set.json
              kcat -C -b localhost:9092 -t vigo.enrollment.v1 -e | otctl validate -
            """)

    @Argument(help: "Files of events (one event, or JSON lines); - for standard input.")
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give one or more files of events, or - for standard input") }
    }

    func run() throws {
        var invalid = 0
        for name in files {
            for result in Self.check(name) {
                output(result.line)
                if !result.isValid { invalid += 1 }
            }
        }
        if invalid > 0 { throw ExitCode(1) }
    }

    /// The events of one input, checked; an input that cannot be read is one invalid result.
    static func check(_ name: String) -> [EventValidation] {
        let bytes: [UInt8]
        if name == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else if let data = FileManager.default.contents(atPath: name) {
            bytes = Array(data)
        } else {
            return [EventValidation(location: name, verdict: .invalid("cannot read the file"))]
        }
        return EventValidation.check(bytes, name: name)
    }
}
