import Foundation

/// A process's CPU time as Linux shows it in `/proc/<pid>/stat` (proc(5)), for benchmarks: 0 where it cannot be read.
public enum ProcessCPU {
    /// User and system CPU time so far, in seconds (fields 14 and 15, in clock ticks), every thread's; `pid` `nil`
    /// for this process.
    public static func seconds(of pid: Int32? = nil) -> Double {
        let path = "/proc/\(pid.map(String.init) ?? "self")/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8), let end = stat.lastIndex(of: ")") else {
            return 0
        }
        // After the command name in parentheses (which may hold spaces): field 3 (state) onwards.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
