import Foundation

/// A process's memory as Linux shows it in `/proc/<pid>/status` (proc(5)), for benchmarks: 0 where it cannot be read.
public enum ProcessMemory {
    /// Resident memory now (`VmRSS`), in KiB; `pid` `nil` for this process.
    public static func residentKiB(of pid: Int32? = nil) -> Int { statusField("VmRSS", of: pid) }

    /// The peak of resident memory (`VmHWM`), in KiB: since the process started, or since this process's last
    /// ``resetPeak()``.
    public static func peakKiB(of pid: Int32? = nil) -> Int { statusField("VmHWM", of: pid) }

    /// Starts this process's peak afresh from its current size (`clear_refs` 5).
    public static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func statusField(_ field: String, of pid: Int32?) -> Int {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    }
}
