import Foundation

/// A process's CPU time as Linux shows it in `/proc/<pid>/stat` (proc(5)), for benchmarks: 0 where it cannot be read.
public enum ProcessCPU {
    /// User and system CPU time so far, in seconds (fields 14 and 15, in clock ticks), every thread's; `pid` `nil`
    /// for this process.
    public static func seconds(of pid: Int32? = nil) -> Double {
        seconds(ofStat: "/proc/\(pid.map(String.init) ?? "self")/stat")
    }

    /// User and system CPU time so far, in seconds, of this process's threads named `name` (their `comm`, as
    /// `/proc/self/task/<tid>/comm` shows it, at most 15 bytes): the development broker's `rdk:mock` thread, say.
    public static func threadSeconds(named name: String) -> Double {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return 0 }
        var total = 0.0
        for task in tasks {
            guard
                let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .newlines) == name
            else { continue }
            total += seconds(ofStat: "/proc/self/task/\(task)/stat")
        }
        return total
    }

    private static func seconds(ofStat path: String) -> Double {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8), let end = stat.lastIndex(of: ")") else {
            return 0
        }
        // After the command name in parentheses (which may hold spaces): field 3 (state) onwards.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
