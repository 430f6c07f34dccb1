import Foundation
import Subprocess
import SystemPackage
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

    /// Runs `python3` (found on `PATH`) with `arguments` in docs/contract/.
    /// - Throws: swift-subprocess's `SubprocessError` when it cannot start, or prints more than 16 MiB.
    static func python(_ arguments: [String]) async throws -> PythonRun {
        let result = try await Subprocess.run(
            .name("python3"), arguments: Arguments(arguments), workingDirectory: FilePath(url.path),
            output: .string(limit: 16 << 20), error: .combinedWithOutput)
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code), .signaled(let code): status = code
        }
        return PythonRun(status: status, output: result.standardOutput)
    }

    /// Runs docs/contract/validate.py with `arguments`, after making sure that Python has `jsonschema`.
    static func validate(_ arguments: [String]) async throws -> PythonRun {
        let check = try await python(["-c", "import jsonschema"])
        try #require(
            check.status == 0,
            "python3 with the jsonschema package is needed (pip install jsonschema, as make deps does): \(check.output)"
        )
        return try await python([url.appendingPathComponent("validate.py").path] + arguments)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ot-contract-\(uniqueName())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A unique name without digits, for a temporary file or folder whose path a validator run prints: the validator
    /// masks any 11 digits in a row as a national ID, and a UUID held 11 in a row twice in a few weeks of runs
    /// (`…C313907*****`), failing a path comparison. Each digit of a UUID becomes a letter from g to p (hex has a to
    /// f only): still unique.
    static func uniqueName() -> String {
        String(
            UUID().uuidString.unicodeScalars.map { scalar in
                guard let digit = UInt8(String(scalar)) else { return Character(scalar) }
                return Character(Unicode.Scalar(UInt8(ascii: "g") + digit))
            })
    }
}
