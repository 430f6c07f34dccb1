import Foundation
import KafkaTesting

/// Headless Chromium (Debian's package, installed by `make deps`) for the dashboard's browser test.
enum Chromium {
    static let path = "/usr/bin/chromium"

    /// Runs headless Chromium (as root it needs `--no-sandbox`) and returns what it printed; killed after two
    /// minutes.
    static func run(_ arguments: [String]) async throws -> [String] {
        let browser = try await ChildProcess(
            executable: path,
            arguments: ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
                + arguments)
        let lines: [String]
        do {
            lines = try await withTimeout(.seconds(120), waitingFor: "chromium \(arguments.last ?? "")") {
                var lines: [String] = []
                for await line in browser.lines { lines.append(line) }
                return lines
            }
        } catch {
            await browser.kill()
            throw error
        }
        let status = await browser.waitForExit()
        guard status == 0 else { throw ChromiumFailed(status: status) }
        return lines
    }
}

/// Chromium exited with a failure.
struct ChromiumFailed: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "chromium exited with status \(status)" }
}
