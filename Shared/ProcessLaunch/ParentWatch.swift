import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a program that one of the system's tools launched stops once that tool is gone.
///
/// A launched process runs in a process group of its own (``Subprocess/Configuration/childProcess(_:arguments:environment:stopGrace:)``),
/// and nothing tells it when its launcher dies without stopping it (a crash, SIGKILL, an aborted test run): it ran
/// on, holding its ports, files and a share of the CPU, until someone killed it by hand. The launcher passes its pid
/// in ``variable``; a program that calls ``start(environment:interval:grace:)`` looks once a second whether its parent
/// is still that process. Once it is not (the process was handed to another parent when its own died), the program
/// sends itself SIGTERM, which runs its graceful shutdown, and SIGKILL if it is still running `grace` later.
public enum ParentWatch {
    /// The environment variable with the launcher's pid.
    public static let variable = "OT_PARENT_PID"

    /// Starts the watch on a thread of its own when `environment` names the launcher (``variable``); else does
    /// nothing (a program started by hand, by `make`, or by a container runtime).
    public static func start(
        environment: [String: String] = ProcessInfo.processInfo.environment, interval: Duration = .seconds(1),
        grace: Duration = .seconds(30)
    ) {
        guard let text = environment[variable], let parent = pid_t(text), parent > 1 else { return }
        let thread = Thread { watch(parent, interval: interval, grace: grace) }
        thread.name = "parent-watch"
        thread.start()
    }

    private static func watch(_ parent: pid_t, interval: Duration, grace: Duration) {
        // Polled: Linux tells a child of its parent's death only through prctl(PR_SET_PDEATHSIG), which fires when
        // the thread that spawned the child ends, and the launchers spawn from threads of a pool.
        while getppid() == parent { Thread.sleep(forTimeInterval: seconds(interval)) }
        let line = "process \(getpid()): its launcher (pid \(parent)) is gone; stopping\n"
        FileHandle.standardError.write(Data(line.utf8))
        kill(getpid(), SIGTERM)
        Thread.sleep(forTimeInterval: seconds(grace))
        kill(getpid(), SIGKILL)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
