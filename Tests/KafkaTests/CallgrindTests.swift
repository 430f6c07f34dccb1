import Foundation
import KafkaTesting
import Testing

@Suite("Callgrind: reading a profile's count", .timeLimit(.minutes(2)))
struct CallgrindTests {
    /// The head and tail of a profile as callgrind 3.19 writes it with `--dump-instr=no` (the lines between name the
    /// functions and their costs; a `summary:` line holds the count over every thread, `totals:` the sum of the
    /// cost lines, which may differ from it by a few instructions).
    static let profile = """
        # callgrind format
        version: 1
        creator: callgrind-3.19.0
        pid: 4999
        cmd:  /tmp/N/ot-registrations.nodebug
        part: 1

        desc: I1 cache:
        desc: Timerange: Basic block 0 - 1176661548
        desc: Trigger: Program termination

        positions: line
        events: Ir
        summary: 4272274249

        fn=(1) 0x0000000000108830
        0 81693449

        totals: 4272275635
        """

    @Test("the count is the profile's summary line")
    func summary() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("callgrind-\(UUID()).out")
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.profile.write(to: file, atomically: true, encoding: .utf8)
        #expect(try Callgrind.instructions(in: file.path) == 4_272_274_249)
    }

    @Test(
        "a missing profile, or one with no summary (a process killed before it wrote one), is an error naming the file")
    func noSummary() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("callgrind-\(UUID()).out")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            try Callgrind.instructions(in: file.path)
        } throws: {
            String(describing: $0).contains(file.path) && String(describing: $0).contains("no callgrind profile")
        }
        let cut = Self.profile.split(separator: "\n").filter { !$0.hasPrefix("summary:") }.joined(separator: "\n")
        try cut.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try Callgrind.instructions(in: file.path)
        } throws: { String(describing: $0).contains(file.path) && String(describing: $0).contains("no summary line") }
    }
}
