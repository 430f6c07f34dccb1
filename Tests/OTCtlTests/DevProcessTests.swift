import Foundation
import KafkaTesting
import TestTraits
import Testing

/// `otctl dev` as an operator runs it: a process with children of its own.
@Suite("otctl dev as a process", .serialized, .tags(.processes), .needsBroker, .timeLimit(.minutes(10)))
struct DevProcessTests {
    /// The repository's folder, from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The dashboard in a real browser: `otctl dev` runs the whole system on a simulated cohort, and headless
    /// Chromium loads a county page from it. The screenshot is kept as a test artefact:
    /// `.build/test-artefacts/dashboard-county-50.png`. In this suite, not beside it: two `otctl dev` systems at once
    /// are more than the process phase's machine should carry.
    @Test("headless Chromium shows a county's figures from a running system, and a screenshot is kept")
    func countyPage() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Chromium.path), "\(Chromium.path) is missing: run make deps")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-dashboard-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let otctl = try await ChildProcess(
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
            let dom = try await Chromium.run(["--dump-dom", url]).joined()
            #expect(dom.contains("<h1>Trøndelag</h1>"))
            #expect(dom.contains("<th scope=\"row\">Registrert i OT</th><td>"))
            #expect(dom.contains("<svg"), "the charts are there")
            #expect(!dom.contains("Ingen tall ennå"), "the county has figures from the simulated cohort")

            let artefacts = Self.repository.appendingPathComponent(".build/test-artefacts")
            try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
            let screenshot = artefacts.appendingPathComponent("dashboard-county-50.png")
            try? FileManager.default.removeItem(at: screenshot)
            _ = try await Chromium.run(["--window-size=1280,2400", "--screenshot=\(screenshot.path)", url])
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

    @Test("SIGTERM stops the services and the broker, and otctl exits 0 with no child left")
    func sigterm() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-dev-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let otctl = try await ChildProcess(
            executable: "otctl", arguments: ["dev", "--data-dir", directory.path, "--cohort", "200"])
        let children: [Int32]
        do {
            children = try await withTimeout(.seconds(240), waitingFor: "otctl dev to be running") {
                var children: [Int32] = []
                for await line in otctl.lines {
                    // "ot-registrations   pid 1234  http://…": every child's pid.
                    let words = line.split(separator: " ", omittingEmptySubsequences: true)
                    if let index = words.firstIndex(of: "pid"), index + 1 < words.count,
                        let pid = Int32(words[index + 1])
                    {
                        children.append(pid)
                    }
                    if line.hasPrefix("running:") { break }
                }
                return children
            }
        } catch {
            _ = await otctl.terminate()  // its children with it, not left running into the next tests
            throw error
        }
        #expect(children.count >= 2, "the broker and at least one service")
        let status = try await withTimeout(.seconds(60), waitingFor: "otctl dev to stop") { await otctl.terminate() }
        #expect(status == 0)
        for pid in children { #expect(kill(pid, 0) != 0, "child \(pid) is gone") }
    }
}
