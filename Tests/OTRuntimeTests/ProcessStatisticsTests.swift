import Testing

@testable import OTRuntime

@Suite("Process statistics from /proc", .timeLimit(.minutes(2)))
struct ProcessStatisticsTests {
    /// A `/proc/self/stat` line whose command name holds a space and a parenthesis, as a name may.
    static let stat =
        "4242 (ot worker) x) S 1 4242 4242 0 -1 4194560 9000 0 3 0 250 150 0 0 20 0 12 0 12345 734003200 1024 "
        + "18446744073709551615 1 1 0 0 0 0 0 4096 17414 0 0 0 17 1 0 0 0 0 0\n"

    @Test("CPU time, resident memory and start time are read from the fields proc(5) names")
    func parse() throws {
        let statistics = try #require(
            ProcessStatistics(
                stat: Self.stat, statm: "183000 1024 512 100 0 20000 0\n",
                systemStat: "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 99\n", openFileDescriptors: 17,
                pageSize: 4_096, ticksPerSecond: 100))
        // utime 250 + stime 150 ticks at 100 per second.
        #expect(statistics.cpuSeconds == 4.0)
        // 1,024 resident pages of 4 KiB.
        #expect(statistics.residentMemoryBytes == 4_194_304)
        // Booted at 1,700,000,000; started 12,345 ticks (123.45 s) later.
        #expect(abs(statistics.startTimeSeconds - 1_700_000_123.45) < 0.001)
        #expect(statistics.openFileDescriptors == 17)
    }

    @Test("text that is not what /proc holds gives nothing rather than wrong figures")
    func malformed() {
        #expect(
            ProcessStatistics(
                stat: "4242 ot worker S 1", statm: "1 2", systemStat: "btime 1", openFileDescriptors: 1,
                pageSize: 4_096, ticksPerSecond: 100) == nil)
        #expect(
            ProcessStatistics(
                stat: Self.stat, statm: "1 2", systemStat: "no boot time here", openFileDescriptors: 1,
                pageSize: 4_096, ticksPerSecond: 100) == nil)
    }

    #if os(Linux)
        @Test("this process's statistics are read from /proc")
        func current() throws {
            let statistics = try #require(ProcessStatistics.current())
            #expect(statistics.residentMemoryBytes > 0 && statistics.cpuSeconds > 0)
            #expect(statistics.openFileDescriptors >= 3)
        }
    #endif
}
