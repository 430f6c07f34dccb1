import Foundation
import KafkaTesting
import TestTraits
import Testing

/// `otctl dev` as an operator runs it: a process with children of its own.
@Suite("otctl dev as a process", .serialized, .tags(.processes), .needsBroker, .timeLimit(.minutes(10)))
struct DevProcessTests {
    @Test("SIGTERM stops the services and the broker, and otctl exits 0 with no child left")
    func sigterm() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-dev-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let otctl = try ChildProcess(
            executable: "otctl", arguments: ["dev", "--data-dir", directory.path, "--cohort", "200"])
        let children = try await withTimeout(.seconds(60), waitingFor: "otctl dev to be running") {
            var children: [Int32] = []
            for await line in otctl.lines {
                // "ot-registrations   pid 1234  http://…": every child's pid.
                let words = line.split(separator: " ", omittingEmptySubsequences: true)
                if let index = words.firstIndex(of: "pid"), index + 1 < words.count, let pid = Int32(words[index + 1]) {
                    children.append(pid)
                }
                if line.hasPrefix("running:") { break }
            }
            return children
        }
        #expect(children.count >= 2, "the broker and at least one service")
        let status = try await withTimeout(.seconds(60), waitingFor: "otctl dev to stop") { await otctl.terminate() }
        #expect(status == 0)
        for pid in children { #expect(kill(pid, 0) != 0, "child \(pid) is gone") }
    }
}
