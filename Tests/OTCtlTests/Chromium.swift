import Foundation
import KafkaTesting
import Subprocess
import SystemPackage

/// Headless Chromium (Debian's package, installed by `make deps`) for the dashboard's browser test.
enum Chromium {
    static let path = "/usr/bin/chromium"

    /// Runs headless Chromium (as root it needs `--no-sandbox`) and returns the lines it printed (64 MiB at most);
    /// killed after two minutes (the timeout cancels the run, and swift-subprocess's teardown sends SIGKILL).
    static func run(_ arguments: [String]) async throws -> [String] {
        let result = try await withTimeout(.seconds(120), waitingFor: "chromium \(arguments.last ?? "")") {
            try await Subprocess.run(
                .path(FilePath(path)),
                arguments: Arguments(
                    ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
                        + arguments),
                output: .string(limit: 64 << 20))
        }
        guard result.terminationStatus.isSuccess else { throw ChromiumFailed(status: result.terminationStatus) }
        return result.standardOutput.split(separator: "\n").map(String.init)
    }
}

/// Chromium exited with a failure.
struct ChromiumFailed: Error, CustomStringConvertible {
    var status: TerminationStatus
    var description: String { "chromium ended with \(status)" }
}
