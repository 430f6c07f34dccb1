import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's resources as Linux shows them in `/proc`: resident memory, CPU time, open file descriptors and
/// when the process started.
struct ProcessStatistics: Sendable, Equatable {
    /// Resident memory in bytes.
    var residentMemoryBytes: Double
    /// User and system CPU time, in seconds.
    var cpuSeconds: Double
    /// Open file descriptors.
    var openFileDescriptors: Int
    /// When the process started, in seconds since the epoch.
    var startTimeSeconds: Double

    /// Reads this process's statistics from `/proc`; `nil` where there is no `/proc` (not Linux) or it cannot be read.
    static func current() -> ProcessStatistics? {
        #if os(Linux)
            guard let stat = readProcFile("/proc/self/stat"), let statm = readProcFile("/proc/self/statm"),
                let system = systemStat,
                let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
            else { return nil }
            return ProcessStatistics(
                stat: stat, statm: statm, systemStat: system, openFileDescriptors: descriptors.count,
                pageSize: Int(sysconf(Int32(_SC_PAGESIZE))), ticksPerSecond: Int(sysconf(Int32(_SC_CLK_TCK))))
        #else
            return nil
        #endif
    }

    #if os(Linux)
        /// `/proc/stat`, read once: only its boot time is used, which does not change while the process runs.
        private static let systemStat = readProcFile("/proc/stat")
    #endif

    /// Reads the figures out of the texts of `/proc/self/stat`, `/proc/self/statm` and `/proc/stat`.
    ///
    /// `stat` holds the command name in parentheses (which may itself hold spaces and parentheses), then
    /// space-separated fields: `utime` and `stime` are fields 14 and 15, `starttime` (clock ticks after boot) field
    /// 22 (proc(5)). `statm`'s second field is the resident set in pages; `/proc/stat`'s `btime` line the boot time
    /// in seconds since the epoch. Read as bytes: splitting and trimming the texts as `Character`s cost more than
    /// reading them (every `/metrics` scrape reads them).
    init?(
        stat: String, statm: String, systemStat: String, openFileDescriptors: Int, pageSize: Int, ticksPerSecond: Int
    ) {
        let stat = Array(stat.utf8)
        guard let nameEnd = stat.lastIndex(of: UInt8(ascii: ")")), ticksPerSecond > 0 else { return nil }
        // After the name: field 3 (state) onwards.
        let fields = Self.words(stat[(nameEnd + 1)...])
        func field(_ number: Int) -> Double? {
            let index = number - 3
            return fields.indices.contains(index) ? Double(fields[index]) : nil
        }
        let memory = Self.words(Array(statm.utf8)[...])
        guard let userTicks = field(14), let systemTicks = field(15), let startTicks = field(22),
            memory.count >= 2, let residentPages = Double(memory[1]), let bootTime = Self.bootTime(systemStat)
        else { return nil }
        let ticks = Double(ticksPerSecond)
        self.residentMemoryBytes = residentPages * Double(pageSize)
        self.cpuSeconds = (userTicks + systemTicks) / ticks
        self.openFileDescriptors = openFileDescriptors
        self.startTimeSeconds = bootTime + startTicks / ticks
    }

    /// The words of `bytes`, between spaces, tabs and newlines.
    private static func words(_ bytes: ArraySlice<UInt8>) -> [String] {
        bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") })
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The `btime` line's number in the text of `/proc/stat`.
    private static func bootTime(_ systemStat: String) -> Double? {
        let lines = Array(systemStat.utf8).split(separator: UInt8(ascii: "\n"))
        guard let line = lines.first(where: { $0.starts(with: "btime ".utf8) }) else { return nil }
        let words = Self.words(line)
        return words.count == 2 ? Double(words[1]) : nil
    }

    /// A `/proc` file's text. Read to its end with `read(2)`: `/proc` files report a size of 0.
    private static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
