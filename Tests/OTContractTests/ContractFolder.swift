import Foundation
import Testing

/// docs/contract/ of this checkout, and its validator: `python3 docs/contract/validate.py`, an implementation of
/// JSON Schema (Python's `jsonschema`) independent of the Swift code that writes the schemas.
enum ContractFolder {
    /// The checkout's root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// docs/contract/.
    static let url = root.appendingPathComponent("docs/contract")

    /// The file at `path` (relative to docs/contract/), or `nil` when there is none.
    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(path).path) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The paths (relative to docs/contract/) of the files in `folder`.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(folder).path))
        return (names ?? []).sorted().map { "\(folder)/\($0)" }
    }

    /// What a Python run printed (standard output and error together), and its exit status.
    struct PythonRun {
        var status: Int32
        var output: String
        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// Runs `python3` with `arguments`.
    static func python(_ arguments: [String]) throws -> PythonRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = url
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return PythonRun(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Runs docs/contract/validate.py with `arguments`, after making sure that Python has `jsonschema`.
    static func validate(_ arguments: [String]) throws -> PythonRun {
        let check = try python(["-c", "import jsonschema"])
        try #require(
            check.status == 0,
            "python3 with the jsonschema package is needed (pip install jsonschema, as make deps does): \(check.output)"
        )
        return try python([url.appendingPathComponent("validate.py").path] + arguments)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ot-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
