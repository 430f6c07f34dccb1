import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a program that one of the system's tools launched stops once that tool is gone.
///
/// A launched process runs in a process group of its own
/// (``Subprocess/Configuration/childProcess(_:arguments:environment:stopGrace:)``), and nothing tells it when its
/// launcher dies without stopping it (a crash, SIGKILL, an aborted test run): it ran on, holding its ports, files and a
/// share of the CPU, until someone killed it by hand. The launcher passes its pid in ``variable``; a program that
/// calls ``start(environment:interval:grace:)`` looks once a second whether its launcher is still there. Once it is
/// not, the program sends itself SIGTERM, which runs its graceful shutdown, and SIGKILL if it is still running
/// `grace` later.
public enum ParentWatch {
    /// The environment variable with the launcher's pid.
    public static let variable = "OT_PARENT_PID"

    /// Starts the watch on a thread of its own when `environment` names the launcher (``variable``); else does
    /// nothing (a program started by hand, by `make`, or by a container runtime).
    public static func start(
        environment: [String: String] = ProcessInfo.processInfo.environment, interval: Duration = .seconds(1),
        grace: Duration = .seconds(30)
    ) {
        guard let text = environment[variable], let launcher = pid_t(text), launcher > 1 else { return }
        // The launcher's child watches whether it still is (while it is, no other process can have that pid). A
        // program that something between them started (a shell, `env`; the variable passes through) watches whether
        // the launcher still runs: its own parent is not the launcher, and must not stop it at once.
        // That one is named by its pid and its start time: once it has ended, a new process may get its pid, but
        // not its start time. Without a start time it had ended before the watch began.
        let child = getppid() == launcher
        let started = child ? nil : startTime(of: launcher)
        let thread = Thread {
            let seconds = interval / .seconds(1)
            while child ? getppid() == launcher : started.map({ isRunning(launcher, startedAt: $0) }) ?? false {
                Thread.sleep(forTimeInterval: seconds)
            }
            stop(launcher: launcher, grace: grace)
        }
        thread.name = "parent-watch"
        thread.start()
    }

    // Polled: Linux tells a child of its parent's death only through prctl(PR_SET_PDEATHSIG), which fires when the
    // thread that spawned the child ends, and the launchers spawn from threads of a pool.
    private static func stop(launcher: pid_t, grace: Duration) {
        let line = "process \(getpid()): its launcher (pid \(launcher)) is gone; stopping\n"
        FileHandle.standardError.write(Data(line.utf8))
        kill(getpid(), SIGTERM)
        Thread.sleep(forTimeInterval: grace / .seconds(1))
        kill(getpid(), SIGKILL)
    }

    /// Whether process `pid` exists and has not exited (a process that exited is a zombie until its parent reaps it),
    /// and, given `startedAt`, is the process that started then (``startTime(of:)``), not a later one with its pid.
    public static func isRunning(_ pid: pid_t, startedAt: UInt64? = nil) -> Bool {
        guard let fields = statFields(of: pid), let state = fields.first else { return false }
        if let startedAt, startTime(fields) != startedAt { return false }
        return state != "Z" && state != "X"
    }

    /// When process `pid` started, in clock ticks after the system's boot (`starttime` in `/proc/<pid>/stat`); `nil`
    /// when there is no such process. With the pid it names one process: a pid used again later comes with a later
    /// start.
    public static func startTime(of pid: pid_t) -> UInt64? {
        statFields(of: pid).flatMap(startTime)
    }

    /// `starttime`, the 22nd field of the whole line: the 20th after the command's closing parenthesis.
    private static func startTime(_ fields: [Substring]) -> UInt64? {
        fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The fields of `/proc/<pid>/stat` after the command (which may hold spaces and parentheses itself), from the
    /// state on.
    private static func statFields(of pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let command = stat.range(of: ")", options: .backwards)
        else { return nil }
        return stat[command.upperBound...].split(separator: " ")
    }
}
