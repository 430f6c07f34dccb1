import Foundation

/// A process's memory as Linux shows it in `/proc/<pid>/status` (proc(5)), for benchmarks: 0 where it cannot be read.
public enum ProcessMemory {
    /// Resident memory now (`VmRSS`), in KiB; `pid` `nil` for this process.
    public static func residentKiB(of pid: Int32? = nil) -> Int { statusField("VmRSS", of: pid) }

    /// The peak of resident memory (`VmHWM`), in KiB: since the process started, or since this process's last
    /// ``resetPeak()``.
    public static func peakKiB(of pid: Int32? = nil) -> Int { statusField("VmHWM", of: pid) }

    /// Resident memory now, split by what backs it, in KiB, from one reading of the status file: `anonymous` is
    /// the heap, the stacks and other private memory (`RssAnon`), `files` the pages mapped from files, above all the
    /// code of the executable and its libraries (`RssFile`, and `RssShmem` for shared memory). The two add up to
    /// `VmRSS`. A benchmark prints the split because the code's pages are counted in the resident size, yet no
    /// setting of the service changes them.
    public static func residentSplitKiB(of pid: Int32? = nil) -> (anonymous: Int, files: Int) {
        let status = statusText(of: pid)
        return (field("RssAnon", in: status), field("RssFile", in: status) + field("RssShmem", in: status))
    }

    /// Starts this process's peak afresh from its current size (`clear_refs` 5).
    public static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func statusField(_ name: String, of pid: Int32?) -> Int { field(name, in: statusText(of: pid)) }

    private static func statusText(of pid: Int32?) -> String {
        (try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8)) ?? ""
    }

    /// The value of a `Name:   1234 kB` line; 0 where the field is missing.
    private static func field(_ name: String, in status: String) -> Int {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
        return line.flatMap { Int($0.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") } ?? 0
    }
}
