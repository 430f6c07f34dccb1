import Foundation
import KafkaTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ChildProcess", .timeLimit(.minutes(2)))
struct ChildProcessTests {
    @Test("a process whose handle goes away while it runs is killed, not left behind")
    func droppedHandleKills() async throws {
        var child: ChildProcess? = try await ChildProcess(executable: "/bin/sleep", arguments: ["600"])
        let pid = try #require(child?.pid)
        #expect(Glibc.kill(pid, 0) == 0, "the process runs")
        child = nil
        // Gone once SIGKILL has arrived and swift-subprocess has reaped it: no process with that id is left.
        try await poll("process \(pid) to be gone", every: .milliseconds(20), timeout: .seconds(20)) {
            Glibc.kill(pid, 0) == -1
        }
        #expect(Glibc.kill(pid, 0) == -1 && errno == ESRCH, "process \(pid) still exists")
    }
}
