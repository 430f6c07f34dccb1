import Foundation
import KafkaTesting
import TestTraits
import Testing

/// The dashboard in a real browser: `otctl dev` runs the whole system on a simulated cohort, and headless Chromium
/// (Debian's package, installed by `make deps`) loads a county page from it. The screenshot is kept as a test
/// artefact: `.build/test-artefacts/dashboard-county-50.png`.
@Suite("The dashboard in a browser", .serialized, .tags(.processes), .needsBroker, .timeLimit(.minutes(10)))
struct DashboardBrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// The repository's folder, from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("headless Chromium shows a county's figures from a running system, and a screenshot is kept")
    func countyPage() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.chromium), "\(Self.chromium) is missing: run make deps")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-dashboard-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let otctl = try ChildProcess(
            executable: "otctl", arguments: ["dev", "--data-dir", directory.path, "--cohort", "400"])
        do {
            let port = try await withTimeout(.seconds(300), waitingFor: "otctl dev to run the cohort") {
                var port: Int?
                for await line in otctl.lines {
                    // "ot-dashboard       pid 1234  http://127.0.0.1:8085  ready  log …"
                    if line.hasPrefix("ot-dashboard"), let range = line.range(of: "http://127.0.0.1:") {
                        port = Int(line[range.upperBound...].prefix { $0.isNumber })
                    }
                    if line.hasPrefix("running:") { break }
                }
                return port
            }
            let dashboard = try #require(port, "otctl dev names the dashboard's address")
            let url = "http://127.0.0.1:\(dashboard)/counties/50"

            // The page as the browser built it, after its script ran.
            let dom = try await Self.runChromium(["--dump-dom", url]).joined()
            #expect(dom.contains("<h1>Trøndelag</h1>"))
            #expect(dom.contains("<th scope=\"row\">Registrert i OT</th><td>"))
            #expect(dom.contains("<svg"), "the charts are there")
            #expect(!dom.contains("Ingen tall ennå"), "the county has figures from the simulated cohort")

            let artefacts = Self.repository.appendingPathComponent(".build/test-artefacts")
            try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
            let screenshot = artefacts.appendingPathComponent("dashboard-county-50.png")
            try? FileManager.default.removeItem(at: screenshot)
            _ = try await Self.runChromium(["--window-size=1280,2400", "--screenshot=\(screenshot.path)", url])
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
            #expect(png.count > 20_000, "more than an empty page")
            print("dashboard screenshot: \(screenshot.path) (\(png.count) bytes)")
        } catch {
            _ = await otctl.terminate()
            throw error
        }
        #expect(await otctl.terminate() == 0)
    }

    /// Runs headless Chromium (as root it needs `--no-sandbox`) and returns what it printed; killed after two
    /// minutes.
    static func runChromium(_ arguments: [String]) async throws -> [String] {
        let browser = try ChildProcess(
            executable: chromium,
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
